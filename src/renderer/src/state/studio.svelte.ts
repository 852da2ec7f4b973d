/**
 * Everything the screen shares, built once per window and handed down through context so
 * components never reach for the host themselves. It also runs the few steps that cross states:
 * choosing a folder, opening a dataset, starting a run, and which workspace view is in front.
 */
import { createContext } from 'svelte';
import type { Api } from '../../../shared/contract';
import type { FolderRoot } from '../../../shared/dataset-types';
import type { ConnectionSource } from '../lib/connection';
import { ConnectionState } from './connection.svelte';
import { DatasetPreviewState } from './dataset-preview.svelte';
import { DatasetsState, type SourceKind } from './datasets.svelte';
import { EngineState } from './engine.svelte';
import { FolderBrowserState } from './folder-browser.svelte';
import { NoticesState } from './notices.svelte';
import { SettingsState } from './settings.svelte';
import { TrainingState } from './training.svelte';

export type WorkspaceView = 'dataset' | 'map';

export class Studio {
  readonly notices = new NoticesState();
  readonly connection: ConnectionState;
  readonly engine: EngineState;
  readonly datasets: DatasetsState;
  readonly browser: FolderBrowserState;
  readonly preview: DatasetPreviewState;
  readonly settings: SettingsState;
  readonly training: TrainingState;
  /** The workspace tab in front: the map while training, the dataset while picking one. */
  view = $state<WorkspaceView>('map');
  choosingFolder = $state(false);

  readonly #api: Api;
  #loaded = false;

  constructor(api: Api, connection: ConnectionSource, search: string) {
    this.#api = api;
    this.engine = new EngineState(api, this.notices);
    this.browser = new FolderBrowserState(api);
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
    this.training = new TrainingState(api, this.notices);
    // After a dropped link the host may have restarted: ask again rather than trust stale state.
    this.connection = new ConnectionState(connection, () => {
      this.notices.dismiss();
      void this.load();
    });
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
    await Promise.all([this.engine.load(), this.datasets.loadBuiltins()]);
    this.datasets.ensureOpen({ reconnected, reopenBuiltin: !this.training.active });
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
    const refused = await this.training.start(settings, dataset.name);
    if (refused === null) {
      this.view = 'map';
    } else if (refused === 'NOT_FOUND') {
      // The host let the dataset go (e.g. it restarted): open it again so the next press works.
      this.notices.show(
        'Dataset closed by the host',
        `${dataset.name} is being opened again; press Train once it is ready.`,
      );
      void this.datasets.reopen();
    }
  }

  dispose(): void {
    this.connection.dispose();
    this.engine.dispose();
    this.datasets.dispose();
    this.training.dispose();
  }
}

export const [getStudio, setStudio] = createContext<Studio>();
