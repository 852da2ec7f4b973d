/**
 * A handful of images of the chosen folder, prepared with the chosen options, so the user sees
 * what the model will see before committing to a full scan. Only the latest request counts.
 */
import type { Api } from '../../../shared/contract';
import type {
  DatasetSource,
  Preprocessing,
  SampleTiles,
  SuggestedFormat,
} from '../../../shared/dataset-types';

export interface PreviewResult {
  key: string;
  preprocessing: Preprocessing;
  samples: SampleTiles[];
  classNames: string[];
  skipped: number;
  /** The format the folder's images suggest, whatever the preprocessing asked for. */
  suggested: SuggestedFormat | null;
}

export function previewKey(source: DatasetSource, preprocessing: Preprocessing): string {
  return JSON.stringify([source, preprocessing]);
}

export class DatasetPreviewState {
  result = $state.raw<PreviewResult | null>(null);
  /** The key being fetched, or null when idle. */
  pendingKey = $state<string | null>(null);
  error = $state<string | null>(null);

  readonly #api: Api;
  #seq = 0;

  constructor(api: Api) {
    this.#api = api;
  }

  /** Fetches the preview unless it is shown or on its way; answers with it when this call got it. */
  async load(source: DatasetSource, preprocessing: Preprocessing): Promise<PreviewResult | null> {
    const key = previewKey(source, preprocessing);
    if (key === this.pendingKey || (key === this.result?.key && this.error === null)) return null;
    const seq = ++this.#seq;
    this.pendingKey = key;
    try {
      const result = await this.#api.invoke('dataset:preview', { source, preprocessing });
      if (seq !== this.#seq) return null;
      if (!result.ok) {
        this.error = result.message;
        return null;
      }
      const fresh: PreviewResult = { key, preprocessing, ...result.value };
      this.error = null;
      this.result = fresh;
      return fresh;
    } finally {
      if (seq === this.#seq) this.pendingKey = null;
    }
  }

  clear(): void {
    this.#seq += 1;
    this.result = null;
    this.pendingKey = null;
    this.error = null;
  }
}
