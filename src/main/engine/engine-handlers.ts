/**
 * Every engine command, by name, to the part that answers it. A typed table (as main's
 * `core/handlers.ts`): each handler takes exactly its command's args and answers its value.
 */
import { ok, type Result } from '../../shared/result';
import type { TrainState } from '../../shared/training-events';
import type { DatasetJobs } from './data/dataset-jobs';
import type { GalleryRequests } from './gallery/gallery-requests';
import type { ImageExportRequests } from './gallery/image-export-requests';
import type { ReconstructionRequests } from './gallery/reconstruction-requests';
import type { BookmarkStore } from './latent/bookmark-store';
import type { LatentReads } from './latent/latent-reads';
import type { Projector } from './latent/projector';
import type { ScoringRequests } from './latent/scoring-requests';
import type { ModelFileRequests } from './model-io/model-requests';
import type { EngineArgs, EngineCommandName, EngineValue } from './protocol';
import type { LikelihoodJobs } from './train/likelihood-jobs';
import type { RunLibrary } from './train/run-library';
import type { RunModels } from './train/run-models';
import type { RunsService } from './train/runs-service';
import type { SpeedEstimates } from './train/speed-estimates';

export type EngineHandlers = {
  [K in EngineCommandName]: (args: EngineArgs<K>) => Promise<Result<EngineValue<K>>> | Result<EngineValue<K>>;
};

export interface EngineParts {
  runs: RunsService;
  models: RunModels;
  library: RunLibrary;
  speed: SpeedEstimates;
  likelihoods: LikelihoodJobs;
  projector: Projector;
  latent: LatentReads;
  scoring: ScoringRequests;
  bookmarks: BookmarkStore;
  gallery: GalleryRequests;
  reconstructions: ReconstructionRequests;
  imageExports: ImageExportRequests;
  modelFiles: ModelFileRequests;
  datasets: DatasetJobs;
  /** Stops what is under way so that everything on disk is whole, then answers. */
  prepareQuit: () => Promise<Result<{ interruptedRunId: string | null }>>;
}

/** A job id may be a scan's, a projection's, a likelihood estimate's or the training run's. */
function cancelJob(parts: EngineParts, jobId: string): Result<{ state: TrainState }> {
  if (parts.datasets.cancel(jobId)) return ok({ state: 'cancelled' });
  if (parts.projector.cancel(jobId)) return ok({ state: 'cancelled' });
  if (parts.likelihoods.cancel(jobId)) return ok({ state: 'cancelled' });
  return parts.runs.cancel(jobId);
}

export function engineHandlers(parts: EngineParts): EngineHandlers {
  const { runs, models, library, latent, scoring, bookmarks, gallery, reconstructions, datasets } = parts;
  return {
    ping: () => ok({ pid: process.pid, at: Date.now() }),
    'app:prepare-quit': () => parts.prepareQuit(),
    'train:start': (args) => runs.start(args),
    'train:estimate-speed': (args) => parts.speed.estimate(args),
    'train:pause': (args) => runs.pause(args),
    'train:resume': (args) => runs.resume(args),
    'train:set-learning-rate': (args) => runs.setLearningRate(args),
    'train:continue': (args) => runs.continue(args),
    'job:cancel': ({ jobId }) => cancelJob(parts, jobId),
    'dataset:preview': (args) => datasets.preview(args),
    'dataset:open': (args) => datasets.open(args),
    'runs:list': () => library.list(),
    'runs:open': (args) => models.open(args),
    'runs:update': (args) => library.update(args),
    'runs:delete': (args) => library.delete(args),
    'runs:get-histories': (args) => library.histories(args),
    'run:evaluate': (args) => parts.likelihoods.start(args),
    'latent:get-points': (args) => latent.points(args),
    'latent:get-epoch': (args) => latent.epoch(args),
    'latent:project': ({ runId, epoch, settings }) => parts.projector.project(runId, epoch, settings),
    'latent:export': (args) => latent.export(args),
    'latent:get-scores': (args) => scoring.scores(args),
    'latent:place-images': (args) => scoring.place(args),
    'latent:list-bookmarks': (args) => bookmarks.list(args),
    'latent:save-bookmark': (args) => bookmarks.save(args),
    'latent:delete-bookmark': (args) => bookmarks.delete(args),
    'media:get': (args) => latent.media(args),
    'gallery:reconstructions': (args) => reconstructions.reconstructions(args),
    'gallery:reconstruct-points': (args) => reconstructions.reconstructPoints(args),
    'gallery:sample': (args) => gallery.sampleImages(args),
    'gallery:interpolate': (args) => gallery.interpolate(args),
    'gallery:traverse': (args) => gallery.traverse(args),
    'gallery:decode-at': (args) => gallery.decodeAt(args),
    'gallery:decode': (args) => gallery.decode(args),
    'gallery:decode-grid': (args) => gallery.decodeGrid(args),
    'gallery:export': (args) => parts.imageExports.exportImages(args),
    'gallery:export-points': (args) => parts.imageExports.exportPoints(args),
    'model:export': (args) => parts.modelFiles.exportModel(args),
    'model:import': (args) => parts.modelFiles.importModel(args),
  };
}
