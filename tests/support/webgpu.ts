/**
 * The webgpu backend for tests: Dawn over whatever Vulkan driver this machine has. Without a GPU
 * that is SwiftShader, Chromium's software Vulkan driver, which Dawn finds only through the
 * VK_ICD_FILENAMES variable, read when Dawn loads; so it is set here, before the first
 * `selectBackend('webgpu')`, when no Vulkan driver was chosen, the machine has no GPU device and
 * Chromium's driver is installed.
 *
 * Use at the top of a test file, before its suites are collected:
 *
 *   const gpu = await tryWebGpu();
 *   warnWhenSkipped(gpu, 'webgpu agreement');
 *   describe.skipIf(!gpu.available)('…', () => { … });
 */
import { existsSync, readdirSync } from 'node:fs';
import { selectBackend } from '../../src/main/engine/backend';
import type { BackendReport } from '../../src/shared/types';

/** Chromium's SwiftShader Vulkan driver (Debian's `chromium` package installs it here). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const INSTALL_HINT =
  'no Vulkan device: install chromium (SwiftShader) and libvulkan1, or run where a GPU driver is installed';

export type WebGpuAvailability =
  { available: true; report: BackendReport & { name: 'webgpu' } } | { available: false; reason: string };

/** Device nodes of a GPU a Vulkan driver could drive (DRM render nodes, NVIDIA's own). */
function hasGpuDevice(): boolean {
  const dri = existsSync('/dev/dri') ? readdirSync('/dev/dri') : [];
  return dri.some((name) => name.startsWith('renderD')) || existsSync('/dev/nvidia0');
}

/**
 * Points Vulkan at SwiftShader when nothing chose a driver and the machine has no GPU to drive:
 * VK_ICD_FILENAMES replaces the driver list, so setting it on a GPU machine would hide its GPU.
 * Says whether it did.
 */
export function useSwiftShaderIfUnset(): boolean {
  const chosen = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES'].some(
    (name) => process.env[name],
  );
  if (chosen || hasGpuDevice() || !existsSync(SWIFTSHADER_ICD)) return false;
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return true;
}

/**
 * Makes webgpu the current backend (a software adapter allowed: it is forced), or says why it
 * cannot be. When it cannot, whichever backend `selectBackend` fell back to stays current.
 */
export async function tryWebGpu(): Promise<WebGpuAvailability> {
  useSwiftShaderIfUnset();
  try {
    const report = await selectBackend('webgpu');
    if (report.name === 'webgpu') return { available: true, report: { ...report, name: 'webgpu' } };
    const why =
      report.skipped.find((s) => s.name === 'webgpu')?.reason ?? `${report.name} was chosen instead`;
    return { available: false, reason: `webgpu did not load (${why}); ${INSTALL_HINT}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { available: false, reason: `webgpu did not load (${message}); ${INSTALL_HINT}` };
  }
}

/** Prints why a webgpu suite is skipped (at collection time), so a skip is never silent. */
export function warnWhenSkipped(gpu: WebGpuAvailability, suite: string): void {
  if (!gpu.available) console.warn(`[${suite}] skipped: ${gpu.reason}`);
}
