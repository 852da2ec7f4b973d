/** Reads of a run that may be gone or damaged, answered as refusals rather than thrown. */
import { fail, ok, type Result } from '../../../shared/result';
import { CheckpointCorruptError, listCheckpoints, readCheckpoint, type LoadedCheckpoint } from './checkpoint';
import { RunConfigError, type RunStore } from './run-store';

/**
 * Reads a run's config (or what depends on it): a run that is gone is not found, one whose config
 * cannot be used says why, before anything is built from it.
 */
export async function readRun<T>(read: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await read());
  } catch (error) {
    if (!(error instanceof RunConfigError)) throw error;
    return fail('NOT_FOUND', error.missing ? 'That run no longer exists or cannot be read.' : error.message);
  }
}

/** The newest checkpoint of a run that loads; older ones are tried when the newest is damaged. */
export async function latestCheckpoint(
  run: RunStore,
): Promise<LoadedCheckpoint | CheckpointCorruptError | null> {
  const checkpoints = await listCheckpoints(run.checkpointsDir);
  let failure: CheckpointCorruptError | null = null;
  for (const { directory } of checkpoints.reverse()) {
    try {
      return await readCheckpoint(directory);
    } catch (error) {
      if (!(error instanceof CheckpointCorruptError)) throw error;
      failure ??= error;
    }
  }
  return failure;
}
