// Over 300 lines on purpose: every request and event of the app in one list, read top to bottom.
/**
 * The one IPC contract: request name → (args) => Promise<Result>, event name → payload.
 * Channels are `domain:verb`, events `domain:did-x`. Every host (Electron preload, WebSocket
 * client) implements `Api`; main validates every payload with `schemas.ts` before a handler runs.
 */
import type {
  DatasetOpenFailure,
  DatasetSource,
  DatasetSummary,
  FolderListing,
  FolderRoot,
  Preprocessing,
  SampleTiles,
  ScanProgress,
  SuggestedFormat,
} from './dataset-types';
import type {
  AnimationFormat,
  DecodedImages,
  GalleryExportKind,
  InterpolationMode,
  LatentAnchor,
  MapSpot,
  ReconstructionSet,
  TraversalImages,
} from './gallery-types';
import type { MapBookmark, NewMapBookmark } from './map-bookmarks';
import type {
  EpochLatents,
  LatentLayout,
  LatentPoints,
  PlacedImage,
  PointScores,
  ProjectionMethod,
  ProjectionProgress,
  ProjectionSettings,
  ProjectionStopped,
  SkippedImage,
} from './projection-types';
import type { LikelihoodProgress, LikelihoodResult } from './likelihood-types';
import type { Result } from './result';
import type { UploadFile, UploadFinished, UploadReceived, UploadStarted } from './uploads';
import type { RunDetails, RunHistory, RunSummary, RunTrash } from './run-types';
import type { SpeedEstimate, SpeedProbe } from './training-estimate';
import type { BackendPreference, EngineStatus } from './backend-types';
import type { BuiltinDataset } from './dataset-types';
import type { LatentSnapshot, TrainProgress, TrainState, TrainStateChange } from './training-events';
import type { EmbeddingExportFormat, ExportedFile, ModelExportFormat } from './export-types';
import type { TrainSettings } from './train-settings';

type NoArgs = Record<string, never>;

export interface AppInfo {
  name: string;
  version: string;
  host: 'desktop' | 'browser';
  platform: string;
}

/** The host process's responsiveness over the window since the previous reading. */
export interface AppHealth {
  windowSeconds: number;
  /** How late main's event loop ran its tasks (monitorEventLoopDelay, 10 ms sampling). */
  eventLoopDelayMs: { samples: number; p50: number; p99: number; max: number };
  rssBytes: number;
  heapUsedBytes: number;
}

