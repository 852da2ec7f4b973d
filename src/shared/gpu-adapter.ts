/** Words for a WebGPU adapter, shared by the status bar and the command line. */
import type { GpuAdapterReport } from './backend-types';

const MIB = 1024 * 1024;

/** "adapter: nvidia ada · NVIDIA GeForce RTX 4090 · largest buffer 4,096 MiB (binding 2,048 MiB)". */
export function adapterLimits(adapter: GpuAdapterReport): string {
  const mib = (bytes: number) => `${Math.floor(bytes / MIB).toLocaleString('en-US')} MiB`;
  const who = [adapter.vendor, adapter.architecture, adapter.device].filter((w) => w.length > 0).join(' ');
  const kind = adapter.software ? ' · software (a CPU emulation: correct, not fast)' : '';
  return (
    `adapter: ${who || 'unnamed'}${kind} · largest buffer ${mib(adapter.maxBufferSize)}` +
    ` (binding ${mib(adapter.maxStorageBufferBindingSize)})`
  );
}
