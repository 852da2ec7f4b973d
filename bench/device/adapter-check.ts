/**
 * Which WebGPU adapter Dawn picks here, as the engine reports it: the automatic backend choice
 * (the app's "backend:" line), then webgpu forced (a software adapter is only taken when forced),
 * its adapter info and limits, and a small matmul on it checked against the CPU.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/main/engine/backend';
import { loadDawn } from '../../src/main/engine/webgpu/dawn';

async function main(): Promise<void> {
  for (const preference of ['auto', 'webgpu'] as const) {
    const report = await selectBackend(preference);
    console.log(`[${preference}] backend: ${report.label}${report.forced ? ' (forced)' : ''}`);
    for (const { name, reason } of report.skipped) {
      if (!reason.startsWith('not tried')) console.log(`  skipped ${name}: ${reason}`);
    }
    if (report.adapter) console.log(`  adapter: ${JSON.stringify(report.adapter)}`);
  }
  const gpu = await loadDawn();
  for (const powerPreference of ['high-performance', 'low-power'] as const) {
    const adapter = await gpu.requestAdapter({ powerPreference });
    if (!adapter) {
      console.log(`requestAdapter(${powerPreference}): none`);
      continue;
    }
    const i = adapter.info;
    console.log(
      `requestAdapter(${powerPreference}): vendor=${i.vendor} architecture=${i.architecture} ` +
        `device=${i.device} description=${i.description} ` +
        `maxBufferSize=${adapter.limits.maxBufferSize} ` +
        `maxStorageBufferBindingSize=${adapter.limits.maxStorageBufferBindingSize} ` +
        `features=${[...adapter.features].join(',')}`,
    );
  }
  if (tf.getBackend() === 'webgpu') {
    const a = tf.randomUniform([256, 256], -1, 1, 'float32', 1);
    const b = tf.randomUniform([256, 256], -1, 1, 'float32', 2);
    const gpuSum = (await tf.sum(tf.matMul(a, b)).data())[0]!;
    const av = await a.data();
    const bv = await b.data();
    await tf.setBackend('cpu');
    const cpuSum = (
      await tf.sum(tf.matMul(tf.tensor2d(av, [256, 256]), tf.tensor2d(bv, [256, 256]))).data()
    )[0]!;
    console.log(`matmul 256² check: webgpu ${gpuSum.toFixed(3)} vs cpu ${cpuSum.toFixed(3)}`);
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
