/** The Runs table's filter and sort (lib/run-list.ts): words over name, dataset, tags, note and id; state; four orders. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN_LIST_VIEW, viewRuns, type RunListView } from '../../src/renderer/src/lib/run-list';
import { runLabel } from '../../src/renderer/src/lib/run-label';
import type { RunSummary } from '../../src/shared/run-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';

function run(id: string, extra: Partial<RunSummary>): RunSummary {
  return {
    runId: id,
    createdAt: `2026-01-0${id.slice(-1)}T10:00:00.000Z`,
    name: null,
    note: '',
    tags: [],
    datasetId: 'mnist',
    datasetName: 'MNIST',
    settings: DEFAULT_TRAIN_SETTINGS,
    state: 'completed',
    error: null,
    epochsDone: 1,
    lastMetrics: null,
    bestTestLoss: null,
    bestValidationLoss: null,
    checkpointEpochs: [1],
    ...extra,
  };
}

const RUNS = [
  run('20260101-100000-aaa1', { name: 'zeta', bestValidationLoss: 90, epochsDone: 10, tags: ['sweep'] }),
  run('20260102-100000-aaa2', { name: 'Alpha', bestValidationLoss: 80, epochsDone: 3, note: 'lr too HIGH' }),
  run('20260103-100000-aaa3', {
    datasetName: 'Pets',
    bestValidationLoss: null,
    epochsDone: 5,
    state: 'failed',
  }),
  run('20260104-100000-aaa4', { name: 'beta 2', bestValidationLoss: 85, epochsDone: 20 }),
];

const ids = (view: Partial<RunListView>) =>
  viewRuns(RUNS, { ...DEFAULT_RUN_LIST_VIEW, ...view }).map((r) => r.runId.slice(-1));

describe('runs table order and filter', () => {
  it('shows every run newest first by default', () => {
    expect(ids({})).toEqual(['4', '3', '2', '1']);
    expect(ids({ descending: false })).toEqual(['1', '2', '3', '4']);
  });

  it('sorts by name (a run without one by its dataset and date), by epochs, by best validation −ELBO', () => {
    expect(ids({ sort: 'name', descending: false })).toEqual(['2', '4', '3', '1']);
    expect(ids({ sort: 'epochs', descending: true })).toEqual(['4', '1', '3', '2']);
    // A run without the figure goes last either way.
    expect(ids({ sort: 'best', descending: false })).toEqual(['2', '4', '1', '3']);
    expect(ids({ sort: 'best', descending: true })).toEqual(['1', '4', '2', '3']);
  });

  it('finds every word given, in any case, over name, dataset, tags, note and id; and by state', () => {
    expect(ids({ text: 'SWEEP' })).toEqual(['1']);
    expect(ids({ text: 'lr high' })).toEqual(['2']);
    expect(ids({ text: 'pets' })).toEqual(['3']);
    expect(ids({ text: 'aaa4' })).toEqual(['4']);
    expect(ids({ text: 'alpha sweep' })).toEqual([]);
    expect(ids({ state: 'failed' })).toEqual(['3']);
    expect(ids({ state: 'completed', text: 'mnist' })).toEqual(['4', '2', '1']);
  });

  it('labels a run by its name, else by its date and the tail of its id', () => {
    expect(runLabel(RUNS[0]!)).toBe('zeta');
    expect(runLabel(RUNS[2]!)).toMatch(new RegExp(` · ${RUNS[2]!.runId.slice(-4)}$`));
  });
});
