/**
 * Fixes for tfjs-backend-webgpu 4.22 kernels that give wrong results at shapes our models use,
 * found by the cpu-agreement tests (tests/unit/webgpu-agreement.test.ts).
 *
 * BatchMatMul with `transposeB` and a long inner dimension: tfjs picks its split-K program (batch 1,
 * inner ≥ 2000, few output tiles) and that program's vec4 path reads B as if it were not transposed.
 * Measured on SwiftShader: a[32,3136]·b[20,3136]ᵀ was off by 249 where values are ~160, which is
 * every conv VAE's gradient into its latent code (decoder dense, 3136 = 7·7·64 inputs). We
 * transpose B explicitly for exactly those calls; the rest keep tfjs's kernel.
 */
import {
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

const WEBGPU = 'webgpu';
/** tfjs's own threshold for its split-K matmul (BatchMatMul_impl: `innerShapeB >= 2000`). */
const SPLIT_K_INNER = 2000;

interface MatMulAttrs extends NamedAttrMap {
  transposeA: boolean;
  transposeB: boolean;
}

function kernelFunc(name: string): KernelFunc {
  const config = getKernel(name, WEBGPU);
  if (!config) throw new Error(`webgpu kernel ${name} is not registered`);
  return config.kernelFunc;
}

function batchOf(shape: number[]): number {
  return shape.slice(0, -2).reduce((product, d) => product * d, 1);
}

/** Replaces the affected kernels once per process; later calls do nothing. */
export function registerWebGpuKernelFixes(): void {
  const current = getKernel('BatchMatMul', WEBGPU);
  if (!current || (current as KernelConfig & { latentStudioFix?: boolean }).latentStudioFix) return;
  const original = current.kernelFunc;
  const transpose = kernelFunc('Transpose');
  const fixed: KernelConfig & { latentStudioFix: boolean } = {
    kernelName: 'BatchMatMul',
    backendName: WEBGPU,
    latentStudioFix: true,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const attrs = args.attrs as MatMulAttrs;
      const inner = b.shape[b.shape.length - 1] ?? 0;
      const batch = Math.max(batchOf(a.shape), batchOf(b.shape));
      if (!attrs.transposeB || batch !== 1 || inner < SPLIT_K_INNER) return original(args);
      const rank = b.shape.length;
      const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      const bT = transpose({ inputs: { x: b }, backend: args.backend, attrs: { perm } }) as TensorInfo;
      try {
        return original({ ...args, inputs: { a, b: bT }, attrs: { ...attrs, transposeB: false } });
      } finally {
        (args.backend as KernelBackend).disposeData(bT.dataId);
      }
    },
  };
  unregisterKernel('BatchMatMul', WEBGPU);
  registerKernel(fixed);
}
