/**
 * Images the user brought to the map (picked or dropped): sent to the engine in calls small enough
 * for any host (lib/upload-batches.ts), which prepares each as the run's dataset was, encodes and
 * reconstructs it with the run's current model. The placed ones and the skipped ones (with why)
 * belong to the run they were placed on; another run's map shows none of them.
 */
import type { Api } from '../../../shared/contract';
import type { PlacedImage, SkippedImage } from '../../../shared/projection-types';
import { batchFiles, type BatchLimits } from '../lib/upload-batches';

/** A placed image, with what it was placed by. */
export interface PlacedEntry extends PlacedImage {
  /** Unique within the list (two files may share a name). */
  id: number;
  /** The newest epoch of the run when it was placed: the model that encoded it. */
  modelEpoch: number | null;
}

export class PlacedImagesState {
  /** The run the lists belong to. */
  runId = $state<string | null>(null);
  placed = $state.raw<PlacedEntry[]>([]);
  skipped = $state.raw<SkippedImage[]>([]);
  /** Files sent and to send while a drop is being placed. */
  sending = $state.raw<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #limits: BatchLimits;
  #nextId = 1;
  /** Bumped by `clear` and by a new run: answers to older calls are dropped. */
  #generation = 0;

  constructor(api: Api, limits: BatchLimits) {
    this.#api = api;
    this.#limits = limits;
  }

  /** The lists, when they belong to `runId`. */
  of(runId: string | null): { placed: PlacedEntry[]; skipped: SkippedImage[] } {
    return runId !== null && runId === this.runId
      ? { placed: this.placed, skipped: this.skipped }
      : { placed: [], skipped: [] };
  }

  /** Places `files` on the map of `runId` (whose newest model epoch is `modelEpoch`). */
  async add(runId: string, files: readonly File[], modelEpoch: number | null): Promise<void> {
    if (files.length === 0) return;
    if (runId !== this.runId) this.#startRun(runId);
    const generation = this.#generation;
    const { calls, refused } = batchFiles(
      files.map((file) => file.size),
      this.#limits,
    );
    this.skipped = [
      ...this.skipped,
      ...refused.map(({ index, reason }) => ({ name: files[index]!.name, reason })),
    ];
    const total = calls.reduce((sum, call) => sum + call.length, 0);
    let done = 0;
    this.error = null;
    this.sending = { done, total };
    try {
      for (const call of calls) {
        const chosen = call.map((index) => files[index]!);
        const images = await Promise.all(
          chosen.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
        );
        const result = await this.#api.invoke('latent:place-images', { runId, images });
        if (generation !== this.#generation) return;
        done += call.length;
        this.sending = { done, total };
        if (!result.ok) {
          // The call as a whole was refused: every file in it says why.
          this.skipped = [
            ...this.skipped,
            ...chosen.map((file) => ({ name: file.name, reason: result.message })),
          ];
          continue;
        }
        const placed = result.value.placed.map((image) => ({ ...image, id: this.#nextId++, modelEpoch }));
        this.placed = [...this.placed, ...placed];
        this.skipped = [...this.skipped, ...result.value.skipped];
      }
    } catch (error) {
      if (generation === this.#generation) {
        this.error = `Could not read the files: ${error instanceof Error ? error.message : String(error)}`;
      }
    } finally {
      if (generation === this.#generation) this.sending = null;
    }
  }

  remove(id: number): void {
    this.placed = this.placed.filter((entry) => entry.id !== id);
  }

  clear(): void {
    this.#generation++;
    this.placed = [];
    this.skipped = [];
    this.sending = null;
    this.error = null;
  }

  #startRun(runId: string): void {
    this.clear();
    this.runId = runId;
  }
}
