/** The importance-weighted log-likelihood estimate (IWAE bound) of a run, as the app shows it. */

/** What `estimateLogLikelihood` returns, in nats per image. */
export interface LikelihoodEstimate {
  /** Importance samples per image (K). */
  samples: number;
  /** Images the estimate averages over. */
  images: number;
  /** Pixel values per image (D), for bits/dim. */
  dimensions: number;
  /** Mean over images of the K-sample mean of −log w: the negative ELBO estimate. */
  negativeElbo: number;
  /** Mean over images of −(logsumexp_k log w_k − log K): the IWAE negative log-likelihood. */
  nll: number;
  /** nll / (D · ln 2); null for a continuous (Gaussian) likelihood, where it means nothing on [0, 1]. */
  bitsPerDim: number | null;
}

/** Which checkpoint an estimate is for: the best by validation −ELBO (what the run reports), or the newest. */
export type EvaluatedCheckpoint = 'best' | 'newest';

/** A completed estimate as the run folder keeps it (`likelihood.json`). */
export interface SavedLikelihood {
  /** The checkpoint's epoch. */
  epoch: number;
  /** Which checkpoint: the best by validation −ELBO (what the run reports), or the newest. */
  checkpoint: EvaluatedCheckpoint;
  /** The split the images came from. */
  split: 'test';
  /** Seed of the importance samples. */
  seed: number;
  /** Started by the app at the end of training (K = 100 on a capped subset) rather than asked for. */
  automatic: boolean;
  /** When it finished (ISO 8601). */
  finishedAt: string;
  estimate: LikelihoodEstimate;
}

/** K for `run:evaluate`: the app offers 1,000 and 5,000 on demand (100 comes at the end of a run). */
export const LIKELIHOOD_SAMPLES = { min: 1, max: 5000, default: 100 } as const;

/**
 * The estimate the engine makes by itself when a run completes: K = 100 on at most 1,000 test
 * images (never more than the run's own test cap), about 7 s for an MNIST MLP on two cores, so
 * every finished run has a log-likelihood without anyone asking (issue 14).
 */
export const AUTOMATIC_LIKELIHOOD = { samples: 100, images: 1000 } as const;

export interface LikelihoodProgress {
  jobId: string;
  runId: string;
  samples: number;
  imagesDone: number;
  images: number;
  /** Started by the engine at the end of training rather than asked for (`run:evaluate`). */
  automatic: boolean;
}

export interface LikelihoodResult {
  jobId: string;
  runId: string;
  samples: number;
  automatic: boolean;
  /** The checkpoint's epoch the estimate is for (null when it never got that far). */
  epoch: number | null;
  /** Which checkpoint that was (null when it never got that far). */
  checkpoint: EvaluatedCheckpoint | null;
  outcome: 'completed' | 'cancelled' | 'failed';
  estimate: LikelihoodEstimate | null;
  /**
   * Why it failed; for a completed estimate that could not be kept in the run folder (a full
   * disk), why not: the figures are still good, they are just not saved.
   */
  error: string | null;
  /** The completed estimate as the run folder keeps it; null unless completed. */
  saved: SavedLikelihood | null;
}
