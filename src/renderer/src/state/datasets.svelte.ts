// Over 300 lines: one state class; the dataset choice and its scan's lifecycle (early events, progress batching, cancel) share its private fields.
/**
 * The dataset the next run trains on, and the workflow that picks and opens it: a built-in, or a
 * folder prepared with the user's options. Opening is a host job (`dataset:open`) reporting
 * through events; like training, events carry a jobId and jobs we left behind are ignored.
 */
import { BUILTIN_DATASETS, DEFAULT_PREPROCESSING } from '../../../shared/builtin-datasets';
import type { Api } from '../../../shared/contract';
import type {
  BuiltinDatasetId,
  DatasetOpenFailure,
  DatasetSource,
  DatasetSummary,
  FolderRoot,
  Preprocessing,
  ScanProgress,
  SuggestedFormat,
} from '../../../shared/dataset-types';
import type { BuiltinDataset } from '../../../shared/types';
import { folderPath, samePreprocessing, sameSource } from '../lib/dataset-text';
import { createFrameBatcher } from '../lib/frame-batcher';
import type { NoticesState } from './notices.svelte';

/** What the source picker offers: a built-in by id, or a folder. */
export type SourceKind = BuiltinDatasetId | 'folder';

export interface ChosenFolder {
  root: FolderRoot;
  /** '' for the root itself; `/`-separated. */
  relativePath: string;
}

export interface Scan {
  /** Null until the host answers `dataset:open`. */
  jobId: string | null;
  /** What is being opened, in words. */
  title: string;
  source: DatasetSource;
  preprocessing: Preprocessing;
  progress: ScanProgress | null;
  cancelling: boolean;
  /** Opened without the user asking (first load, reconnect): the screen stays where it is. */
  quiet: boolean;
}

export interface DatasetsHooks {
  opened(summary: DatasetSummary, quiet: boolean): void;
  failed(failure: DatasetOpenFailure, quiet: boolean): void;
}

type ScanEvent =
  | { kind: 'progress'; progress: ScanProgress }
  | { kind: 'open'; summary: DatasetSummary }
  | { kind: 'fail'; failure: DatasetOpenFailure };

/** Events that may arrive before the `dataset:open` reply that names their job. */
const EARLY_EVENT_LIMIT = 64;

export function isSourceKind(value: string): value is SourceKind {
  return value === 'folder' || BUILTIN_DATASETS.some((d) => d.id === value);
}

export class DatasetsState {
  /** The host's list once loaded; the built-in table until then, so the picker is never empty. */
  builtins = $state.raw<BuiltinDataset[]>(BUILTIN_DATASETS);
  sourceKind = $state<SourceKind>('mnist');
  folder = $state.raw<ChosenFolder | null>(null);
  /** Replaced whole on every change, so it can be sent to the host as it is. */
  preprocessing = $state.raw<Preprocessing>({ ...DEFAULT_PREPROCESSING });
  scan = $state.raw<Scan | null>(null);
  /** The dataset training uses. */
  opened = $state.raw<DatasetSummary | null>(null);
  failure = $state.raw<DatasetOpenFailure | null>(null);
  /** What the failed open was trying to open, in words. */
  failureTitle = $state('');
  /** What the chosen folder's images suggested in its first preview; null until then or when none. */
  suggestion = $state.raw<SuggestedFormat | null>(null);

  selectedBuiltin = $derived(
    this.sourceKind === 'folder' ? null : (this.builtins.find((d) => d.id === this.sourceKind) ?? null),
  );

  /** The source the picker describes, or null while no folder is chosen. */
  draftSource = $derived.by((): DatasetSource | null => {
    if (this.sourceKind !== 'folder') return { kind: 'builtin', id: this.sourceKind };
    if (!this.folder) return null;
    return { kind: 'folder', rootId: this.folder.root.id, relativePath: this.folder.relativePath };
  });

  /** The picker shows exactly what is open (built-ins ignore preprocessing). */
  draftIsOpen = $derived.by(() => {
    const draft = this.draftSource;
    const opened = this.opened;
    if (!draft || !opened || !sameSource(draft, opened.source)) return false;
    return draft.kind === 'builtin' || samePreprocessing(this.preprocessing, opened.preprocessing);
  });

  /** The draft is what is being opened right now. */
  draftIsOpening = $derived.by(() => {
    const draft = this.draftSource;
    const scan = this.scan;
    if (!draft || !scan || !sameSource(draft, scan.source)) return false;
    return draft.kind === 'builtin' || samePreprocessing(this.preprocessing, scan.preprocessing);
  });

