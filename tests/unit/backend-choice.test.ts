/**
 * The automatic choice passes over a software WebGPU adapter (SwiftShader here) with its reason,
 * and forcing webgpu uses it anyway, naming the adapter. Needs Chromium's SwiftShader driver.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { SWIFTSHADER_ICD, useSwiftShaderIfUnset } from '../support/webgpu';

const usable =
  process.env.VK_ICD_FILENAMES === SWIFTSHADER_ICD ||
  (useSwiftShaderIfUnset() && existsSync(SWIFTSHADER_ICD));
if (!usable)
  console.warn(
    `[backend choice] skipped: needs ${SWIFTSHADER_ICD} (Debian chromium) as the only Vulkan driver`,
  );

describe.skipIf(!usable)('backend choice with only a software GPU', () => {
  it('skips webgpu automatically, saying why and how to force it', async () => {
    const report = await selectBackend('auto');
    expect(report.name).toBe('wasm');
    const webgpu = report.skipped.find((s) => s.name === 'webgpu');
    expect(webgpu?.reason).toMatch(
      /only a software adapter, SwiftShader.*software\), which is slower than WebAssembly/,
    );
    expect(webgpu?.reason).toMatch(/LATENT_STUDIO_BACKEND=webgpu/);
    expect(report.adapter).toBeUndefined();
  });

  it('uses the software adapter when webgpu is forced, and names it with its limits', async () => {
    const report = await selectBackend('webgpu');
    expect(report).toMatchObject({ name: 'webgpu', forced: true });
    expect(report.label).toMatch(/^WebGPU · SwiftShader/);
    expect(report.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', software: true });
    expect(report.adapter!.maxBufferSize).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    // Back to the CPU, so the next file's backend is not a software GPU by accident.
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
});
