/**
 * zod schemas for every request's arguments. Objects are strict (extra keys, `__proto__` included,
 * are refused), numbers finite, strings bounded.
 */
import { z } from 'zod';
import type { RequestArgs, RequestName } from './contract';
import { GALLERY_LIMITS, INTERPOLATION_MODES } from './gallery-types';
import { LIKELIHOOD_SAMPLES } from './likelihood-types';
import { PLACE_IMAGE_LIMITS } from './projection-types';
import { RUN_META_LIMITS } from './run-meta';
import { COMPARE_LIMITS } from './run-types';
import {
  anchor,
  between,
  bookmarkId,
  CONTROL,
  datasetSource,
  detailValue,
  droppedImage,
  epoch,
  jobId,
  latentBlock,
  limited,
  mapSpot,
  noArgs,
  point,
  preprocessing,
  projectionMethod,
  projectionSettings,
  relativePath,
  rootId,
  runId,
  runLabel,
  runNote,
  runTags,
  trainSettings,
  uploadFile,
  uploadId,
} from './schema-parts';
import { newMapBookmark } from './stored-schemas';
import { TRAIN_LIMITS } from './train-limits';
import { BACKEND_NAMES } from './backend-types';
import { MODEL_EXPORT_FORMATS } from './export-types';
import { UPLOAD_LIMITS } from './uploads';

// The schemas of stored files are used from here by the engine and the tests.
export { newMapBookmark, recordedTrainSettings, storedMapBookmark, storedRunMeta } from './stored-schemas';

