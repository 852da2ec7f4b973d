/**
 * The encoder means of the epoch the map's timeline is on: what the nearest-neighbour list and the
 * "colour by latent dimension" fields read, in the full latent space rather than the 2-D layout.
 * Fetched (`latent:get-epoch`) only while something needs them; a fetch the map made anyway can
 * hand its means over with `offer`.
 */
import type { ProjectionMethod } from '../../../shared/projection-types';
import type { LatentCodes } from '../lib/latent-neighbours';
import { EngineFetch } from './engine-fetch.svelte';

export interface EpochCodes extends LatentCodes {
  runId: string;
  epoch: number;
  values: Float32Array;
}

export class EpochMeansState extends EngineFetch {
  codes = $state.raw<EpochCodes | null>(null);

  #asked: string | null = null;

  /** The codes, when they are those of `runId` at `epoch`. */
  of(runId: string | null, epoch: number | null): EpochCodes | null {
    const codes = this.codes;
    return codes && codes.runId === runId && codes.epoch === epoch ? codes : null;
  }

  /** Fetches the codes of `runId` at `epoch` unless they are here or on their way. */
  want(runId: string, epoch: number, method: ProjectionMethod): void {
    const key = `${runId}@${epoch}`;
    if (this.#asked === key || this.of(runId, epoch)) return;
    this.#asked = key;
    void this.#fetch(runId, epoch, method);
  }

  /** Means the map fetched for its own reasons (`latent:get-epoch`): kept, no second fetch. */
  offer(runId: string, epoch: number, means: Float32Array, dim: number): void {
    if (dim < 1 || means.length % dim !== 0) return;
    this.drop();
    this.#asked = `${runId}@${epoch}`;
    this.codes = { runId, epoch, values: means, dim, count: means.length / dim };
  }

  reset(): void {
    this.drop();
    this.#asked = null;
    this.codes = null;
  }

  async #fetch(runId: string, epoch: number, method: ProjectionMethod): Promise<void> {
    this.error = null;
    await this.send(
      () => this.api.invoke('latent:get-epoch', { runId, epoch, method }),
      (result) => {
        if (!result.ok) {
          this.error = `Could not read epoch ${epoch}’s latent codes: ${result.message}`;
          // Asked again the next time something wants them.
          this.#asked = null;
          return;
        }
        const { means, latentDim } = result.value;
        this.codes = { runId, epoch, values: means, dim: latentDim, count: means.length / latentDim };
      },
    );
  }
}
