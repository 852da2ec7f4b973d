/**
 * The pure side of comparing runs (lib/comparison*.ts): curves lined up by epoch and by training
 * time (a continued run's restarted clock included), the metrics table and its best figures, the
 * settings diff, and the CSV files, parsed back.
 */
import { describe, expect, it } from 'vitest';
import {
  availableMetrics,
  comparisonMetric,
  comparisonSeries,
  trainingSeconds,
  xDomain,
  yDomain,
} from '../../src/renderer/src/lib/comparison';
import { curvesCsv, CURVES_HEADER, summaryCsv } from '../../src/renderer/src/lib/comparison-csv';
import {
  bestPerColumn,
  comparisonRows,
  mixedLikelihoods,
  settingsDiff,
  UNREADABLE_SETTING,
} from '../../src/renderer/src/lib/comparison-table';
import { runLabel } from '../../src/renderer/src/lib/run-label';
import type { RunHistory } from '../../src/shared/run-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { EpochMetrics, TrainSettings } from '../../src/shared/types';

function epoch(
  n: number,
  wallSeconds: number,
  loss: number,
  extra: Partial<EpochMetrics> = {},
): EpochMetrics {
  return {
    epoch: n,
    beta: 1,
    learningRate: 1e-3,
    trainBitsPerDim: loss / 1000,
    testBitsPerDim: (loss + 2) / 1000,
    likelihood: 'bernoulli',
    klPerDimension: [1, 2],
    activeUnits: 2,
    trainLoss: loss,
    testLoss: loss + 2,
    testReconstruction: loss - 10,
    testKl: 10,
    validationLoss: loss + 1,
    imagesPerSecond: 1000 + n,
    wallSeconds,
    ...extra,
  };
}

function history(
  runId: string,
  metrics: EpochMetrics[],
  settings: Partial<TrainSettings> = {},
  extra: Partial<RunHistory['summary']> = {},
): RunHistory {
  return {
    summary: {
      runId,
      createdAt: '2026-12-05T10:00:00.000Z',
      name: null,
      note: '',
      tags: [],
      datasetId: 'mnist',
      datasetName: 'MNIST',
      settings: { ...DEFAULT_TRAIN_SETTINGS, datasetId: 'mnist', ...settings },
      state: 'completed',
      error: null,
      epochsDone: metrics.at(-1)?.epoch ?? 0,
      lastMetrics: metrics.at(-1) ?? null,
      bestTestLoss: null,
      bestValidationLoss: null,
      checkpointEpochs: [],
      ...extra,
    },
    metrics,
  };
}

const A = history('20261205-100000-aaaa', [epoch(1, 10, 150), epoch(2, 20, 120), epoch(3, 30, 110)]);
const B = history('20261205-100500-bbbb', [epoch(1, 4, 160), epoch(2, 8, 115)], { latentDim: 32 });

describe('training time', () => {
  it('adds a continued run’s earlier sessions where its clock starts again', () => {
    const metrics = [epoch(1, 10, 1), epoch(2, 20, 1), epoch(3, 6, 1), epoch(4, 12, 1)];
    expect(trainingSeconds(metrics)).toEqual([10, 20, 26, 32]);
    expect(trainingSeconds([])).toEqual([]);
  });
});

describe('curves', () => {
  it('line runs up by epoch and by training time, one curve per run in the order asked', () => {
    const series = comparisonSeries([A, B], comparisonMetric('validation_neg_elbo'));
    expect(series.map((s) => s.runId)).toEqual([A.summary.runId, B.summary.runId]);
    expect(series[0]!.points).toEqual([
      { epoch: 1, wall: 10, value: 151 },
      { epoch: 2, wall: 20, value: 121 },
      { epoch: 3, wall: 30, value: 111 },
    ]);
    expect(series[1]!.points.map((p) => [p.epoch, p.wall])).toEqual([
      [1, 4],
      [2, 8],
    ]);
    expect(xDomain(series, 'epoch')).toEqual([1, 3]);
    expect(xDomain(series, 'wall')).toEqual([0, 30]);
    // The epoch axis starts at the first epoch shown (there is no epoch 0), and spans one at least.
    const late = [{ ...series[0]!, points: [{ epoch: 4, wall: 40, value: 100 }] }];
    expect(xDomain(late, 'epoch')).toEqual([4, 5]);
    expect(xDomain([], 'epoch')).toEqual([0, 1]);
    const [low, high] = yDomain(series, false)!;
    expect(low).toBeLessThan(111);
    expect(high).toBeGreaterThan(161);
    expect(series[0]!.colour).not.toBe(series[1]!.colour);
  });

  it('tells twelve runs apart: past the palette the colours repeat dashed', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      history(`20261205-1000${String(i).padStart(2, '0')}-abcd`, [epoch(1, 1, 100)]),
    );
    const styles = comparisonSeries(many, comparisonMetric('train_neg_elbo')).map(
      (s) => `${s.colour}/${s.dashed}`,
    );
    expect(new Set(styles).size).toBe(12);
  });

  it('leaves out epochs without the figure, and figures a log scale cannot draw', () => {
    const old = history('20261205-110000-cccc', [
      epoch(1, 5, 100, { validationLoss: undefined, testKl: 0 }),
      epoch(2, 9, 90, { testKl: 3 }),
    ]);
    expect(
      comparisonSeries([old], comparisonMetric('validation_neg_elbo'))[0]!.points.map((p) => p.epoch),
    ).toEqual([2]);
    expect(comparisonSeries([old], comparisonMetric('test_kl'), true)[0]!.points.map((p) => p.epoch)).toEqual(
      [2],
    );
    expect(comparisonSeries([old], comparisonMetric('test_kl'), false)[0]!.points).toHaveLength(2);
  });

  it('offers bits/dim only for likelihoods that give one', () => {
    const gaussian = history(
      '20261205-120000-dddd',
      [epoch(1, 5, -900, { likelihood: 'gaussian-fixed', trainBitsPerDim: null, testBitsPerDim: null })],
      { likelihood: 'gaussian-fixed' },
    );
    expect(availableMetrics([gaussian]).map((m) => m.id)).not.toContain('test_bits_per_dim');
    expect(availableMetrics([gaussian, A]).map((m) => m.id)).toContain('test_bits_per_dim');
    expect(yDomain(comparisonSeries([gaussian], comparisonMetric('test_bits_per_dim')), false)).toBeNull();
  });
});

