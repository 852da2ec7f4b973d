// Over 300 lines: the one place the cross-state steps live (open a dataset, start, continue or open a run); each step is short, and the public surface is pinned by unit tests.
/**
 * Everything the screen shares, built once per window and handed down through context so
 * components never reach for the host themselves. It also runs the few steps that cross states:
 * choosing a folder, opening a dataset, starting or continuing a run, opening a past run, which
 * run the latent map shows, and which workspace view is in front; at launch it reopens the run
 * opened or trained last.
 */
import { createContext } from 'svelte';
import type { Api } from '../../../shared/contract';
import type { FolderRoot } from '../../../shared/dataset-types';
import type { ErrorCode } from '../../../shared/result';
import type { RunSummary, RunTrash } from '../../../shared/run-types';
import type { TrainSettings } from '../../../shared/types';
import type { ConnectionSource } from '../lib/connection';
import { ConnectionState } from './connection.svelte';
import { DatasetPreviewState } from './dataset-preview.svelte';
import { DatasetsState, type SourceKind } from './datasets.svelte';
import { EngineState } from './engine.svelte';
import { FolderBrowserState } from './folder-browser.svelte';
import { FolderUploadState } from './folder-upload.svelte';
import { GalleryState } from './gallery.svelte';
import { LatentMapState } from './latent-map.svelte';
import { LikelihoodState } from './likelihood.svelte';
import { ModelTransferState } from './model-transfer.svelte';
import { GalleryExportState } from './gallery-export.svelte';
import { NoticesState } from './notices.svelte';
import { ResumeOfferState } from './resume-offer.svelte';
import { RunComparisonState } from './run-comparison.svelte';
import { RunsState } from './runs.svelte';
import { SettingsState } from './settings.svelte';
import { SpeedEstimateState } from './speed-estimate.svelte';
import { TrainingState } from './training.svelte';

export type WorkspaceView = 'dataset' | 'map' | 'gallery' | 'runs';

export class Studio {
  readonly notices = new NoticesState();
  readonly connection: ConnectionState;
  readonly engine: EngineState;
  readonly datasets: DatasetsState;
  readonly browser: FolderBrowserState;
  /** Folders uploaded to the browser host, which then open like any other folder. */
  readonly upload: FolderUploadState;
  readonly preview: DatasetPreviewState;
  readonly settings: SettingsState;
  /** Training speeds the engine measured, for how long the form's settings will train. */
  readonly speed: SpeedEstimateState;
  readonly training: TrainingState;
  readonly runs: RunsState;
  /** Runs ticked in the Runs tab and their comparison. */
  readonly comparison: RunComparisonState;
  /** Log-likelihood estimates: under way (asked for or automatic) and completed, per run. */
  readonly likelihood: LikelihoodState;
  readonly map: LatentMapState;
  readonly gallery: GalleryState;
  readonly models: ModelTransferState;
  readonly resumeOffer: ResumeOfferState;
  /** Exports of the images selected on the map. */
  readonly selectionExport: GalleryExportState;
  choosingFolder = $state(false);
  /**
   * What the loss panel of the map view shows: the live run, or the run last opened from the Runs
   * tab (while nothing trains). A new job puts the live run back in front.
   */
  focus = $state<'live' | 'explored'>('live');

  readonly #api: Api;
  #loaded = false;
  /** The workspace tab in front: the map while training, the dataset while picking one. */
  #view = $state<WorkspaceView>('map');
  /** Views chosen so far (a click on the current tab counts), so a late reply never overrides one. */
  #viewChoices = 0;

