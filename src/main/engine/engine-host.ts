/**
 * The engine's side of the protocol: picks the backend, then runs commands through the handler
 * table. One training run at a time, dataset scans alongside it; its model stays loaded after the
 * run for later inference. Every reply's error message leaves here in plain words (a full or
 * read-only data folder says so) and without absolute paths (a path in the data folder is given
 * relative to it). This file only wires the parts together.
 */
import path from 'node:path';
import type { Events } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { BackendName, BackendPreference } from '../../shared/backend-types';
import { selectBackend } from './backend';
import { DatasetJobs } from './data/dataset-jobs';
import { DatasetRegistry } from './data/dataset-registry';
import { engineHandlers, type EngineHandlers } from './engine-handlers';
import { GalleryRequests } from './gallery/gallery-requests';
import { ImageExportRequests } from './gallery/image-export-requests';
import { ReconstructionRequests } from './gallery/reconstruction-requests';
import { ModelFileRequests } from './model-io/model-requests';
import { BookmarkStore } from './latent/bookmark-store';
import { LatentReads } from './latent/latent-reads';
import { ProjectionRunner } from './latent/projection-runner';
import { Projector } from './latent/projector';
import { ScoringRequests } from './latent/scoring-requests';
import { plainErrorMessage, withoutPaths } from './plain-errors';
import type { EngineCommand, EngineCommandName, EngineEventName, FromEngine } from './protocol';
import { LikelihoodJobs } from './train/likelihood-jobs';
import { RunLibrary } from './train/run-library';
import { RunMetaStore } from './train/run-meta-store';
import { RunModels } from './train/run-models';
import { RunsService } from './train/runs-service';
import { SpeedEstimates } from './train/speed-estimates';

type Send = (message: FromEngine) => void;

export class EngineHost {
  private readonly handlers: EngineHandlers;
  /** Where paths in error messages are made relative to: the folder holding the runs and caches. */
  private readonly dataDirectories: string[];
  /** The backend `start` made current, which speed estimates are measured on. */
  private backend: BackendName | null = null;

  constructor(
    private readonly send: Send,
    roots: { cacheRoot: string; runsRoot: string },
  ) {
    const { runsRoot } = roots;
    this.dataDirectories = [...new Set([path.dirname(runsRoot), path.dirname(roots.cacheRoot)])];
    const emit = <E extends EngineEventName>(name: E, payload: Events[E]) => this.emit(name, payload);
    const errorMessage = (error: unknown) => plainErrorMessage(error, this.dataDirectories);
    const datasets = new DatasetRegistry(roots.cacheRoot);
    const dataset = (datasetId: string) => datasets.get(datasetId);
    const projector = new Projector(runsRoot, new ProjectionRunner(), emit);
    const layouts = (runId: string) => projector.store(runId);
    // `models` is built further down: the runs it reads from report reconstructions, built first.
    const model = (runId: string) => models.modelFor(runId);
    const galleryDeps = { runsRoot, dataset, model, layouts };
    const reconstructions = new ReconstructionRequests(galleryDeps);
    const likelihoods = new LikelihoodJobs({ runsRoot, dataset, emit, errorMessage });
    const runs = new RunsService({
      runsRoot,
      datasets,
      likelihoods,
      sinks: {
        emit,
        withoutPaths: (message) => withoutPaths(message, this.dataDirectories),
        projector,
        reconstructions,
      },
    });
    const models: RunModels = new RunModels({ runsRoot, datasets, runs });
    const datasetJobs = new DatasetJobs({ datasets, emit, errorMessage });
    this.handlers = engineHandlers({
      runs,
      models,
      library: new RunLibrary({
        runsRoot,
        runs,
        models,
        runMeta: new RunMetaStore(runsRoot),
        likelihoods,
        projector,
      }),
      speed: new SpeedEstimates({
        backend: () => this.backend,
        isTraining: () => runs.isTraining,
        quitting: () => runs.quitting,
      }),
      likelihoods,
      projector,
      latent: new LatentReads({ runsRoot, dataset, model, layouts }),
      scoring: new ScoringRequests({
        runsRoot,
        dataset,
        model: (runId) => models.currentModel(runId),
        layouts,
      }),
      bookmarks: new BookmarkStore({ runsRoot, layouts }),
      gallery: new GalleryRequests(galleryDeps),
      reconstructions,
      imageExports: new ImageExportRequests(galleryDeps),
      modelFiles: new ModelFileRequests(runsRoot),
      datasets: datasetJobs,
      prepareQuit: async () => {
        const { interruptedRunId, ended } = runs.interrupt();
        await Promise.all([ended, datasetJobs.stopAll(), likelihoods.stopAll()]);
        return ok({ interruptedRunId });
      },
    });
  }

  async start(preference: BackendPreference): Promise<void> {
    try {
      const backend = await selectBackend(preference);
      this.backend = backend.name;
      this.send({ type: 'ready', backend });
    } catch (error) {
      this.send({ type: 'startup-failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  async receive<K extends EngineCommandName>(message: EngineCommand<K>): Promise<void> {
    let result: Result<unknown>;
    try {
      const handle = this.handlers[message.name];
      result = await handle(message.args);
    } catch (error) {
      result = fail('INTERNAL', plainErrorMessage(error, this.dataDirectories));
    }
    if (!result.ok) result = { ...result, message: withoutPaths(result.message, this.dataDirectories) };
    this.send({ type: 'reply', id: message.id, result });
  }

  private emit<E extends EngineEventName>(name: E, payload: Events[E]): void {
    // TypeScript cannot match a generic name and payload to one member of the union of events.
    this.send({ type: 'event', name, payload } as FromEngine);
  }
}
