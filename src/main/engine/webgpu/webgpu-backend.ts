/**
 * tfjs's `webgpu` backend on a Dawn device that we create ourselves, so we know which adapter it is
 * (the status bar names it), can refuse a software one, and can watch the device for loss and
 * out-of-memory errors (`gpu-faults.ts`), which tfjs does not.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { GpuAdapterReport } from '../../../shared/backend-types';
import { adapterName, describeAdapter, loadDawn } from './dawn';
import { clearGpuFault, watchDevice } from './gpu-faults';
import { registerWebGpuKernelFixes } from './kernel-fixes';

/** A reason to pass over webgpu that is not a failure: the adapter exists but is not worth it. */
export class AdapterSkipped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AdapterSkipped';
  }
}

export interface WebGpuActivation {
  label: string;
  adapter: GpuAdapterReport;
}

/** Same limits tfjs's own registration asks for: the adapter's, not WebGPU's small defaults. */
function deviceDescriptor(adapter: GPUAdapter): GPUDeviceDescriptor {
  const limits = adapter.limits;
  const requiredFeatures: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  return {
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}

/**
 * Makes `webgpu` the current tfjs backend on the best adapter Dawn finds. A software adapter is
 * refused (`AdapterSkipped`) unless `allowSoftware`: on a CPU it is slower than WebAssembly.
 */
export async function activateWebGpu(allowSoftware: boolean): Promise<WebGpuActivation> {
  const gpu = await loadDawn();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error(
      'no usable WebGPU adapter: Dawn found no Vulkan, Metal or Direct3D 12 device it supports',
    );
  }
  const report = describeAdapter(adapter);
  if (report.software && !allowSoftware) {
    throw new AdapterSkipped(
      `only a software adapter, ${adapterName(report)}, which is slower than WebAssembly; force it with LATENT_STUDIO_BACKEND=webgpu`,
    );
  }
  const device = await adapter.requestDevice(deviceDescriptor(adapter));
  clearGpuFault();
  watchDevice(device);
  // Registered under tfjs's own name, replacing any earlier device (a restart in the same process).
  if (tf.findBackendFactory('webgpu')) {
    if (tf.getBackend() === 'webgpu') await tf.setBackend('cpu');
    tf.removeBackend('webgpu');
  }
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info));
  if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU backend did not initialise');
  registerWebGpuKernelFixes();
  return { label: `WebGPU · ${adapterName(report)}`, adapter: report };
}
