/**
 * zod schemas for every request's arguments. Objects are strict (extra keys, `__proto__` included,
 * are refused), numbers finite, strings bounded.
 */
import { z } from 'zod';
import type { RequestArgs, RequestName } from './contract';
import { IMAGE_SIZES } from './dataset-types';
import { GALLERY_LIMITS, INTERPOLATION_MODES } from './gallery-types';
import { LIKELIHOOD_SAMPLES } from './likelihood-types';
import { BOOKMARK_LIMITS, type MapBookmark, type NewMapBookmark } from './map-bookmarks';
import { PLACE_IMAGE_LIMITS, PROJECTION_LIMITS, PROJECTION_METHODS } from './projection-types';
import { RUN_META_LIMITS, type RunMeta } from './run-meta';
import { COMPARE_LIMITS, RUN_ID_PATTERN } from './run-types';
import { TRAIN_LIMITS, type SettingLimit } from './train-limits';
import { BACKEND_NAMES, LEARNING_RATE_SCHEDULES, LIKELIHOODS, MODEL_EXPORT_FORMATS } from './types';
import { UPLOAD_LIMITS, uploadPathProblem } from './uploads';

const noArgs = z.strictObject({});
const rootId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const runId = z.string().regex(RUN_ID_PATTERN);
const datasetId = z.string().regex(/^[a-z0-9:-]{1,80}$/);
/** A path inside a root: relative, `/`-separated, no empty, `.` or `..` segments, no NUL or backslash. */
const relativePath = z
  .string()
  .max(4_096)
  .refine(
    (p) => p === '' || p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'),
    'not a plain relative path',
  )
  .refine((p) => !/[\\\0]/.test(p) && !p.startsWith('/'), 'not a plain relative path');
const datasetSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('builtin'), id: z.enum(['mnist', 'sprites']) }),
  z.strictObject({ kind: z.literal('folder'), rootId, relativePath }),
]);
const preprocessing = z.strictObject({
  size: z.union(IMAGE_SIZES.map((size) => z.literal(size))),
  channels: z.enum(['grayscale', 'rgb']),
  fit: z.enum(['crop', 'contain', 'stretch']),
  background: z.string().regex(/^#[0-9a-f]{6}$/i),
});
const jobId = z.strictObject({ jobId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

function limited({ min, max, integer, minExclusive }: SettingLimit) {
  const base = integer ? z.int() : z.number();
  return (minExclusive ? base.gt(min) : base.min(min)).max(max);
}

const trainSettings = z.strictObject({
  datasetId: datasetId,
  trainLimit: limited(TRAIN_LIMITS.trainLimit),
  testLimit: limited(TRAIN_LIMITS.testLimit),
  displayCount: limited(TRAIN_LIMITS.displayCount),
  mapEveryBatches: limited(TRAIN_LIMITS.mapEveryBatches),
  epochs: limited(TRAIN_LIMITS.epochs),
  batchSize: limited(TRAIN_LIMITS.batchSize),
  learningRate: limited(TRAIN_LIMITS.learningRate),
  latentDim: limited(TRAIN_LIMITS.latentDim),
  seed: limited(TRAIN_LIMITS.seed),
  model: z.enum(['mlp', 'conv']),
  likelihood: z.enum(LIKELIHOODS),
  beta: limited(TRAIN_LIMITS.beta),
  klWarmupEpochs: limited(TRAIN_LIMITS.klWarmupEpochs),
  earlyStopPatience: limited(TRAIN_LIMITS.earlyStopPatience),
  timeBudgetMinutes: limited(TRAIN_LIMITS.timeBudgetMinutes),
  augmentFlip: z.boolean(),
  learningRateSchedule: z.enum(LEARNING_RATE_SCHEDULES),
  pcaStart: z.boolean(),
  width: limited(TRAIN_LIMITS.width),
  depth: limited(TRAIN_LIMITS.depth),
});

/**
 * Training settings as a run folder's config.json or an exported model.json recorded them. A
 * request names every setting, but files written before a setting existed lack it: they read as
 * they ran (no early stopping, no time budget, no flips, one learning rate throughout, a random
 * start), so old
 * runs still open and continue as they trained.
 */
export const recordedTrainSettings = trainSettings.extend({
  earlyStopPatience: trainSettings.shape.earlyStopPatience.default(0),
  timeBudgetMinutes: trainSettings.shape.timeBudgetMinutes.default(0),
  augmentFlip: trainSettings.shape.augmentFlip.default(false),
  learningRateSchedule: trainSettings.shape.learningRateSchedule.default('constant'),
  pcaStart: trainSettings.shape.pcaStart.default(false),
});

const epoch = limited(TRAIN_LIMITS.epochs);
const projectionMethod = z.enum(PROJECTION_METHODS);
const between = ({ min, max }: { min: number; max: number }, integer: boolean) =>
  (integer ? z.int() : z.number()).min(min).max(max);
const axis = z
  .int()
  .min(0)
  .max(TRAIN_LIMITS.latentDim.max - 1);
const projectionSettings = z.strictObject({
  method: projectionMethod,
  perplexity: between(PROJECTION_LIMITS.perplexity, false),
  neighbors: between(PROJECTION_LIMITS.neighbors, true),
  minDist: between(PROJECTION_LIMITS.minDist, false),
  iterations: between(PROJECTION_LIMITS.iterations, true),
  axes: z.tuple([axis, axis]),
  seed: limited(TRAIN_LIMITS.seed),
});

const point = z
  .int()
  .min(0)
  .max(TRAIN_LIMITS.displayCount.max - 1);
const anchor = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('point'), point }),
  z.strictObject({ kind: z.literal('origin') }),
]);
const finite = z.number().min(-1e6).max(1e6);
/**
 * Room for 400 codes of the widest latent (256 dimensions), every value finite. Only the engine
 * knows the model's dimension, so it caps the images themselves at 400 (GALLERY_LIMITS).
 */
