/**
 * How the latent map lays out the encoder means in 2-D. Pure data shared by the engine (which
 * computes layouts), main (which validates requests) and the renderer (which draws them).
 */
import type { MetadataField } from './dataset-types';

// Moved to export-types.ts with the model's export formats; re-exported for the renderer's imports.
export { EXPORT_FORMATS, type EmbeddingExportFormat, type ExportedFile } from './export-types';

export const PROJECTION_METHODS = ['pca', 'umap', 'tsne', 'axes'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

export interface ProjectionSettings {
  method: ProjectionMethod;
  /** t-SNE: effective number of neighbours each point's affinity spreads over. Default 30. */
  perplexity: number;
  /** UMAP: size of the local neighbourhood. Default 15. */
  neighbors: number;
  /** UMAP: how tightly points may pack in the layout (0–1). Default 0.1. */
  minDist: number;
  /**
   * Optimisation steps of a layout computed from scratch (t-SNE iterations, UMAP epochs). A
   * warm-started per-epoch update runs a fraction of them. Default 1000 (t-SNE) / 500 (UMAP).
   */
  iterations: number;
  /** "raw axes": the two latent dimensions shown (0-based). Default 0 and 1. */
  axes: [number, number];
  /** Seed of the random initialisation and sampling; a fixed seed gives the same layout. */
  seed: number;
}

export const DEFAULT_PROJECTION_SETTINGS: ProjectionSettings = {
  method: 'pca',
  perplexity: 30,
  neighbors: 15,
  minDist: 0.1,
  iterations: 1000,
  axes: [0, 1],
  seed: 1,
};

export const PROJECTION_LIMITS = {
  perplexity: { min: 2, max: 100 },
  neighbors: { min: 2, max: 200 },
  minDist: { min: 0, max: 1 },
  iterations: { min: 10, max: 10_000 },
} as const;

export const PROJECTION_LABELS: Record<ProjectionMethod, string> = {
  pca: 'PCA',
  umap: 'UMAP',
  tsne: 't-SNE',
  axes: 'Raw axes',
};

/**
 * The method a new run starts with: the latent space itself when it is already 2-D, else UMAP,
 * which separates MNIST's digits from the first epoch where PCA of a 20-D code overlaps them
 * (10-NN label agreement ≈ 0.9 vs ≈ 0.5) and, unlike t-SNE, keeps some of the global layout.
 */
export function defaultMethodFor(latentDim: number): ProjectionMethod {
  return latentDim === 2 ? 'axes' : 'umap';
}

/** A 2-D layout of a run's display points at one epoch. */
export interface LatentLayout {
  runId: string;
  /** The projection job that made it; null for the automatic per-epoch update. */
  jobId: string | null;
  epoch: number;
  method: ProjectionMethod;
  count: number;
  /** Row-major count × 2, in the frame of the layout before it (aligned, so points stay put). */
  positions: Float32Array;
  /** False while an iterative method is still converging (an intermediate frame). */
  final: boolean;
  /**
   * A live layout made while training: how many points t-SNE / UMAP laid out (the others were
   * placed beside their nearest codes); the full layout follows when training ends. Null or
   * absent: every point was laid out by the method.
   */
  sampled?: number | null;
}

export interface ProjectionProgress {
  jobId: string;
  runId: string;
  epoch: number;
  method: ProjectionMethod;
  /** Iterations done and planned. */
  done: number;
  total: number;
}

/** What a run's map shows, fixed for the run: the display points and what is known about them. */
export interface LatentPoints {
  runId: string;
  count: number;
  latentDim: number;
  labels: Uint8Array;
  classNames: string[];
  /** Per-point values of the dataset's metadata fields (e.g. sprite factors), for colouring. */
  metadata: { field: MetadataField; values: Float32Array }[];
  /** File path inside the dataset folder, or "<dataset id> #<index>" for a built-in dataset. */
  names: string[];
  /** 1 where the point is from the held-out split. */
  heldOut: Uint8Array;
  /** Epochs with stored latent codes, ascending: the timeline. */
  epochs: number[];
  /** The projection the run's live updates use. */
  projection: ProjectionSettings;
}

/** One epoch of a run: the encoder means of its display points and, when computed, a layout. */
export interface EpochLatents {
  runId: string;
  epoch: number;
  latentDim: number;
  /** Row-major count × latentDim. */
  means: Float32Array;
  /** The stored layout for the asked method, or null when it has not been computed yet. */
  layout: LatentLayout | null;
}

/** A projection job that ended without a final layout. */
export interface ProjectionStopped {
  jobId: string;
  runId: string;
  epoch: number;
  method: ProjectionMethod;
  reason: 'cancelled' | 'failed';
  message: string;
}

/** The media paths the hosts serve (custom protocol on the desktop, /media/ in the browser host). */
export const mediaPaths = {
  /** PNG of a display point's image. */
  image: (runId: string, point: number) => `image/${runId}/${point}.png`,
  /** PNG of a display point's reconstruction by the run's current model. */
  reconstruction: (runId: string, point: number) => `reconstruction/${runId}/${point}.png`,
  /** A file the run exported. */
  exported: (runId: string, name: string) =>
    `export/${runId}/${name.split('/').map(encodeURIComponent).join('/')}`,
};

/**
 * How well a run's model explains each display point (for "find the odd ones"): per image, the
 * negative ELBO and its two terms, averaged over a few seeded draws of z from q(z|x).
 */
export interface PointScores {
  runId: string;
  /** The checkpoint epoch of the model that scored the points. */
  epoch: number;
  count: number;
  /** Draws of z per image behind the expectations (seeded: the same scores every time). */
  samples: number;
  /** Per point, nats: E_q[−log p(x|z)] + KL(q(z|x) ‖ p(z)), the per-image negative ELBO (Kingma & Welling 2014, eq. 3) under the run's likelihood. */
  negElbo: Float32Array;
  /** Per point, nats: the expected reconstruction term E_q[−log p(x|z)]. */
  reconstruction: Float32Array;
  /** Per point, nats: KL(q(z|x) ‖ N(0, I)), analytic. */
  kl: Float32Array;
}

/** What `latent:place-images` accepts in one call (the schema checks them before the engine sees a byte). */
export const PLACE_IMAGE_LIMITS = {
  /** Images per call. */
  images: 32,
  /** Bytes per file: a large photo, not a raw scan. */
  fileBytes: 25 * 1024 * 1024,
  /** Characters of a file name (shown, never used as a path). */
  nameLength: 255,
} as const;

/** An image from outside the dataset, prepared as the run's dataset was and put through its model. */
export interface PlacedImage {
  name: string;
  /** The encoder mean, latentDim values: where the image lands in the latent space. */
  mean: Float32Array;
  size: number;
  channels: 1 | 3;
  /** size × size × channels, 0–255, channels interleaved: the image as the model sees it. */
  pixels: Uint8Array;
  /** The decoder's mean image for the encoder's mean code, same layout as `pixels`. */
  reconstruction: Uint8Array;
  /** Nats, as `PointScores.negElbo` computes it, so the image can be ranked among the points. */
  negElbo: number;
}

/** Files `latent:place-images` could not use, each with a plain reason. */
export interface SkippedImage {
  name: string;
  reason: string;
}
