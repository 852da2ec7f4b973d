/**
 * Exports of one gallery section (`gallery:export`): the engine decodes the latents again and
 * writes PNGs, one grid PNG or an animation into the run's exports folder; the section then lists
 * the files as download links.
 */
import type { Api } from '../../../shared/contract';
import type { GalleryExportKind } from '../../../shared/gallery-types';
import type { ExportedFile } from '../../../shared/projection-types';

export const EXPORT_KIND_LABELS: Record<GalleryExportKind, string> = {
  images: 'PNGs',
  grid: 'Grid PNG',
  animation: 'GIF',
};

/** What a section hands over to be written. */
export interface ExportRequest {
  runId: string;
  kind: GalleryExportKind;
  latents: Float32Array;
  columns: number;
  label: string;
  details: Record<string, string | number | null>;
}

export class GalleryExportState {
  /** 1×–8× the model's resolution. */
  scale = $state(4);
  busy = $state<GalleryExportKind | null>(null);
  /** The newest export's files. */
  files = $state.raw<ExportedFile[]>([]);
  kind = $state<GalleryExportKind | null>(null);
  error = $state<string | null>(null);

  readonly #api: Api;
  #seq = 0;

  constructor(api: Api) {
    this.#api = api;
  }

  /** Writes the files; they once written, else null (see `error`). */
  async export(request: ExportRequest): Promise<ExportedFile[] | null> {
    const seq = ++this.#seq;
    this.busy = request.kind;
    this.error = null;
    try {
      const result = await this.#api.invoke('gallery:export', {
        ...request,
        scale: this.scale,
        format: 'gif',
      });
      if (seq !== this.#seq) return null;
      if (!result.ok) {
        this.error = `Could not write the ${EXPORT_KIND_LABELS[request.kind]}: ${result.message}`;
        return null;
      }
      this.kind = request.kind;
      this.files = result.value.files;
      return result.value.files;
    } finally {
      if (seq === this.#seq) this.busy = null;
    }
  }

  url(file: ExportedFile): string {
    return this.#api.mediaUrl(file.mediaPath);
  }

  reset(): void {
    this.#seq++;
    this.busy = null;
    this.files = [];
    this.kind = null;
    this.error = null;
  }
}
