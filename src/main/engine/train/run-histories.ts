/**
 * `runs:get-histories`: several runs' summaries and metrics for comparing them, read from their
 * folders as the Runs list reads them (config, status, metrics.jsonl, checkpoint names). No model
 * or checkpoint is loaded, so comparing never touches the run opened for exploration.
 */
import { fail, ok, type Result } from '../../../shared/result';
import type { RunHistory } from '../../../shared/run-types';
import { RunStore } from './run-store';

/**
 * The runs in the order asked. One whose config cannot be used still comes back (listed as the
 * Runs table lists it, `unreadable` set, its metrics intact); ids with no run folder make the
 * whole request NOT_FOUND, naming them, since a comparison missing a run would mislead.
 */
export async function readRunHistories(
  runsRoot: string,
  runIds: readonly string[],
  activeRunId: string | null,
): Promise<Result<{ runs: RunHistory[] }>> {
  const read = await Promise.all(
    runIds.map(async (runId) => {
      const store = RunStore.open(runsRoot, runId);
      const summary = await store.listing(activeRunId);
      return summary ? { summary, metrics: await store.readMetrics() } : runId;
    }),
  );
  const missing = read.filter((entry): entry is string => typeof entry === 'string');
  if (missing.length > 0) {
    const which = missing.length === 1 ? `Run ${missing[0]} was` : `Runs ${missing.join(', ')} were`;
    return fail('NOT_FOUND', `${which} not found: deleted or moved since the list was shown.`);
  }
  return ok({ runs: read.filter((entry): entry is RunHistory => typeof entry !== 'string') });
}
