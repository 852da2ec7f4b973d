/** Why a run stopped, in plain words, with where it can continue from. */
import { writeFailureMessage } from '../fs/atomic-write';
import { GpuFaultError, gpuFaultMessage } from '../webgpu/gpu-faults';

/** `batch` is null for a loss that went bad in the evaluation after the epoch. */
export function divergedMessage(
  epoch: number,
  batch: number | null,
  lastCheckpointEpoch: number | null,
): string {
  const where =
    batch === null ? `in the evaluation after epoch ${epoch}` : `at epoch ${epoch}, batch ${batch}`;
  const resume =
    lastCheckpointEpoch === null
      ? 'No checkpoint was saved before it; try a lower learning rate.'
      : `The last good checkpoint is epoch ${lastCheckpointEpoch}: continue from it, perhaps with a lower learning rate.`;
  return `Training diverged: the loss became NaN or infinite ${where}. Nothing was saved from these weights. ${resume}`;
}

/** Plain words for a GPU fault or a full or read-only data folder; any other error as it says. */
export function failureMessage(
  error: unknown,
  batchSize: number,
  lastCheckpointEpoch: number | null,
): string {
  if (error instanceof GpuFaultError) {
    return gpuFaultMessage(error.fault, batchSize, lastCheckpointEpoch);
  }
  const diskProblem = writeFailureMessage(error);
  if (diskProblem === null) return error instanceof Error ? error.message : String(error);
  const resume =
    lastCheckpointEpoch === null
      ? 'Training stopped before its first checkpoint.'
      : `Training stopped; it can continue from the checkpoint of epoch ${lastCheckpointEpoch}.`;
  return `${diskProblem} ${resume}`;
}