  constructor(api: Api, connection: ConnectionSource, search: string) {
    this.#api = api;
    // A restarted engine has none of the datasets the old one held: open the picked one again.
    this.engine = new EngineState(api, this.notices, () =>
      this.datasets.ensureOpen({ reconnected: true, reopenBuiltin: !this.training.active }),
    );
    this.browser = new FolderBrowserState(api);
    this.upload = new FolderUploadState(api, (root, relativePath) => this.useFolder(root, relativePath));
    this.preview = new DatasetPreviewState(api);
    this.datasets = new DatasetsState(api, this.notices, {
      opened: (summary, quiet) => {
        this.settings.adoptDataset(summary);
        if (!quiet) this.view = 'dataset';
      },
      failed: () => {
        this.view = 'dataset';
      },
    });
    this.settings = new SettingsState(search, () => this.datasets.opened);
    this.speed = new SpeedEstimateState(api);
    this.training = new TrainingState(api, this.notices, {
      adopted: () => {
        this.focus = 'live';
      },
    });
    this.runs = new RunsState(api, this.notices, () => this.#view === 'runs');
    this.comparison = new RunComparisonState(api, () => this.runs.list);
    // What a run's folder kept is known for the run opened from the Runs tab.
    this.likelihood = new LikelihoodState(api, (runId) => {
      const explored = this.runs.explored;
      return explored?.summary.runId === runId ? explored.likelihoods : [];
    });
    this.map = new LatentMapState(api, () => (this.training.active ? this.training.runId : null));
    this.gallery = new GalleryState(api, () => this.#view === 'gallery');
    this.models = new ModelTransferState(api, () => this.runs.refresh());
    this.resumeOffer = new ResumeOfferState(
      () => this.runs.list,
      () => this.training.state === 'idle' && this.training.pending === null,
    );
    this.selectionExport = new GalleryExportState(api);
    // After a dropped link the host may have restarted: ask again rather than trust stale state.
    this.connection = new ConnectionState(connection, {
      reopened: () => {
        this.notices.dismiss();
        void this.load();
      },
      // Requests cut off by the host's stop ("Lost connection") say less than the banner does now.
      stale: () => this.notices.dismiss(),
    });
  }

  /** The map view shows the explored run rather than the live one. */
  get exploring(): boolean {
    return this.focus === 'explored' && this.runs.explored !== null && !this.training.active;
  }

  /** The run the latent map shows: the explored one, else the run trained last (null: none). */
  get mapRunId(): string | null {
    return this.exploring ? (this.runs.explored?.summary.runId ?? null) : this.training.runId;
  }

  get view(): WorkspaceView {
    return this.#view;
  }

  /** Bringing the Runs tab to the front fetches the list again. */
  set view(view: WorkspaceView) {
    this.#view = view;
    this.#viewChoices++;
    if (view === 'runs') void this.runs.refresh();
  }

  /** The current run's settings: as this window sent them, or as the run's folder records them. */
  get runSettings(): TrainSettings | null {
    return this.training.settings ?? this.runs.find(this.training.runId)?.settings ?? null;
  }

  get runDatasetName(): string | null {
    return this.training.datasetName ?? this.runs.find(this.training.runId)?.datasetName ?? null;
  }

  /** Continue (from the run panel or the Runs tab) needs an idle engine and a reachable host. */
  get canContinue(): boolean {
    return this.training.canStart && this.connection.status === 'open';
  }

  /** Train is offered only when the form is valid, a dataset is open and the host is reachable. */
  get canTrain(): boolean {
    return (
      this.training.canStart &&
      this.settings.valid &&
      this.datasets.opened !== null &&
      this.datasets.scan === null &&
      this.connection.status === 'open'
    );
  }

  /** The source picker is locked while a run uses the dataset or a folder is being scanned. */
  get canChangeSource(): boolean {
    return !this.training.active && this.datasets.scan?.source.kind !== 'folder';
  }

  async load(): Promise<void> {
    const reconnected = this.#loaded;
    this.#loaded = true;
    await Promise.all([this.engine.load(), this.datasets.loadBuiltins(), this.runs.refresh()]);
    this.datasets.ensureOpen({ reconnected, reopenBuiltin: !this.training.active });
    if (!reconnected) await this.#reopenLastRun();
  }

  /** The run opened or trained last, if it is still on disk and nothing trains; else nothing. */
  async #reopenLastRun(): Promise<void> {
    const last = await this.#api.invoke('app:get-last-run', {});
    const runId = last.ok ? last.value.runId : null;
    if (runId === null) return;
    const listed = this.runs.find(runId);
    if (!listed || listed.unreadable || this.training.active || this.runs.explored) return;
    const opened = await this.runs.open(runId, { quiet: true });
    if (opened && !this.training.active) this.focus = 'explored';
  }

  selectSource(kind: SourceKind): void {
    if (!this.canChangeSource) return;
    this.datasets.selectSource(kind);
    this.view = 'dataset';
    // The browser host has no folder dialog: offer its folder browser straight away.
    if (kind === 'folder' && !this.datasets.folder && this.engine.info?.host === 'browser') {
      void this.browser.show();
    }
  }

  /** A native dialog on the desktop; the in-app folder browser where the host has none. */
  async chooseFolder(): Promise<void> {
    if (this.choosingFolder) return;
    this.choosingFolder = true;
    this.view = 'dataset';
    try {
      const result = await this.#api.invoke('dataset:choose-folder', {});
      if (result.ok) {
        if (result.value) this.useFolder(result.value, '');
      } else if (result.code === 'UNSUPPORTED') {
        await this.browser.show();
      } else {
        this.notices.showFailure(result, 'Open folder');
      }
    } finally {
      this.choosingFolder = false;
    }
  }

  useFolder(root: FolderRoot, relativePath: string): void {
    this.datasets.useFolder(root, relativePath);
    this.browser.hide();
    this.view = 'dataset';
  }

  openDataset(): void {
    this.view = 'dataset';
    void this.datasets.open();
  }

  async startTraining(): Promise<void> {
    const dataset = this.datasets.opened;
    const settings = dataset ? this.settings.toSettings(dataset.datasetId) : null;
    if (!dataset || !settings) return;
    const choicesBefore = this.#viewChoices;
    const refused = await this.training.start(settings, dataset.name);
    if (refused === null) {
      // To the live map, unless the user picked a view while the host was answering.
      if (this.#viewChoices === choicesBefore) this.view = 'map';
    } else if (refused === 'NOT_FOUND') {
      // The host let the dataset go (e.g. it restarted): open it again so the next press works.
      this.notices.show(
        'Dataset closed by the host',
        `${dataset.name} is being opened again; press Train once it is ready.`,
      );
      void this.datasets.reopen();
    }
  }

  /** Continues the run on screen from its newest checkpoint, up to `epochs` in total. */
  async continueCurrentRun(epochs: number, learningRate?: number): Promise<ErrorCode | null> {
    const { training } = this;
    const runId = training.runId;
    if (runId === null) return 'NOT_FOUND';
    // After a failure (the engine died) the last epoch's events may never have reached this
    // window: the run's folder has the whole history and the newest checkpoint.
    const fromDisk = training.state === 'failed' && (await this.runs.open(runId)) ? this.runs.explored : null;
    return this.#continue({
      runId,
      epochs,
      learningRate,
      fromEpoch: fromDisk?.summary.checkpointEpochs.at(-1) ?? training.lastCheckpointEpoch,
      history: fromDisk?.metrics ?? training.epochMetrics,
      settings: this.runSettings,
      datasetName: this.runDatasetName,
    });
  }

