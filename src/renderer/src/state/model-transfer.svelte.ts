/**
 * Moving models in and out of Latent Studio: a run's newest model exported as TensorFlow.js files
 * or as ONNX (`model:export`, offered as downloads), and a model exported earlier imported from a folder as
 * a new run (`model:import`). The folder comes from the native dialog on the desktop, or from the
 * in-app folder browser where the host has none.
 */
import type { Api } from '../../../shared/contract';
import type { FolderRoot } from '../../../shared/dataset-types';
import type { ExportedFile } from '../../../shared/projection-types';
import type { ModelExportFormat } from '../../../shared/types';
import { FolderBrowserState } from './folder-browser.svelte';

/** What the export choice shows for each format. */
export const EXPORT_FORMAT_LABELS: Record<ModelExportFormat, { short: string; long: string }> = {
  tfjs: { short: 'TF.js', long: 'TensorFlow.js files (model.json + weights), which Import model reads back' },
  onnx: {
    short: 'ONNX',
    long: 'ONNX (encoder.onnx + decoder.onnx) with Python and JS samples, for notebooks and web pages',
  },
};

export class ModelTransferState {
  /** The format the runs' Export model buttons write. */
  format = $state<ModelExportFormat>('tfjs');
  /** The run whose model is being written. */
  exporting = $state<string | null>(null);
  /** The newest export: which run, in which format, and its files. */
  exported = $state.raw<{ runId: string; format: ModelExportFormat; files: ExportedFile[] } | null>(null);
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
    const { format } = this;
    this.exporting = runId;
    this.error = null;
    try {
      const result = await this.#api.invoke('model:export', { runId, format });
      if (!result.ok) {
        this.error = `Could not export the model of ${runId} as ${EXPORT_FORMAT_LABELS[format].short}: ${result.message}`;
        return null;
      }
      this.exported = { runId, format, files: result.value.files };
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
