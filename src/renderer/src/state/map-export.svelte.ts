/**
 * Exports of the map on screen (`latent:export`): the engine writes the files into the run's
 * folder and answers with their media paths; the view offers them as downloads.
 */
import type { Api } from '../../../shared/contract';
import type { EmbeddingExportFormat, ExportedFile, ProjectionMethod } from '../../../shared/projection-types';
import { NewestRequest } from '../lib/newest-request';

export interface MapExport {
  format: EmbeddingExportFormat;
  epoch: number;
  method: ProjectionMethod;
  files: ExportedFile[];
}

export const EXPORT_LABELS: Record<EmbeddingExportFormat, string> = {
  csv: 'CSV',
  projector: 'TensorBoard projector',
};

export class MapExportState {
  /** The format being written. */
  busy = $state<EmbeddingExportFormat | null>(null);
  /** The newest export, whose files the menu lists. */
  last = $state.raw<MapExport | null>(null);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #requests = new NewestRequest();

  constructor(api: Api) {
    this.#api = api;
  }

  /** Writes the epoch's layout by `method`; the export once written, or null (see `error`). */
  async export(
    runId: string,
    epoch: number,
    method: ProjectionMethod,
    format: EmbeddingExportFormat,
  ): Promise<MapExport | null> {
    this.error = null;
    return this.#requests.send(
      () => this.#api.invoke('latent:export', { runId, epoch, method, format }),
      (on) => (this.busy = on ? format : null),
      (result): MapExport | null => {
        if (!result.ok) {
          this.error = `Could not export the ${EXPORT_LABELS[format]} files: ${result.message}`;
          return null;
        }
        this.last = { format, epoch, method, files: result.value.files };
        return this.last;
      },
    );
  }

  /** The media URL of an exported file, for `<a download href>`. */
  url(file: ExportedFile): string {
    return this.#api.mediaUrl(file.mediaPath);
  }

  reset(): void {
    this.#requests.drop();
    this.busy = null;
    this.last = null;
    this.error = null;
  }
}