  /** Continues a run from the Runs tab, with whatever history this window holds for it. */
  async continueListedRun(run: RunSummary, epochs: number, learningRate?: number): Promise<ErrorCode | null> {
    // A run neither on screen nor opened (say, one interrupted before a restart) is opened first,
    // so its loss curve goes on from its whole history rather than from the checkpoint.
    if (this.runs.explored?.summary.runId !== run.runId && this.training.runId !== run.runId) {
      await this.runs.open(run.runId);
    }
    const explored = this.runs.explored;
    const history =
      explored?.summary.runId === run.runId
        ? explored.metrics
        : this.training.runId === run.runId
          ? this.training.epochMetrics
          : [];
    return this.#continue({
      runId: run.runId,
      epochs,
      learningRate,
      fromEpoch: run.checkpointEpochs.at(-1) ?? null,
      history,
      settings: run.settings,
      datasetName: run.datasetName,
    });
  }

  /**
   * "Duplicate settings": the training form takes the run's settings, and its dataset is chosen
   * when it is a built-in (a folder must be opened by the user: the window does not know its path).
   */
  duplicateSettings(run: RunSummary): void {
    this.settings.adoptRun(run.settings);
    const builtin = this.datasets.builtins.find((d) => d.id === run.datasetId);
    if (builtin && this.canChangeSource) {
      this.selectSource(builtin.id);
    } else if (this.datasets.opened?.datasetId !== run.datasetId) {
      this.notices.show(
        'Settings copied',
        `The training form has the settings of that run. Open the folder of “${run.datasetName}” to train on it.`,
      );
    }
    this.view = 'dataset';
  }

  /** Deletes a run; the views showing it let it go. Where it went, or null when refused. */
  async deleteRun(runId: string): Promise<RunTrash | null> {
    const trashed = await this.runs.delete(runId);
    if (trashed === null) return null;
    this.training.forgetRun(runId);
    if (this.runs.explored === null) this.focus = 'live';
    return trashed;
  }

  /** Opens a past run; while nothing trains, the map view's loss panel shows it. */
  async openRun(runId: string): Promise<void> {
    const opened = await this.runs.open(runId);
    if (opened && !this.training.active) this.focus = 'explored';
  }

  /** The points selected on the map, reconstructed in the Gallery, which comes to the front. */
  reconstructSelection(): void {
    const points = Array.from(this.map.view.selection);
    this.view = 'gallery';
    this.gallery.show(this.mapRunId);
    void this.gallery.reconstructPoints(points);
  }

  /** A map point as the Gallery's interpolation start or end, or its traversal centre. */
  useInGallery(use: 'from' | 'to' | 'around', point: number): void {
    // The Gallery follows the map's run: it resets on a new run, so it must show it first.
    this.gallery.show(this.mapRunId);
    const anchor = { kind: 'point', point } as const;
    if (use === 'around') this.gallery.setAround(anchor);
    else this.gallery.setEndpoint(use, anchor);
  }

  showLiveRun(): void {
    this.focus = 'live';
  }

  async #continue(request: Parameters<TrainingState['continueRun']>[0]): Promise<ErrorCode | null> {
    if (!this.canContinue) return 'BUSY';
    const choicesBefore = this.#viewChoices;
    const refused = await this.training.continueRun(request);
    if (refused === null) {
      this.focus = 'live';
      if (this.#viewChoices === choicesBefore) this.view = 'map';
    }
    return refused;
  }

  dispose(): void {
    this.map.dispose();
    this.runs.dispose();
    this.likelihood.dispose();
    this.connection.dispose();
    this.engine.dispose();
    this.datasets.dispose();
    this.training.dispose();
  }
}

export const [getStudio, setStudio] = createContext<Studio>();