const latentBlock = z
  .instanceof(Float32Array)
  .refine((a) => a.length > 0 && a.length <= GALLERY_LIMITS.sampleCount.max * TRAIN_LIMITS.latentDim.max, {
    message: 'between 1 and 102,400 values',
  })
  .refine((a) => a.every(Number.isFinite), { message: 'finite values only' });
const detailValue = z.union([z.string().max(200), finite, z.null()]);
const mapSpot = z.strictObject({ epoch, method: projectionMethod, x: finite, y: finite });
/** A file the user dropped: its name is only shown (never a path), its bytes decoded by the engine. */
const droppedImage = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(PLACE_IMAGE_LIMITS.nameLength)
    .refine((name) => ![...name].some((c) => c < ' ' || c === '\u007f'), 'no control characters'),
  bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= PLACE_IMAGE_LIMITS.fileBytes, {
    message: `at most ${PLACE_IMAGE_LIMITS.fileBytes / (1024 * 1024)} MB per file`,
  }),
});
/** C0 and C1 controls and the line separators: a label shown on one line holds none. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const uploadId = z.uuid();
/** A file of an uploaded folder: a plain, visible path inside it (see `uploadPathProblem`). */
const uploadFile = z.strictObject({
  relativePath: z.string().superRefine((p, context) => {
    const problem = uploadPathProblem(p);
    if (problem) context.addIssue({ code: 'custom', message: `not a plain file path: ${problem}` });
  }),
  // The per-file cap is the upload store's to apply (skipped with the reason, not refused):
  // here only what one call may carry at all.
  bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= UPLOAD_LIMITS.callBytes, {
    message: `at most ${UPLOAD_LIMITS.callBytes / (1024 * 1024)} MB per file`,
  }),
});
const bookmarkId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
/** A zoom transform's translation (pixels) and scale: finite, the scale positive. */
const viewNumber = z.number().min(-1e9).max(1e9);

/** A map bookmark as the renderer saves it; the engine checks its indices against the run's points. */
export const newMapBookmark = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(BOOKMARK_LIMITS.name)
    .refine((name) => !CONTROL.test(name), 'no control characters'),
  epoch,
  method: projectionMethod,
  view: z.strictObject({ x: viewNumber, y: viewNumber, k: z.number().gt(0).max(1e6) }),
  colourBy: z.string().min(1).max(BOOKMARK_LIMITS.colourBy),
  pinned: point.nullable(),
  selection: z.array(point).max(BOOKMARK_LIMITS.selection),
  hidden: z
    .array(
      z
        .int()
        .min(0)
        .max(BOOKMARK_LIMITS.hidden - 1),
    )
    .max(BOOKMARK_LIMITS.hidden),
}) satisfies z.ZodType<NewMapBookmark>;

/** A bookmark as the run folder keeps it (`bookmarks.json`). */
export const storedMapBookmark = newMapBookmark.extend({
  id: bookmarkId,
  createdAt: z.iso.datetime(),
}) satisfies z.ZodType<MapBookmark>;

/** A run's name or a tag: one line, trimmed, not empty. */
const runLabel = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !CONTROL.test(text), 'no control characters');
/** A note may span lines and hold tabs, but no other control characters. */
const runNote = z
  .string()
  .max(RUN_META_LIMITS.note)
  .refine((text) => !/[\p{Cc}\u2028\u2029]/u.test(text.replace(/[\n\t]/g, '')), 'no control characters');
const runTags = z.array(runLabel(RUN_META_LIMITS.tag)).max(RUN_META_LIMITS.tags);

/** `run-meta.json` as a run folder keeps it. */
export const storedRunMeta = z.strictObject({
  version: z.literal(1),
  name: runLabel(RUN_META_LIMITS.name).nullable(),
  note: runNote,
  tags: runTags,
}) satisfies z.ZodType<RunMeta & { version: 1 }>;

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
