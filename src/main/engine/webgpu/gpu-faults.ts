/**
 * Faults the GPU reports out of band: a lost device (driver reset, GPU unplugged, the OS reclaiming
 * it) and errors no one caught (out of memory, invalid work). tfjs's webgpu backend does not watch
 * for them, so a lost device would otherwise leave training waiting forever on a read. The training
 * loop asks here between steps and ends the run with plain words; its checkpoints stay intact.
 */

export type GpuFaultKind = 'device-lost' | 'out-of-memory' | 'gpu-error';

export interface GpuFault {
  kind: GpuFaultKind;
  /** What Dawn said, first line only. */
  detail: string;
}

/** Thrown by whatever notices a recorded fault; the training job turns it into a message. */
export class GpuFaultError extends Error {
  constructor(readonly fault: GpuFault) {
    super(`GPU ${fault.kind}: ${fault.detail}`);
    this.name = 'GpuFaultError';
  }
}

let current: GpuFault | null = null;
const lostWaiters = new Set<(fault: GpuFault) => void>();

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim().slice(0, 200);
}

function record(fault: GpuFault): void {
  // The first fault is the cause; what follows a lost device is noise about it.
  if (current) return;
  current = fault;
  if (fault.kind === 'device-lost') {
    for (const wake of lostWaiters) wake(fault);
    lostWaiters.clear();
  }
}

/** Watches a device for the rest of its life. */
export function watchDevice(device: GPUDevice): void {
  void device.lost.then((info) =>
    record({ kind: 'device-lost', detail: firstLine(`${info.reason}: ${info.message}`) }),
  );
  device.onuncapturederror = (event: GPUUncapturedErrorEvent) => {
    const error = event.error;
    const outOfMemory = typeof GPUOutOfMemoryError === 'function' && error instanceof GPUOutOfMemoryError;
    record({ kind: outOfMemory ? 'out-of-memory' : 'gpu-error', detail: firstLine(error.message) });
  };
}

/** The fault that ended GPU work, if any. */
export function gpuFault(): GpuFault | null {
  return current;
}

/** Throws the recorded fault, so a loop can stop between steps. */
export function throwIfGpuFault(): void {
  if (current) throw new GpuFaultError(current);
}

/**
 * Resolves as `read` does, or rejects when the device is lost first: a read from a lost device
 * may never settle.
 */
export function unlessDeviceLost<T>(read: Promise<T>): Promise<T> {
  if (current?.kind === 'device-lost') return Promise.reject(new GpuFaultError(current));
  return new Promise<T>((resolve, reject) => {
    const onLost = (fault: GpuFault) => reject(new GpuFaultError(fault));
    lostWaiters.add(onLost);
    read.then(resolve, reject).finally(() => lostWaiters.delete(onLost));
  });
}

/** Forgets the recorded fault: a new device was created (tests, a backend restarted in-process). */
export function clearGpuFault(): void {
  current = null;
}

/** Plain words for the user, with what to do next. */
export function gpuFaultMessage(
  fault: GpuFault,
  batchSize: number | null,
  checkpointEpoch: number | null,
): string {
  const resume =
    checkpointEpoch === null
      ? 'Training stopped before its first checkpoint.'
      : `The checkpoints up to epoch ${checkpointEpoch} are intact: choose another backend in the status bar (WebAssembly works everywhere) and Continue.`;
  const smaller =
    batchSize !== null && batchSize > 1
      ? ` Try a smaller batch (${Math.max(1, Math.floor(batchSize / 2))} instead of ${batchSize}) or smaller images.`
      : '';
  if (fault.kind === 'out-of-memory')
    return `The GPU ran out of memory (${fault.detail}).${smaller} ${resume}`;
  if (fault.kind === 'device-lost') {
    return `The GPU device was lost (${fault.detail}); its driver may have reset. ${resume}`;
  }
  // A buffer over the adapter's size limits is the same problem as running out of memory.
  const tooBig = /exceeds the max(imum)? .*(buffer|binding)|size limit/i.test(fault.detail);
  return `The GPU reported an error (${fault.detail}).${tooBig ? smaller : ''} ${resume}`;
}
