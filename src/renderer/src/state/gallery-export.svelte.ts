/**
 * Exports of one gallery section (`gallery:export`): the engine decodes the latents again and
 * writes PNGs, one grid PNG or an animation into the run's exports folder; the section then lists
 * the files as download links.
 */
import type { Api } from '../../../shared/contract';
import type { AnimationFormat, GalleryExportKind } from '../../../shared/gallery-types';
import type { ExportedFile } from '../../../shared/projection-types';
import type { Result } from '../../../shared/result';
import { NewestRequest } from '../lib/newest-request';

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

/** What a section exports, but for the run and the kind, which the export buttons add. */
export type ExportContent = Omit<ExportRequest, 'runId' | 'kind'>;

/** The request to write `content` as `kind` into `runId`'s exports; null while no run is shown. */
export function exportOf(
  runId: string | null,
  kind: GalleryExportKind,
  content: ExportContent,
): ExportRequest | null {
  return runId === null ? null : { runId, kind, ...content };
}

/** Both export requests answer with the files written. */
type WrittenFiles = Promise<Result<{ files: ExportedFile[] }>>;

export class GalleryExportState {
  /** 1×–8× the model's resolution. */
  scale = $state(4);
  /** What an animation is written as. */
  format = $state<AnimationFormat>('gif');
  busy = $state<GalleryExportKind | null>(null);
  /** The newest export's files. */
  files = $state.raw<ExportedFile[]>([]);
  kind = $state<GalleryExportKind | null>(null);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #requests = new NewestRequest();

  constructor(api: Api) {
    this.#api = api;
  }

  /** Writes the files; they once written, else null (see `error`). */
  async export(request: ExportRequest): Promise<ExportedFile[] | null> {
    const send = (): WrittenFiles =>
      this.#api.invoke('gallery:export', { ...request, scale: this.scale, format: this.format });
    return this.#write(request.kind, send);
  }

  /** Writes the dataset images of chosen map points (PNGs or one grid). */
  async exportPoints(request: {
    runId: string;
    points: number[];
    kind: 'images' | 'grid';
    columns: number;
  }): Promise<ExportedFile[] | null> {
    const send = (): WrittenFiles =>
      this.#api.invoke('gallery:export-points', { ...request, scale: this.scale });
    return this.#write(request.kind, send);
  }

  async #write(kind: GalleryExportKind, send: () => WrittenFiles): Promise<ExportedFile[] | null> {
    this.error = null;
    return this.#requests.send(
      send,
      (on) => (this.busy = on ? kind : null),
      (result) => this.#settle(kind, result),
    );
  }

  #settle(kind: GalleryExportKind, result: Awaited<WrittenFiles>): ExportedFile[] | null {
    if (!result.ok) {
      this.error = `Could not write the ${EXPORT_KIND_LABELS[kind]}: ${result.message}`;
      return null;
    }
    const { files } = result.value;
    this.kind = kind;
    this.files = files;
    return files;
  }

  url(file: ExportedFile): string {
    return this.#api.mediaUrl(file.mediaPath);
  }

  reset(): void {
    this.#requests.drop();
    this.busy = null;
    this.files = [];
    this.kind = null;
    this.error = null;
  }
}
