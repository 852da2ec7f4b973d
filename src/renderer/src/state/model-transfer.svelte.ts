/**
 * Moving models in and out of Latent Studio: a run's newest model exported as TensorFlow.js files
 * (`model:export`, offered as downloads), and a model exported earlier imported from a folder as
 * a new run (`model:import`). The folder comes from the native dialog on the desktop, or from the
 * in-app folder browser where the host has none.
 */
import type { Api } from '../../../shared/contract';
import type { FolderRoot } from '../../../shared/dataset-types';
import type { ExportedFile } from '../../../shared/projection-types';
import { FolderBrowserState } from './folder-browser.svelte';

export class ModelTransferState {
  /** The run whose model is being written. */
  exporting = $state<string | null>(null);
  /** The newest export: which run, and its files. */
  exported = $state.raw<{ runId: string; files: ExportedFile[] } | null>(null);
  importing = $state(false);
  /** The run the newest import became. */
  imported = $state<string | null>(null);
  error = $state<string | null>(null);
  /** The in-app browser for the folder to import (hosts without a dialog). */
  readonly browser: FolderBrowserState;

  readonly #api: Api;
  readonly #refresh: () => Promise<void>;

  /** `refresh` lists the runs again, once an import has added one. */
  constructor(api: Api, refresh: () => Promise<void>) {
    this.#api = api;
    this.#refresh = refresh;
    this.browser = new FolderBrowserState(api);
  }

  async exportModel(runId: string): Promise<ExportedFile[] | null> {
    this.exporting = runId;
    this.error = null;
    try {
      const result = await this.#api.invoke('model:export', { runId });
      if (!result.ok) {
        this.error = `Could not export the model of ${runId}: ${result.message}`;
        return null;
      }
      this.exported = { runId, files: result.value.files };
      return result.value.files;
    } finally {
      this.exporting = null;
    }
  }

  /** Asks for a folder: a native dialog where there is one, else the in-app browser opens. */
  async chooseFolder(): Promise<void> {
    this.error = null;
    const result = await this.#api.invoke('dataset:choose-folder', {});
    if (result.ok) {
      if (result.value) await this.importFrom(result.value, '');
    } else if (result.code === 'UNSUPPORTED') {
      await this.browser.show();
    } else {
      this.error = `Could not open a folder: ${result.message}`;
    }
  }

  async importFrom(root: FolderRoot, relativePath: string): Promise<void> {
    this.importing = true;
    this.error = null;
    try {
      const result = await this.#api.invoke('model:import', { rootId: root.id, relativePath });
      if (!result.ok) {
        this.error = `Could not import the model: ${result.message}`;
        return;
      }
      this.browser.hide();
      this.imported = result.value.runId;
      await this.#refresh();
    } finally {
      this.importing = false;
    }
  }

  url(file: ExportedFile): string {
    return this.#api.mediaUrl(file.mediaPath);
  }
}
