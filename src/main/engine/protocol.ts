/**
 * Messages between main and the engine process (structured clone: typed arrays cross as they are).
 * Internal to the main side; the renderer only ever sees the public contract.
 */
import type { Events, RequestArgs, Requests, RequestValue } from '../../shared/contract';
import type { DatasetSource, Preprocessing, SampleTiles, SuggestedFormat } from '../../shared/dataset-types';
import type { EmbeddingExportFormat, ExportedFile } from '../../shared/export-types';
import type {
  EpochLatents,
  LatentPoints,
  ProjectionMethod,
  ProjectionSettings,
} from '../../shared/projection-types';
import type { Result } from '../../shared/result';
import type { RunDetails, RunHistory, RunSummary } from '../../shared/run-types';
import type { BackendReport } from '../../shared/backend-types';
import type { TrainSettings } from '../../shared/train-settings';
import type { TrainState } from '../../shared/training-events';

export interface EngineCommands {
  ping: { args: Record<string, never>; value: { pid: number; at: number } };
  /**
   * The app is quitting: a run in progress stops within one batch and is left "interrupted" (its
   * newest checkpoint intact), scans stop, and the reply comes once everything is on disk.
   */
  'app:prepare-quit': { args: Record<string, never>; value: { interruptedRunId: string | null } };
  'train:start': { args: { jobId: string; settings: TrainSettings }; value: { jobId: string } };
  'train:estimate-speed': {
    args: RequestArgs<'train:estimate-speed'>;
    value: RequestValue<'train:estimate-speed'>;
  };
  'train:pause': { args: { jobId: string }; value: { state: TrainState } };
  'train:resume': { args: { jobId: string }; value: { state: TrainState } };
  'train:set-learning-rate': {
    args: { jobId: string; learningRate: number };
    value: { learningRate: number };
  };
  'train:continue': {
    args: { jobId: string; runId: string; epochs: number; learningRate?: number };
    value: { jobId: string };
  };
  'runs:list': { args: Record<string, never>; value: RunSummary[] };
  'runs:open': { args: { runId: string }; value: RunDetails };
  'runs:update': GalleryCommand<'runs:update'>;
  /**
   * Gets a run's folder ready to go: refused (BUSY) while it trains or its likelihood is being
   * estimated; otherwise its model, layouts and automatic estimate are let go. `release` then
   * answers the folder for main to hand to the system trash; `host-trash` moves it into `.trash`.
   */
  'runs:delete': {
    args: { runId: string; mode: 'release' | 'host-trash' };
    value: { directory: string };
  };
  'run:evaluate': { args: { jobId: string; runId: string; samples: number }; value: { jobId: string } };
  'runs:get-histories': { args: { runIds: string[] }; value: { runs: RunHistory[] } };
  /** Cancels a training run, a dataset scan, a projection or a likelihood estimate. */
  'job:cancel': { args: { jobId: string }; value: { state: TrainState } };
  'latent:get-points': { args: { runId: string }; value: LatentPoints };
  'latent:get-epoch': {
    args: { runId: string; epoch: number; method: ProjectionMethod };
    value: EpochLatents;
  };
  'latent:project': {
    args: { runId: string; epoch: number | null; settings: ProjectionSettings };
    value: { jobId: string | null };
  };
  'latent:export': {
    args: { runId: string; epoch: number; method: ProjectionMethod; format: EmbeddingExportFormat };
    value: { files: ExportedFile[] };
  };
  'latent:get-scores': GalleryCommand<'latent:get-scores'>;
  'latent:place-images': GalleryCommand<'latent:place-images'>;
  'latent:list-bookmarks': GalleryCommand<'latent:list-bookmarks'>;
  'latent:save-bookmark': GalleryCommand<'latent:save-bookmark'>;
  'latent:delete-bookmark': GalleryCommand<'latent:delete-bookmark'>;
  'gallery:reconstructions': GalleryCommand<'gallery:reconstructions'>;
  'gallery:reconstruct-points': GalleryCommand<'gallery:reconstruct-points'>;
  'gallery:sample': GalleryCommand<'gallery:sample'>;
  'gallery:interpolate': GalleryCommand<'gallery:interpolate'>;
  'gallery:traverse': GalleryCommand<'gallery:traverse'>;
  'gallery:decode-at': GalleryCommand<'gallery:decode-at'>;
  'gallery:decode': GalleryCommand<'gallery:decode'>;
  'gallery:decode-grid': GalleryCommand<'gallery:decode-grid'>;
  'gallery:export': GalleryCommand<'gallery:export'>;
  'gallery:export-points': GalleryCommand<'gallery:export-points'>;
  'model:export': GalleryCommand<'model:export'>;
  /** `folder` is the absolute path main resolved and checked against the allowed roots. */
  'model:import': { args: { folder: string }; value: { runId: string } };
  /** A PNG for a media path (`image/…` or `reconstruction/…`, see mediaPaths); main checks the path. */
  'media:get': { args: { path: string }; value: { contentType: string; bytes: Uint8Array } };
  /** `folder` is the absolute path main resolved and checked for a folder source, else null. */
  'dataset:preview': {
    args: { source: DatasetSource; folder: string | null; preprocessing: Preprocessing };
    value: {
      samples: SampleTiles[];
      classNames: string[];
      skipped: number;
      suggested: SuggestedFormat | null;
    };
  };
  'dataset:open': {
    args: { jobId: string; source: DatasetSource; folder: string | null; preprocessing: Preprocessing };
    value: { jobId: string };
  };
}
export type EngineCommandName = keyof EngineCommands;
export type EngineArgs<K extends EngineCommandName> = EngineCommands[K]['args'];
export type EngineValue<K extends EngineCommandName> = EngineCommands[K]['value'];

/** Requests the engine answers exactly as the public contract states them. */
type GalleryCommand<K extends keyof Requests> = {
  args: RequestArgs<K>;
  value: RequestValue<K>;
};

export const ENGINE_EVENT_NAMES = [
  'train:did-change-state',
  'train:did-progress',
  'train:did-end-epoch',
  'dataset:did-progress',
  'dataset:did-open',
  'dataset:did-fail',
  'train:did-save-checkpoint',
  'latent:did-update-layout',
  'latent:did-progress',
  'latent:did-stop',
  'run:did-evaluate-progress',
  'run:did-evaluate',
] as const;
export type EngineEventName = (typeof ENGINE_EVENT_NAMES)[number];

/**
 * A command as sent. Generic, so that a handler table indexed by `name` takes `args` without a
 * cast; main checked the request before it crossed, and `ToEngine` is any of them.
 */
export type EngineCommand<K extends EngineCommandName> = {
  type: 'command';
  id: number;
  name: K;
  args: EngineArgs<K>;
};
export type ToEngine = EngineCommand<EngineCommandName>;

/** How the engine's parts announce an event. */
export type EmitEvent = <E extends EngineEventName>(name: E, payload: Events[E]) => void;

export type FromEngine =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'startup-failed'; message: string }
  | { type: 'reply'; id: number; result: Result<unknown> }
  | { [E in EngineEventName]: { type: 'event'; name: E; payload: Events[E] } }[EngineEventName];