describe('metrics table', () => {
  it('reports each run’s best validation epoch, last test, speed and time, and marks the best', () => {
    const rows = comparisonRows([A, B]);
    expect(rows[0]).toMatchObject({
      label: runLabel(A.summary),
      bestValidation: { value: 111, epoch: 3 },
      lastTest: 112,
      bitsPerDim: 0.112,
      epochsDone: 3,
      trainingSeconds: 30,
      imagesPerSecond: 1002,
    });
    expect(rows[1]).toMatchObject({ bestValidation: { value: 116, epoch: 2 }, trainingSeconds: 8 });
    const best = bestPerColumn(rows);
    expect([...best.bestValidation]).toEqual([A.summary.runId]);
    expect([...best.lastTest]).toEqual([A.summary.runId]);
    expect([...best.imagesPerSecond]).toEqual([A.summary.runId]);
    expect(mixedLikelihoods(rows)).toBe(false);
  });

  it('marks no best where every run has the same figure', () => {
    const twin = history('20261205-100900-abcd', A.metrics);
    const best = bestPerColumn(comparisonRows([A, twin]));
    expect(best.bestValidation.size + best.lastTest.size + best.imagesPerSecond.size).toBe(0);
  });

  it('ranks no losses across different likelihoods', () => {
    const logistic = history(
      '20261205-130000-eeee',
      [epoch(1, 5, 50, { likelihood: 'discretized-logistic' })],
      { likelihood: 'discretized-logistic' },
    );
    const rows = comparisonRows([A, logistic]);
    expect(mixedLikelihoods(rows)).toBe(true);
    expect(bestPerColumn(rows).bestValidation.size).toBe(0);
    expect(bestPerColumn(rows).lastTest.size).toBe(0);
  });
});

describe('settings diff', () => {
  it('lists the dataset and every setting, marking only the rows that differ', () => {
    const rows = settingsDiff([A, B]);
    expect(rows[0]).toEqual({ label: 'Dataset', values: ['MNIST', 'MNIST'], differs: false });
    expect(rows).toHaveLength(1 + Object.keys(DEFAULT_TRAIN_SETTINGS).length);
    expect(rows.filter((r) => r.differs)).toEqual([
      { label: 'Latent dimension', values: [String(DEFAULT_TRAIN_SETTINGS.latentDim), '32'], differs: true },
    ]);
  });

  it('shows an unreadable run’s placeholder settings as unreadable', () => {
    const broken = history('20261205-140000-ffff', [], {}, { unreadable: 'config.json is damaged' });
    const rows = settingsDiff([A, broken]);
    expect(rows.every((r) => r.values[1] === UNREADABLE_SETTING && r.differs)).toBe(true);
    expect(comparisonRows([A, broken]).map((r) => r.warning)).toEqual([null, 'settings unreadable']);
    const damaged = history('20261205-140500-abcd', A.metrics, {}, { skippedMetricLines: 2 });
    expect(comparisonRows([damaged])[0]!.warning).toBe('2 damaged metric lines left out');
  });
});

/** RFC 4180 as written by shared/csv.ts: quoted text, bare numbers, CRLF rows. */
function parse(csv: string): string[][] {
  return csv
    .trimEnd()
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, '')),
    )
    .map((cells) => cells.slice(0, -1));
}

describe('CSV', () => {
  it('writes every epoch’s figures in long form, one row per run, epoch and metric', () => {
    const rows = parse(curvesCsv([A, B]));
    expect(rows[0]).toEqual([...CURVES_HEADER]);
    // 8 metrics a Bernoulli epoch has, for 3 + 2 epochs.
    expect(rows).toHaveLength(1 + 8 * 5);
    expect(rows).toContainEqual([
      B.summary.runId,
      runLabel(B.summary),
      '2',
      '8',
      'validation_neg_elbo',
      '116',
    ]);
    expect(rows.filter((r) => r[4] === 'test_neg_elbo').map((r) => r[0])).toEqual([
      ...Array(3).fill(A.summary.runId),
      ...Array(2).fill(B.summary.runId),
    ]);
  });

  it('writes the metrics table with empty cells for figures a run lacks', () => {
    const empty = history('20261205-150000-abab', []);
    const rows = parse(summaryCsv(comparisonRows([A, empty])));
    expect(rows[1]!.slice(0, 2)).toEqual([A.summary.runId, runLabel(A.summary)]);
    expect(rows[1]![6]).toBe('111');
    expect(rows[2]![6]).toBe('');
    expect(rows[2]![5]).toBe('0');
  });
});
