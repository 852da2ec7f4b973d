/**
 * The engine's answers to the gallery's export requests: decoded codes, or the dataset images of
 * chosen map points, written as PNG files, a grid or an animation into the run's exports folder.
 */
import type { ExportedFile } from '../../../shared/export-types';
import type { Result } from '../../../shared/result';
import type { RequestArgs } from '../../../shared/contract';
import { appVersion } from './app-version';
import { decodeLatents, encodeImages } from './generate';
import { codeCount, GalleryRuns, type GalleryDependencies } from './gallery-runs';
import { exportImages, exportTooBig, type ExportShape, type ImageExport } from './image-files';
import { answer, Refusal } from './refusal';
import { originalsOf } from './reconstructions';

/** Refuses an export too big to write before anything is decoded or created. */
function checkExportSize(shape: ExportShape): void {
  const tooBig = exportTooBig(shape);
  if (tooBig) throw new Refusal('INVALID_PAYLOAD', tooBig);
}

export class ImageExportRequests {
  private readonly runs: GalleryRuns;

  constructor(deps: GalleryDependencies) {
    this.runs = new GalleryRuns(deps);
  }

  async exportImages(args: RequestArgs<'gallery:export'>): Promise<Result<{ files: ExportedFile[] }>> {
    return answer(async () => {
      const { runId, latents, kind, columns, scale } = args;
      const { model, format } = await this.runs.model(runId);
      const count = codeCount(latents, model);
      checkExportSize({ kind, count, size: format.size, scale, columns });
      const { settings } = await this.runs.config(runId);
      const images = await decodeLatents(model, latents, format);
      const { format: animation, label, details } = args;
      return this.write(runId, settings, { images, kind, columns, scale, format: animation, label, details });
    });
  }

  /** The dataset images of chosen map points, with their encoder means in the manifest. */
  async exportPoints(args: RequestArgs<'gallery:export-points'>): Promise<Result<{ files: ExportedFile[] }>> {
    return answer(async () => {
      const { runId, points: chosen, kind, columns, scale } = args;
      const { model, format } = await this.runs.model(runId);
      checkExportSize({ kind, count: chosen.length, size: format.size, scale, columns });
      const { dataset, points, indices } = await this.runs.pointImages(runId, chosen, model);
      const { settings } = await this.runs.config(runId);
      const images = {
        count: indices.length,
        size: format.size,
        channels: format.channels,
        pixels: originalsOf(dataset.set, indices),
        latentDim: model.latentDim,
        latents: await encodeImages(model, dataset.set, indices),
      };
      const sources = chosen.map((p) => ({
        file: points.names[p]!,
        label: points.classNames[points.labels[p]!] ?? String(points.labels[p]),
      }));
      const details = { points: chosen.length };
      return this.write(runId, settings, {
        images,
        kind,
        columns,
        scale,
        format: 'gif',
        label: 'selection',
        details,
        sources,
      });
    });
  }

  /** Writes the images into the run's exports folder, with the app, the epoch and the settings. */
  private async write(
    runId: string,
    settings: unknown,
    job: Omit<ImageExport, 'runId' | 'runDirectory' | 'manifest'>,
  ): Promise<{ files: ExportedFile[] }> {
    const epoch = await this.runs.newestCheckpointEpoch(runId);
    const manifest = { app: 'Latent Studio', version: appVersion(), epoch, settings };
    const files = await exportImages({ ...job, runId, runDirectory: this.runs.directory(runId), manifest });
    return { files };
  }
}