export interface Requests {
  'app:ping': (args: NoArgs) => { receivedAt: number };
  /** Responsiveness figures since the previous call (each call starts a new window). */
  'app:get-health': (args: NoArgs) => AppHealth;
  /**
   * The run opened or trained last (kept across launches), for the app to open again at start;
   * null when none was. The run may since have been deleted: the caller checks the runs list.
   */
  'app:get-last-run': (args: NoArgs) => { runId: string | null };
  'app:get-info': (args: NoArgs) => AppInfo;
  'engine:get-status': (args: NoArgs) => EngineStatus;
  'engine:restart': (args: { backend: BackendPreference }) => EngineStatus;
  'dataset:list-builtin': (args: NoArgs) => BuiltinDataset[];
  /** Folders the user may open datasets from. */
  'dataset:list-roots': (args: NoArgs) => FolderRoot[];
  /** Desktop: a native folder dialog; the chosen folder becomes a root. Null when dismissed. */
  'dataset:choose-folder': (args: NoArgs) => FolderRoot | null;
  'dataset:browse': (args: { rootId: string; relativePath: string }) => FolderListing;
  /** A few images prepared with these options, before committing to a full scan. */
  'dataset:preview': (args: { source: DatasetSource; preprocessing: Preprocessing }) => {
    samples: SampleTiles[];
    classNames: string[];
    skipped: number;
    /** The format the folder's own images suggest (their size, gray or colour); null when none decoded. */
    suggested: SuggestedFormat | null;
  };
  /** Scans, decodes and caches; answers with a job id, then `dataset:did-open` or `dataset:did-fail`. */
  'dataset:open': (args: { source: DatasetSource; preprocessing: Preprocessing }) => { jobId: string };
  /**
   * Browser host only (the desktop answers UNSUPPORTED: it opens folders in place). Starts an
   * upload of a folder the user picked or dropped in the page; `name` is that folder's name.
   */
  'dataset:upload-begin': (args: { name: string }) => UploadStarted;
  /**
   * Some of the upload's files (≤ UPLOAD_LIMITS.callBytes). Non-images, empty, oversized and
   * repeated files are skipped with the reason; TOO_LARGE when the upload or
   * the uploads area would pass its cap (nothing of that call is kept).
   */
  'dataset:upload-files': (args: { uploadId: string; files: UploadFile[] }) => UploadReceived;
  /** Moves the upload into a new folder of its own under the uploads root (never over another). */
  'dataset:upload-finish': (args: { uploadId: string }) => UploadFinished;
  /** Drops an unfinished upload and everything it had received. */
  'dataset:upload-cancel': (args: { uploadId: string }) => { removed: boolean };
  'train:start': (args: TrainSettings) => { jobId: string };
  /**
   * Training images per second for this model, batch and image format on the engine's backend,
   * timed over a few steps on random pixels (a first, warm-up step is not timed). BUSY while a
   * run trains (its progress shows its own speed) or another estimate is being measured.
   */
  'train:estimate-speed': (args: SpeedProbe) => SpeedEstimate;
  'train:pause': (args: { jobId: string }) => { state: TrainState };
  'train:resume': (args: { jobId: string }) => { state: TrainState };
  'job:cancel': (args: { jobId: string }) => { state: TrainState };
  /** Applies from the next epoch of a running job. */
  'train:set-learning-rate': (args: { jobId: string; learningRate: number }) => { learningRate: number };
  /** Continues a run from its newest checkpoint up to `epochs` in total, optimizer state restored. */
  /** `notice` says what changed in the run's folder since its split was recorded (its parts are kept). */
  'train:continue': (args: { runId: string; epochs: number; learningRate?: number }) => {
    jobId: string;
    notice?: string;
  };
  'runs:list': (args: NoArgs) => RunSummary[];
  /**
   * Loads a run's newest checkpoint for exploration; CHECKPOINT_CORRUPT keeps the current model.
   * The details include the log-likelihood estimates kept in the run folder.
   */
  'runs:open': (args: { runId: string }) => RunDetails;
  /**
   * Sets a run's name (null: back to its default label), note or tags, each only when given; kept
   * in the run's run-meta.json (a damaged one is kept aside first). Answers the run as listed.
   */
  'runs:update': (args: {
    runId: string;
    name?: string | null;
    note?: string;
    tags?: string[];
  }) => RunSummary;
  /**
   * Moves a run's folder to the system trash (desktop) or into `.trash` inside the runs folder
   * (browser host, or where the system trash refuses): never deleted outright. BUSY for the run
   * that is training or whose likelihood is being estimated; an opened run is closed first.
   */
  'runs:delete': (args: { runId: string }) => { runId: string; trashed: RunTrash };
  /**
   * Estimates log p(x) on the run's held-out test images (as many as its held-out metrics use)
   * with `samples` importance samples each (the IWAE bound), for the checkpoint the run reports:
   * the best by validation −ELBO when it is kept, else the newest (the result says which):
   * `run:did-evaluate-progress`, then `run:did-evaluate`, and the completed estimate is kept in
   * the run folder. Cancel with `job:cancel`. One at a time: BUSY while another asked-for
   * estimate runs; an automatic one (which the engine starts when a run completes, with
   * `automatic: true` on its events) is cancelled to make way.
   */
  'run:evaluate': (args: { runId: string; samples: number }) => { jobId: string };
  /**
   * Several runs' summaries and every epoch's metrics, read from their folders (no model is
   * loaded), in the order asked, for comparing them. NOT_FOUND names the ids with no run folder.
   */
  'runs:get-histories': (args: { runIds: string[] }) => { runs: RunHistory[] };
  /** The display points of a run's latent map (labels, file names, metadata, the timeline). */
  'latent:get-points': (args: { runId: string }) => LatentPoints;
  /** One epoch's encoder means and, if already computed, its layout by `method`. */
  'latent:get-epoch': (args: { runId: string; epoch: number; method: ProjectionMethod }) => EpochLatents;
  /**
   * Makes `settings` the run's projection (later epochs use it) and lays out `epoch` (null: the
   * newest) with it in the engine: `latent:did-progress`, intermediate and final
   * `latent:did-update-layout`, or `latent:did-stop`. Cancel with `job:cancel`. A stored layout
   * answers at once. jobId is null when the run has no epoch yet.
   */
  'latent:project': (args: { runId: string; epoch: number | null; settings: ProjectionSettings }) => {
    jobId: string | null;
  };
  /**
   * Per display point (in `latent:get-points` order), how well the run's current model explains it:
   * the negative ELBO and its reconstruction and KL terms, over a few seeded draws of z. Kept in
   * the run's layouts folder per checkpoint epoch, so a second call reads them back.
   */
  'latent:get-scores': (args: { runId: string }) => PointScores;
  /**
   * Image files from outside the dataset (dropped or picked), prepared exactly as the run's dataset
   * was, encoded and reconstructed by the run's current model. A file that does not decode is
   * skipped with a plain reason. At most PLACE_IMAGE_LIMITS.images files of fileBytes each.
   */
  'latent:place-images': (args: { runId: string; images: { name: string; bytes: Uint8Array }[] }) => {
    placed: PlacedImage[];
    skipped: SkippedImage[];
  };
  /** The run's saved map bookmarks, oldest first (none for a damaged bookmarks file, kept aside). */
  'latent:list-bookmarks': (args: { runId: string }) => MapBookmark[];
  /**
   * Saves a bookmark of the run's map. One of the same name (ignoring case) is replaced, keeping its
   * id, time and place in the list; a new name past BOOKMARK_LIMITS.perRun is refused. Every point
   * index must be one of the run's display points.
   */
  'latent:save-bookmark': (args: { runId: string; bookmark: NewMapBookmark }) => MapBookmark;
  /** Deletes a bookmark by id; `deleted` is false when the run has none with that id. */
  'latent:delete-bookmark': (args: { runId: string; id: string }) => { deleted: boolean };
  /** Writes the epoch's coordinates, means, labels and files into the run's exports folder. */
  'latent:export': (args: {
    runId: string;
    epoch: number;
    method: ProjectionMethod;
    format: EmbeddingExportFormat;
  }) => { files: ExportedFile[] };
  /** The run's fixed held-out sample (stratified, chosen once) and its reconstructions at `epoch` (null: newest). */
  'gallery:reconstructions': (args: { runId: string; epoch: number | null }) => ReconstructionSet;
  /** Reconstructions of chosen map points by the run's current model ("reconstruct selection"). */
  'gallery:reconstruct-points': (args: { runId: string; points: number[] }) => ReconstructionSet;
  /** Samples from the prior N(0, temperature² I), seeded. */
  'gallery:sample': (args: {
    runId: string;
    count: number;
    temperature: number;
    seed: number;
  }) => DecodedImages;
  /** `steps` images from one code to another, endpoints included. */
  'gallery:interpolate': (args: {
    runId: string;
    from: LatentAnchor;
    to: LatentAnchor;
    steps: number;
    mode: InterpolationMode;
  }) => DecodedImages;
  /** One row per latent dimension (most KL first), each from −range to +range around the anchor. */
  'gallery:traverse': (args: {
    runId: string;
    around: LatentAnchor;
    dimensions: number;
    steps: number;
    range: number;
  }) => TraversalImages;
  /** Decodes a spot of the map: exact for raw axes, PCA back-projection, else neighbour-weighted. */
  'gallery:decode-at': (args: { runId: string; spot: MapSpot }) => DecodedImages;
  /**
   * Decodes given codes (row-major count × latentDim, 1–400 codes) with the run's current model,
   * e.g. an attribute vector walked from a pinned code.
   */
  'gallery:decode': (args: { runId: string; latents: Float32Array }) => DecodedImages;
  /**
   * Decodes many spots of one map at once (one epoch, one method, at most
   * GALLERY_LIMITS.gridSpots), each exactly as `gallery:decode-at` decodes it: the generative
   * overlay's tiles, in the order of `spots`.
   */
  'gallery:decode-grid': (args: { runId: string; spots: MapSpot[] }) => DecodedImages;
  /**
   * Writes decoded images into the run's exports folder: PNG files, one grid PNG, or an animated
   * GIF/WebP, at `scale`× the model's resolution, always with a manifest.json (latents, seeds, run,
   * epoch, settings). The latents are decoded again, so the files are exactly what they describe.
   */
  'gallery:export': (args: {
    runId: string;
    kind: GalleryExportKind;
    latents: Float32Array;
    /** Grid columns (grid) or ignored. */
    columns: number;
    scale: number;
    format: AnimationFormat;
    /** What the images are, for the manifest and file names: "samples", "interpolation", … */
    label: string;
    /** Whatever made them (seed, temperature, anchors…), copied into the manifest. */
    details: Record<string, string | number | null>;
  }) => { files: ExportedFile[] };
  /**
   * Writes the images of chosen map points (the dataset's own pixels, as the model sees them) as
   * PNG files or one grid PNG, with a manifest.json holding their files, labels and encoder means.
   */
  'gallery:export-points': (args: {
    runId: string;
    points: number[];
    kind: 'images' | 'grid';
    columns: number;
    scale: number;
  }) => { files: ExportedFile[] };
  /**
   * The run's newest model: TensorFlow.js format (model.json + weights, with its config) by default,
   * or ONNX (encoder.onnx, decoder.onnx, model-config.json, README.md, sample.py, sample.mjs).
   */
  'model:export': (args: { runId: string; format?: ModelExportFormat }) => { files: ExportedFile[] };
  /** A model exported by Latent Studio, from a folder under the allowed roots: becomes a new run. */
  'model:import': (args: { rootId: string; relativePath: string }) => { runId: string };
}

export interface Events {
  'engine:did-change-status': EngineStatus;
  'train:did-change-state': TrainStateChange;
  'train:did-progress': TrainProgress;
  'train:did-end-epoch': LatentSnapshot;
  'dataset:did-progress': ScanProgress;
  'dataset:did-open': { jobId: string; summary: DatasetSummary };
  'dataset:did-fail': DatasetOpenFailure;
  'train:did-save-checkpoint': { jobId: string; runId: string; epoch: number };
  'latent:did-update-layout': LatentLayout;
  'latent:did-progress': ProjectionProgress;
  'latent:did-stop': ProjectionStopped;
  'run:did-evaluate-progress': LikelihoodProgress;
  'run:did-evaluate': LikelihoodResult;
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type RequestArgs<K extends RequestName> = Parameters<Requests[K]>[0];
export type RequestValue<K extends RequestName> = ReturnType<Requests[K]>;
export type EventPayload<E extends EventName> = Events[E];

/** What the renderer gets, from the preload bridge or from the WebSocket client alike. */
export interface Api {
  invoke<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestValue<K>>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The URL of a media path (`mediaPaths` in projection-types), for <img src> and downloads. */
  mediaUrl(path: string): string;
}
