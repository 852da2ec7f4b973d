/**
 * The map run's per-image scores (`latent:get-scores`): how much each display image costs the
 * model to encode (−ELBO, with its reconstruction and KL terms). Scoring thousands of images takes
 * the engine seconds, so they are asked for only once something shows them (a colour field, the
 * outliers list), and again only when a newer epoch has changed the model.
 */
import type { PointScores } from '../../../shared/projection-types';
import { EngineFetch } from './engine-fetch.svelte';

export class PointScoresState extends EngineFetch {
  /** The newest scores of the run (kept on screen while a newer model's are on their way). */
  scores = $state.raw<PointScores | null>(null);

  /** The run and model epoch last asked for: asking again for them changes nothing. */
  #asked: string | null = null;

  /**
   * Scores `runId`'s points with its current model, unless that was asked for already (a failure
   * stays until `retry`). `modelEpoch`, the run's newest epoch, tells a new model from the old.
   */
  want(runId: string, modelEpoch: number | null): void {
    const key = `${runId}@${modelEpoch ?? 'none'}`;
    if (this.#asked === key) return;
    this.#asked = key;
    void this.#fetch(runId);
  }

  retry(runId: string): void {
    void this.#fetch(runId);
  }

  reset(): void {
    this.drop();
    this.#asked = null;
    this.scores = null;
  }

  async #fetch(runId: string): Promise<void> {
    // Another run's scores mean nothing here.
    if (this.scores && this.scores.runId !== runId) this.scores = null;
    this.error = null;
    await this.send(
      () => this.api.invoke('latent:get-scores', { runId }),
      (result) => {
        if (result.ok) this.scores = result.value;
        else this.error = `Could not score the images: ${result.message}`;
      },
    );
  }
}
