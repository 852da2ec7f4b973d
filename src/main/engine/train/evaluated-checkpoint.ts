/**
 * Which checkpoint a run's log-likelihood is estimated on: the best by validation −ELBO when it is
 * kept, since that is the model the run selects and whose test figures it reports (issue 14); else
 * the newest that loads. The app and the CLI `evaluate` choose alike.
 */
import type { EvaluatedCheckpoint } from '../../../shared/likelihood-types';
import { CheckpointCorruptError, listCheckpoints, readCheckpoint, type LoadedCheckpoint } from './checkpoint';
import type { RunStore } from './run-store';
import { bestEpoch } from './run-stops';

export interface ChosenCheckpoint {
  checkpoint: LoadedCheckpoint;
  which: EvaluatedCheckpoint;
}

/**
 * The checkpoint to evaluate, the error of a damaged one when none loads, or null when the run has
 * none. `prefer: 'newest'` skips the best. A damaged best checkpoint falls back to the newest that
 * loads (reported as 'newest'), as opening a run falls back to an older one.
 */
export async function checkpointToEvaluate(
  run: RunStore,
  prefer: EvaluatedCheckpoint = 'best',
): Promise<ChosenCheckpoint | CheckpointCorruptError | null> {
  const listed = await listCheckpoints(run.checkpointsDir);
  if (!listed.length) return null;
  let failure: CheckpointCorruptError | null = null;
  if (prefer === 'best') {
    // Runs without a validation split have no best: their newest is what they report.
    const best = bestEpoch(await run.readMetrics());
    const kept = listed.find((c) => c.epoch === best);
    if (kept) {
      try {
        return { checkpoint: await readCheckpoint(kept.directory), which: 'best' };
      } catch (error) {
        if (!(error instanceof CheckpointCorruptError)) throw error;
        failure = error;
      }
    }
  }
  for (const { directory } of listed.reverse()) {
    try {
      return { checkpoint: await readCheckpoint(directory), which: 'newest' };
    } catch (error) {
      if (!(error instanceof CheckpointCorruptError)) throw error;
      failure ??= error;
    }
  }
  return failure;
}