  readonly #api: Api;
  readonly #notices: NoticesState;
  readonly #hooks: DatasetsHooks;
  /** Jobs we left; never rendered, so a plain list is enough. */
  readonly #retired: string[] = [];
  #early: { jobId: string; event: ScanEvent }[] = [];
  #openSeq = 0;
  /** Format fields the user set for the chosen folder: a suggestion never overrides them. */
  #chosen = { size: false, channels: false };
  /** The chosen folder's suggestion was taken: later previews of it leave the fields alone. */
  #suggestionTaken = false;
  readonly #progressBatcher = createFrameBatcher<ScanProgress>((items) => this.#applyProgress(items));
  readonly #unsubscribes: (() => void)[];

  constructor(api: Api, notices: NoticesState, hooks: DatasetsHooks) {
    this.#api = api;
    this.#notices = notices;
    this.#hooks = hooks;
    this.#unsubscribes = [
      api.on('dataset:did-progress', (progress) =>
        this.#receive(progress.jobId, { kind: 'progress', progress }),
      ),
      api.on('dataset:did-open', ({ jobId, summary }) => this.#receive(jobId, { kind: 'open', summary })),
      api.on('dataset:did-fail', (failure) => this.#receive(failure.jobId, { kind: 'fail', failure })),
    ];
  }

  async loadBuiltins(): Promise<void> {
    const result = await this.#api.invoke('dataset:list-builtin', {});
    if (!result.ok) {
      this.#notices.showFailure(result, 'Datasets');
      return;
    }
    this.builtins = result.value;
  }

  /**
   * Makes sure something is open to train on: the picked built-in on first load. After a
   * reconnect the host may have restarted, so a scan under way is started again and (unless
   * `reopenBuiltin` is false, e.g. mid-run) an open built-in is reopened to refresh its id.
   */
  ensureOpen({ reconnected, reopenBuiltin }: { reconnected: boolean; reopenBuiltin: boolean }): void {
    const scan = this.scan;
    if (scan) {
      if (reconnected) void this.#open(scan.source, scan.preprocessing, scan.title, scan.quiet);
      return;
    }
    const opened = this.opened;
    if (!opened) {
      const builtin = this.selectedBuiltin;
      if (builtin) void this.#openBuiltin(builtin, true);
    } else if (reconnected && reopenBuiltin && opened.source.kind === 'builtin') {
      void this.#open(opened.source, opened.preprocessing, opened.name, true);
    }
  }

  /** A built-in opens at once (it is quick); a folder waits for the user to choose one. */
  selectSource(kind: SourceKind): void {
    this.sourceKind = kind;
    this.failure = null;
    const builtin = this.selectedBuiltin;
    if (builtin && !this.draftIsOpen && !this.draftIsOpening) void this.#openBuiltin(builtin, false);
  }

  useFolder(root: FolderRoot, relativePath: string): void {
    const previous = this.folder;
    if (previous?.root.id !== root.id || previous.relativePath !== relativePath) {
      // A new folder gets its own suggestion, even over what was chosen for the last one; what
      // was chosen before any folder was picked is kept for the first.
      if (previous) this.#chosen = { size: false, channels: false };
      this.#suggestionTaken = false;
      this.suggestion = null;
    }
    this.sourceKind = 'folder';
    this.folder = { root, relativePath };
    this.failure = null;
  }

  /** The user's change to the fields. */
  setPreprocessing(patch: Partial<Preprocessing>): void {
    if (patch.size !== undefined) this.#chosen.size = true;
    if (patch.channels !== undefined) this.#chosen.channels = true;
    this.preprocessing = { ...this.preprocessing, ...patch };
  }

  /**
   * A preview's suggestion for `source`. The first one for the chosen folder sets the size and
   * channels the user has not set; later ones change nothing, so a size the user picks after it
   * is never put back.
   */
  takeSuggestion(source: DatasetSource, suggested: SuggestedFormat | null): void {
    const draft = this.draftSource;
    if (this.#suggestionTaken || draft?.kind !== 'folder' || !sameSource(draft, source)) return;
    this.#suggestionTaken = true;
    this.suggestion = suggested;
    if (!suggested) return;
    const patch: Partial<Preprocessing> = {};
    if (!this.#chosen.size) patch.size = suggested.size;
    if (!this.#chosen.channels) patch.channels = suggested.channels;
    // A new object would ask for a new preview even when nothing changed.
    if (Object.keys(patch).length > 0) this.preprocessing = { ...this.preprocessing, ...patch };
  }

  /** Opens the picked folder with the picked options. */
  open(): Promise<void> {
    const folder = this.folder;
    const source = this.draftSource;
    if (this.sourceKind !== 'folder' || !folder || !source) return Promise.resolve();
    return this.#open(source, this.preprocessing, folderPath(folder.root, folder.relativePath), false);
  }

  /** Opens what was open again, e.g. after the host said it no longer has it. */
  reopen(): Promise<void> {
    const opened = this.opened;
    if (!opened || this.scan) return Promise.resolve();
    return this.#open(opened.source, opened.preprocessing, opened.name, true);
  }

  async cancelScan(): Promise<void> {
    const scan = this.scan;
    if (!scan || scan.cancelling) return;
    const jobId = scan.jobId;
    if (jobId === null) {
      // The reply has not come yet; it will be cancelled when it does.
      this.#abandon();
      return;
    }
    this.scan = { ...scan, cancelling: true };
    const result = await this.#api.invoke('job:cancel', { jobId });
    if (this.scan?.jobId !== jobId) return;
    if (result.ok || result.code === 'JOB_NOT_FOUND') {
      this.#abandon();
    } else {
      this.scan = { ...this.scan, cancelling: false };
      this.#notices.showFailure(result, 'Could not cancel');
    }
  }

  dismissFailure(): void {
    this.failure = null;
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.#progressBatcher.clear();
  }

  #openBuiltin(builtin: BuiltinDataset, quiet: boolean): Promise<void> {
    return this.#open({ kind: 'builtin', id: builtin.id }, DEFAULT_PREPROCESSING, builtin.name, quiet);
  }

  async #open(
    source: DatasetSource,
    preprocessing: Preprocessing,
    title: string,
    quiet: boolean,
  ): Promise<void> {
    this.#abandon();
    const seq = ++this.#openSeq;
    // A quiet reopen (after a reconnect or an engine restart) leaves the user's last failure shown.
    if (!quiet) this.failure = null;
    this.scan = { jobId: null, title, source, preprocessing, progress: null, cancelling: false, quiet };
    const result = await this.#api.invoke('dataset:open', { source, preprocessing });
    if (seq !== this.#openSeq) {
      // Superseded or cancelled while the host was answering: stop the job it started.
      if (result.ok) this.#forget(result.value.jobId);
      return;
    }
    if (!result.ok) {
      this.scan = null;
      this.#early = [];
      this.#notices.showFailure(result, `Could not open ${title}`);
      return;
    }
    const jobId = result.value.jobId;
    this.scan = { ...this.scan!, jobId };
    const early = this.#early.filter((e) => e.jobId === jobId);
    this.#early = [];
    for (const { event } of early) this.#apply(event);
  }

  /** Drops the scan under way, cancelling its job on the host. */
  #abandon(): void {
    this.#openSeq += 1;
    this.#early = [];
    this.#progressBatcher.clear();
    const scan = this.scan;
    this.scan = null;
    if (scan?.jobId) this.#forget(scan.jobId);
  }

  #forget(jobId: string): void {
    if (!this.#retired.includes(jobId)) this.#retired.push(jobId);
    void this.#api.invoke('job:cancel', { jobId });
  }

  #receive(jobId: string, event: ScanEvent): void {
    if (this.#retired.includes(jobId)) return;
    const scan = this.scan;
    if (scan?.jobId === jobId) this.#apply(event);
    else if (scan && scan.jobId === null && this.#early.length < EARLY_EVENT_LIMIT) {
      this.#early.push({ jobId, event });
    }
  }

  #apply(event: ScanEvent): void {
    const scan = this.scan;
    if (!scan?.jobId) return;
    if (event.kind === 'progress') {
      this.#progressBatcher.push(event.progress);
      return;
    }
    this.#retired.push(scan.jobId);
    this.#progressBatcher.clear();
    this.scan = null;
    if (event.kind === 'open') {
      this.opened = event.summary;
      if (!scan.quiet || this.failureTitle === scan.title) this.failure = null;
      this.#hooks.opened(event.summary, scan.quiet);
    } else if (event.failure.code !== 'CANCELLED') {
      this.failure = event.failure;
      this.failureTitle = scan.title;
      if (scan.quiet) this.#notices.show(`Could not open ${scan.title}`, event.failure.message);
      this.#hooks.failed(event.failure, scan.quiet);
    }
  }

  #applyProgress(items: ScanProgress[]): void {
    const scan = this.scan;
    const last = items.filter((p) => p.jobId === scan?.jobId).at(-1);
    if (scan && last) this.scan = { ...scan, progress: last };
  }
}