export const requestSchemas = {
  'app:ping': noArgs,
  'app:get-info': noArgs,
  'app:get-health': noArgs,
  'app:get-last-run': noArgs,
  'engine:get-status': noArgs,
  'engine:restart': z.strictObject({ backend: z.enum(['auto', ...BACKEND_NAMES]) }),
  'dataset:list-builtin': noArgs,
  'dataset:list-roots': noArgs,
  'dataset:choose-folder': noArgs,
  'dataset:browse': z.strictObject({ rootId, relativePath }),
  'dataset:preview': z.strictObject({ source: datasetSource, preprocessing }),
  'dataset:open': z.strictObject({ source: datasetSource, preprocessing }),
  'dataset:upload-begin': z.strictObject({
    name: z
      .string()
      .min(1)
      .max(UPLOAD_LIMITS.nameLength)
      .refine((name) => !CONTROL.test(name), 'no control characters'),
  }),
  'dataset:upload-files': z.strictObject({
    uploadId,
    files: z
      .array(uploadFile)
      .min(1)
      .max(UPLOAD_LIMITS.callFiles)
      .refine((files) => files.reduce((sum, f) => sum + f.bytes.byteLength, 0) <= UPLOAD_LIMITS.callBytes, {
        message: `at most ${UPLOAD_LIMITS.callBytes / (1024 * 1024)} MB of files per call`,
      }),
  }),
  'dataset:upload-finish': z.strictObject({ uploadId }),
  'dataset:upload-cancel': z.strictObject({ uploadId }),
  'train:start': trainSettings,
  'train:estimate-speed': z.strictObject({
    model: trainSettings.shape.model,
    likelihood: trainSettings.shape.likelihood,
    latentDim: trainSettings.shape.latentDim,
    width: trainSettings.shape.width,
    depth: trainSettings.shape.depth,
    batchSize: trainSettings.shape.batchSize,
    size: preprocessing.shape.size,
    channels: preprocessing.shape.channels,
  }),
  'train:pause': jobId,
  'train:resume': jobId,
  'job:cancel': jobId,
  'train:set-learning-rate': z.strictObject({
    jobId: jobId.shape.jobId,
    learningRate: limited(TRAIN_LIMITS.learningRate),
  }),
  'train:continue': z.strictObject({
    runId,
    epochs: limited(TRAIN_LIMITS.epochs),
    learningRate: limited(TRAIN_LIMITS.learningRate).optional(),
  }),
  'runs:list': noArgs,
  'runs:open': z.strictObject({ runId }),
  'runs:update': z
    .strictObject({
      runId,
      name: runLabel(RUN_META_LIMITS.name).nullable().optional(),
      note: runNote.optional(),
      tags: runTags.optional(),
    })
    .refine((args) => args.name !== undefined || args.note !== undefined || args.tags !== undefined, {
      message: 'a name, note or tags to set',
    }),
  'runs:delete': z.strictObject({ runId }),
  'run:evaluate': z.strictObject({
    runId,
    samples: z.int().min(LIKELIHOOD_SAMPLES.min).max(LIKELIHOOD_SAMPLES.max),
  }),
  'runs:get-histories': z.strictObject({
    runIds: z
      .array(runId)
      .min(1)
      .max(COMPARE_LIMITS.runs)
      .refine((ids) => new Set(ids).size === ids.length, 'each run once'),
  }),
  'latent:get-points': z.strictObject({ runId }),
  'latent:get-epoch': z.strictObject({ runId, epoch, method: projectionMethod }),
  'latent:project': z.strictObject({ runId, epoch: epoch.nullable(), settings: projectionSettings }),
  'gallery:reconstructions': z.strictObject({ runId, epoch: epoch.nullable() }),
  'gallery:reconstruct-points': z.strictObject({
    runId,
    points: z.array(point).min(1).max(GALLERY_LIMITS.sampleCount.max),
  }),
  'gallery:sample': z.strictObject({
    runId,
    count: between(GALLERY_LIMITS.sampleCount, true),
    temperature: between(GALLERY_LIMITS.temperature, false),
    seed: limited(TRAIN_LIMITS.seed),
  }),
  'gallery:interpolate': z.strictObject({
    runId,
    from: anchor,
    to: anchor,
    steps: between(GALLERY_LIMITS.steps, true),
    mode: z.enum(INTERPOLATION_MODES),
  }),
  'gallery:traverse': z.strictObject({
    runId,
    around: anchor,
    dimensions: between(GALLERY_LIMITS.traversalDimensions, true),
    steps: between(GALLERY_LIMITS.traversalSteps, true),
    range: between(GALLERY_LIMITS.traversalRange, false),
  }),
  'gallery:decode-at': z.strictObject({ runId, spot: mapSpot }),
  'gallery:decode': z.strictObject({ runId, latents: latentBlock }),
  'gallery:decode-grid': z.strictObject({
    runId,
    spots: z
      .array(mapSpot)
      .min(GALLERY_LIMITS.gridSpots.min)
      .max(GALLERY_LIMITS.gridSpots.max)
      .refine((spots) => spots.every((s) => s.epoch === spots[0]!.epoch && s.method === spots[0]!.method), {
        message: 'every spot of one epoch and one method',
      }),
  }),
  'gallery:export': z.strictObject({
    runId,
    kind: z.enum(['images', 'grid', 'animation']),
    latents: latentBlock,
    columns: z.int().min(1).max(64),
    scale: between(GALLERY_LIMITS.scale, true),
    format: z.enum(['gif', 'webp']),
    label: z.string().regex(/^[a-z0-9-]{1,40}$/),
    details: z
      .record(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), detailValue)
      .refine((d) => Object.keys(d).length <= 32, { message: 'at most 32 details' }),
  }),
  'gallery:export-points': z.strictObject({
    runId,
    points: z.array(point).min(1).max(GALLERY_LIMITS.sampleCount.max),
    kind: z.enum(['images', 'grid']),
    columns: z.int().min(1).max(64),
    scale: between(GALLERY_LIMITS.scale, true),
  }),
  // Without a format, TF.js as before the choice existed.
  'model:export': z.strictObject({ runId, format: z.enum(MODEL_EXPORT_FORMATS).optional() }),
  'model:import': z.strictObject({ rootId, relativePath }),
  'latent:get-scores': z.strictObject({ runId }),
  'latent:place-images': z.strictObject({
    runId,
    images: z.array(droppedImage).min(1).max(PLACE_IMAGE_LIMITS.images),
  }),
  'latent:list-bookmarks': z.strictObject({ runId }),
  'latent:save-bookmark': z.strictObject({ runId, bookmark: newMapBookmark }),
  'latent:delete-bookmark': z.strictObject({ runId, id: bookmarkId }),
  'latent:export': z.strictObject({
    runId,
    epoch,
    method: projectionMethod,
    format: z.enum(['csv', 'projector']),
  }),
} satisfies { [K in RequestName]: z.ZodType<RequestArgs<K>> };
