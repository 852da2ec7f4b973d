/** Datasets as every layer sees them: where images come from, how they are prepared, what was found. */

export const IMAGE_SIZES = [28, 32, 64, 96, 128] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];
export type ChannelMode = 'grayscale' | 'rgb';
export type FitMode = 'crop' | 'contain' | 'stretch';

/** How images are turned into training pixels; chosen before training, part of the cache key. */
export interface Preprocessing {
  /** Square side in pixels. */
  size: ImageSize;
  /** Grayscale or RGB; alpha is always composited onto `background`. */
  channels: ChannelMode;
  /** crop: fill the square and cut the overflow (centre); contain: fit inside and pad; stretch: distort. */
  fit: FitMode;
  /** `#rrggbb`, used behind transparent pixels and as padding for `contain`. */
  background: string;
}

export type BuiltinDatasetId = 'mnist' | 'sprites';

/** Where a dataset comes from. Folders are named by an allowed root and a path inside it, never by a raw path. */
export type DatasetSource =
  { kind: 'builtin'; id: BuiltinDatasetId } | { kind: 'folder'; rootId: string; relativePath: string };

/** A folder the user may open datasets from: chosen in a native dialog, or given to `serve --data-root`. */
export interface FolderRoot {
  id: string;
  /** The folder's name for display (its last path segment); the full path stays in main. */
  name: string;
  /** Why the host offers it, where that is worth saying (absent: the user chose or named it). */
  origin?: FolderRootOrigin;
  /** How the host's own terminal names it (`~/Pictures`), for hosts that chose it by default. */
  shownAs?: string;
}

/**
 * `pictures` and `current-folder` are the browser host's defaults when it is given no
 * `--data-root`; `uploads` holds folders uploaded from the browser.
 */
export type FolderRootOrigin = 'pictures' | 'current-folder' | 'uploads';

export interface FolderListing {
  rootId: string;
  relativePath: string;
  /** Sub-folder names, sorted; hidden folders left out. */
  folders: string[];
  /** Image files directly inside (by extension). */
  imageFiles: number;
}

export interface SkippedFile {
  /** Path relative to the dataset folder, with `/` separators. */
  path: string;
  reason: string;
}

export interface ScanProgress {
  jobId: string;
  phase: 'listing' | 'decoding' | 'writing';
  filesSeen: number;
  imagesAccepted: number;
  filesSkipped: number;
  /** Files still to decode in this phase (0 while listing). */
  remaining: number;
  filesPerSecond: number;
  etaSeconds: number;
}

/** A categorical or numeric value per image that the latent map can colour by. */
export interface MetadataField {
  name: string;
  /** Category names for categorical fields; values index into them. Absent for numeric fields. */
  categories?: string[];
}

/** A few prepared images of one class, for the dataset view's sample grid. */
export interface SampleTiles {
  label: number;
  /** count × size × size × channels bytes. */
  pixels: Uint8Array;
  count: number;
}

export interface DatasetSummary {
  /** Handle for `train:start`; valid while the engine keeps the dataset open. */
  datasetId: string;
  name: string;
  source: DatasetSource;
  preprocessing: Preprocessing;
  count: number;
  classNames: string[];
  countsPerLabel: number[];
  /**
   * Image counts per part. Each image's part comes from a hash of (seed, class, its path or index),
   * so it stays put when other files are added or removed; `testFraction` and
   * `validationFraction` are shares of the whole set.
   */
  split: {
    train: number;
    validation: number;
    test: number;
    testFraction: number;
    validationFraction: number;
    seed: number;
  };
  skipped: SkippedFile[];
  metadataFields: MetadataField[];
  samples: SampleTiles[];
  cacheBytes: number;
  /** How many images this open had to decode (0 when the cache was complete). */
  decoded: number;
  fromCache: boolean;
}

export interface DatasetOpenFailure {
  jobId: string;
  code: 'NO_IMAGES' | 'CANCELLED' | 'NOT_FOUND' | 'FAILED';
  message: string;
  skipped: SkippedFile[];
}

/**
 * The format a folder's own images suggest (issue 15): the offered size nearest their typical
 * short side (28 px images stay 28), and grayscale when every sampled image is grey.
 */
export interface SuggestedFormat {
  size: ImageSize;
  channels: 'grayscale' | 'rgb';
  /** How many images the suggestion looked at. */
  sampled: number;
  /** In plain words, e.g. "most images are 28×28 and grey". */
  reason: string;
}

export interface BuiltinDataset {
  id: BuiltinDatasetId;
  name: string;
  description: string;
  trainCount: number;
  testCount: number;
  imageSize: number;
  channels: 1 | 3;
  classNames: string[];
}
