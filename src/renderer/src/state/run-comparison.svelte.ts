/**
 * Comparing runs: the runs ticked in the Runs table, their histories (`runs:get-histories`, read
 * from the run folders, no model loaded) once "Compare" is pressed, and how the comparison is
 * shown (metric, x axis, log scale, only differing settings). What is drawn is derived from these.
 */
import type { Api } from '../../../shared/contract';
import { COMPARE_LIMITS, type RunHistory, type RunSummary } from '../../../shared/run-types';
import {
  availableMetrics,
  comparisonMetric,
  comparisonSeries,
  type ComparisonAxis,
  type ComparisonMetric,
} from '../lib/comparison';
import { curvesCsv, summaryCsv } from '../lib/comparison-csv';
import { bestPerColumn, comparisonRows, mixedLikelihoods, settingsDiff } from '../lib/comparison-table';
import { downloadText } from '../lib/csv';
import { downloadUrl } from '../lib/download';
import { svgToPng } from '../lib/svg-png';

export class RunComparisonState {
  /** Ticked run ids, in the order ticked (the comparison's order and colours follow it). */
  #ticked = $state.raw<string[]>([]);
  /** The comparison is on screen in place of the runs list. */
  shown = $state(false);
  histories = $state.raw<RunHistory[] | null>(null);
  loading = $state(false);
  /** Why the histories could not be read, while they could not. */
  error = $state<string | null>(null);
  exporting = $state(false);
  /** Why the last PNG could not be made. */
  exportError = $state<string | null>(null);

  metricId = $state('validation_neg_elbo');
  axis = $state<ComparisonAxis>('epoch');
  logScale = $state(false);
  onlyDifferences = $state(false);

  readonly #api: Api;
  readonly #list: () => readonly RunSummary[] | null;
  #seq = 0;

  /** Ticked runs that still exist: one deleted meanwhile drops out of the selection. */
  readonly selected = $derived.by(() => {
    const present = (this.#list() ?? []).map((r) => r.runId);
    return this.#ticked.filter((id) => present.includes(id));
  });
  readonly canCompare = $derived(this.selected.length >= 2);
  readonly full = $derived(this.selected.length >= COMPARE_LIMITS.runs);

  readonly metrics = $derived<ComparisonMetric[]>(this.histories ? availableMetrics(this.histories) : []);
  /** The chosen metric, or the first one the runs have when they lack it (old runs: no validation). */
  readonly metric = $derived<ComparisonMetric>(
    this.metrics.find((m) => m.id === this.metricId) ?? this.metrics[0] ?? comparisonMetric(this.metricId),
  );
  readonly series = $derived(
    this.histories ? comparisonSeries(this.histories, this.metric, this.logScale) : [],
  );
  readonly rows = $derived(this.histories ? comparisonRows(this.histories) : []);
  readonly best = $derived(bestPerColumn(this.rows));
  readonly mixedLikelihoods = $derived(mixedLikelihoods(this.rows));
  readonly settings = $derived(this.histories ? settingsDiff(this.histories) : []);

  constructor(api: Api, list: () => readonly RunSummary[] | null) {
    this.#api = api;
    this.#list = list;
  }

  isSelected(runId: string): boolean {
    return this.selected.includes(runId);
  }

  toggle(runId: string, on: boolean): void {
    const rest = this.selected.filter((id) => id !== runId);
    this.#ticked = on && rest.length < COMPARE_LIMITS.runs ? [...rest, runId] : rest;
  }

  clearSelection(): void {
    this.#ticked = [];
  }

  /** Shows the comparison of the ticked runs, read afresh from their folders. */
  async compare(): Promise<void> {
    if (!this.canCompare) return;
    this.shown = true;
    await this.reload();
  }

  /** Reads the compared runs again (one may still be training, or have been continued). */
  async reload(): Promise<void> {
    if (this.selected.length === 0) return;
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const result = await this.#api.invoke('runs:get-histories', { runIds: [...this.selected] });
      if (seq !== this.#seq) return;
      if (result.ok) {
        this.histories = result.value.runs;
        this.error = null;
      } else {
        this.error = result.message;
      }
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  close(): void {
    this.shown = false;
  }

  exportCurvesCsv(): void {
    if (this.histories) downloadText(curvesCsv(this.histories), 'run-comparison-curves.csv');
  }

  exportSummaryCsv(): void {
    if (this.histories) downloadText(summaryCsv(this.rows), 'run-comparison-summary.csv');
  }

  /** The chart as drawn (legend included) at twice its size. */
  async exportPng(svg: SVGSVGElement): Promise<void> {
    this.exporting = true;
    this.exportError = null;
    try {
      const blob = await svgToPng(svg, 2);
      const url = URL.createObjectURL(blob);
      downloadUrl(url, `run-comparison-${this.metric.id}.png`);
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.exportError = `The chart could not be saved as PNG: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.exporting = false;
    }
  }
}
