/**
 * What a trained VAE can show besides its latent map: reconstructions of a fixed held-out sample,
 * samples from the prior, interpolations, latent traversals and decoding at any spot of the map.
 * Images travel as raw uint8 pixels (typed arrays), drawn by the renderer on canvases; files the
 * user keeps are written by the engine into the run's exports folder.
 */
import type { ProjectionMethod } from './projection-types';

/** Images decoded by a run's model, with the latent vectors they came from. */
export interface DecodedImages {
  count: number;
  size: number;
  channels: 1 | 3;
  /** Row-major count × size × size × channels, 0–255, channels interleaved. */
  pixels: Uint8Array;
  latentDim: number;
  /** Row-major count × latentDim. */
  latents: Float32Array;
}

/** Where an interpolation or traversal starts: a point of the run's map, or the prior's centre. */
export type LatentAnchor = { kind: 'point'; point: number } | { kind: 'origin' };

export const INTERPOLATION_MODES = ['linear', 'spherical'] as const;
export type InterpolationMode = (typeof INTERPOLATION_MODES)[number];

export const GALLERY_LIMITS = {
  sampleCount: { min: 1, max: 400 },
  temperature: { min: 0, max: 3 },
  steps: { min: 2, max: 64 },
  traversalDimensions: { min: 1, max: 16 },
  traversalSteps: { min: 3, max: 15 },
  traversalRange: { min: 0.5, max: 5 },
  scale: { min: 1, max: 8 },
  /** Spots of one map decoded together (`gallery:decode-grid`): a 32 × 32 overlay. */
  gridSpots: { min: 1, max: 1_024 },
  /**
   * Pixels one export may write, all its files together, checked before anything is decoded:
   * 2^26, so the longest interpolation (64 frames) of the largest images (128 px) at the largest
   * scale (8×) still exports as an animation, while a grid or animation cannot need gigabytes.
   */
  exportPixels: 2 ** 26,
} as const;

export interface TraversalImages extends DecodedImages {
  /** The latent dimensions traversed, one row each, most KL first. */
  dimensions: number[];
  /** The values each column sets its dimension to (relative to the anchor), e.g. −3 … +3. */
  offsets: number[];
}

/** Original | reconstruction pairs of the run's fixed held-out sample at one epoch. */
export interface ReconstructionSet {
  runId: string;
  epoch: number;
  count: number;
  size: number;
  channels: 1 | 3;
  originals: Uint8Array;
  reconstructions: Uint8Array;
  /** Per image: mean squared error of the reconstruction, per pixel channel in [0, 1] units. */
  errors: Float32Array;
  labels: Uint8Array;
  classNames: string[];
  names: string[];
  /** Epochs with stored reconstructions, ascending. */
  epochs: number[];
}

/** What a gallery export writes: PNG files, one grid PNG, or an animated GIF/WebP. */
export type GalleryExportKind = 'images' | 'grid' | 'animation';
export type AnimationFormat = 'gif' | 'webp';

/** Where decode-at-cursor reads the map: a spot of one epoch's layout by one method. */
export interface MapSpot {
  epoch: number;
  method: ProjectionMethod;
  x: number;
  y: number;
}
