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

/** K for `run:evaluate`: the app offers 100, 1,000 and 5,000. */
export const LIKELIHOOD_SAMPLES = { min: 1, max: 5000, default: 100 } as const;

export interface LikelihoodProgress {
  jobId: string;
  runId: string;
  samples: number;
  imagesDone: number;
  images: number;
}

export interface LikelihoodResult {
  jobId: string;
  runId: string;
  samples: number;
  /** The checkpoint's epoch the estimate is for (null when it never got that far). */
  epoch: number | null;
  outcome: 'completed' | 'cancelled' | 'failed';
  estimate: LikelihoodEstimate | null;
  error: string | null;
}
