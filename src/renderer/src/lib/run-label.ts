/** What a run is called wherever runs are told apart (the comparison's legend, table and files). */
import type { RunSummary } from '../../../shared/run-types';
import { formatDateTime } from './format';

/**
 * The name the user gave the run; else when it was made, as the Runs table leads each row. Two runs
 * made in the same minute would read alike, so the id's random tail follows.
 */
export function runLabel(summary: Pick<RunSummary, 'runId' | 'createdAt' | 'name'>): string {
  return summary.name ?? `${formatDateTime(summary.createdAt)} · ${summary.runId.slice(-4)}`;
}
