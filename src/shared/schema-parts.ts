/**
 * The building blocks of the request schemas and of the files a run folder keeps: ids, paths,
 * settings and limits, each refusing what the app never sends (strict objects, bounded numbers
 * and strings).
 */
import { z } from 'zod';
import { IMAGE_SIZES } from './dataset-types';
import { GALLERY_LIMITS } from './gallery-types';
import { PLACE_IMAGE_LIMITS, PROJECTION_LIMITS, PROJECTION_METHODS } from './projection-types';
import { RUN_META_LIMITS } from './run-meta';
import { RUN_ID_PATTERN } from './run-types';
import { TRAIN_LIMITS, type SettingLimit } from './train-limits';
import { LIKELIHOODS, LEARNING_RATE_SCHEDULES } from './train-settings';
import { UPLOAD_LIMITS, uploadPathProblem } from './uploads';

export const noArgs = z.strictObject({});
export const rootId = z.string().regex(/^[a-z0-9-]{1,64}$/);
export const runId = z.string().regex(RUN_ID_PATTERN);
export const datasetId = z.string().regex(/^[a-z0-9:-]{1,80}$/);
/** A path inside a root: relative, `/`-separated, no empty, `.` or `..` segments, no NUL or backslash. */
export const relativePath = z
  .string()
  .max(4_096)
  .refine(
    (p) => p === '' || p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'),
    'not a plain relative path',
  )
  .refine((p) => !/[\\\0]/.test(p) && !p.startsWith('/'), 'not a plain relative path');
export const datasetSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('builtin'), id: z.enum(['mnist', 'sprites']) }),
  z.strictObject({ kind: z.literal('folder'), rootId, relativePath }),
]);
export const preprocessing = z.strictObject({
  size: z.union(IMAGE_SIZES.map((size) => z.literal(size))),
  channels: z.enum(['grayscale', 'rgb']),
  fit: z.enum(['crop', 'contain', 'stretch']),
  background: z.string().regex(/^#[0-9a-f]{6}$/i),
});
export const jobId = z.strictObject({ jobId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

export function limited({ min, max, integer, minExclusive }: SettingLimit) {
  const base = integer ? z.int() : z.number();
  return (minExclusive ? base.gt(min) : base.min(min)).max(max);
}

export const trainSettings = z.strictObject({
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

export const epoch = limited(TRAIN_LIMITS.epochs);
export const projectionMethod = z.enum(PROJECTION_METHODS);
export const between = ({ min, max }: { min: number; max: number }, integer: boolean) =>
  (integer ? z.int() : z.number()).min(min).max(max);
export const axis = z
  .int()
  .min(0)
  .max(TRAIN_LIMITS.latentDim.max - 1);
export const projectionSettings = z.strictObject({
  method: projectionMethod,
  perplexity: between(PROJECTION_LIMITS.perplexity, false),
  neighbors: between(PROJECTION_LIMITS.neighbors, true),
  minDist: between(PROJECTION_LIMITS.minDist, false),
  iterations: between(PROJECTION_LIMITS.iterations, true),
  axes: z.tuple([axis, axis]),
  seed: limited(TRAIN_LIMITS.seed),
});

export const point = z
  .int()
  .min(0)
  .max(TRAIN_LIMITS.displayCount.max - 1);
export const anchor = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('point'), point }),
  z.strictObject({ kind: z.literal('origin') }),
]);
export const finite = z.number().min(-1e6).max(1e6);
/**
 * Room for 400 codes of the widest latent (256 dimensions), every value finite. Only the engine
 * knows the model's dimension, so it caps the images themselves at 400 (GALLERY_LIMITS).
 */
export const latentBlock = z
  .instanceof(Float32Array)
  .refine((a) => a.length > 0 && a.length <= GALLERY_LIMITS.sampleCount.max * TRAIN_LIMITS.latentDim.max, {
    message: 'between 1 and 102,400 values',
  })
  .refine((a) => a.every(Number.isFinite), { message: 'finite values only' });
export const detailValue = z.union([z.string().max(200), finite, z.null()]);
export const mapSpot = z.strictObject({ epoch, method: projectionMethod, x: finite, y: finite });
/** A file the user dropped: its name is only shown (never a path), its bytes decoded by the engine. */
export const droppedImage = z.strictObject({
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
export const CONTROL = /[\p{Cc}\u2028\u2029]/u;
export const uploadId = z.uuid();
/** A file of an uploaded folder: a plain, visible path inside it (see `uploadPathProblem`). */
export const uploadFile = z.strictObject({
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
export const bookmarkId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

/** A run's name or a tag: one line, trimmed, not empty. */
export const runLabel = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !CONTROL.test(text), 'no control characters');
/** A note may span lines and hold tabs, but no other control characters. */
export const runNote = z
  .string()
  .max(RUN_META_LIMITS.note)
  .refine((text) => !/[\p{Cc}\u2028\u2029]/u.test(text.replace(/[\n\t]/g, '')), 'no control characters');
export const runTags = z.array(runLabel(RUN_META_LIMITS.tag)).max(RUN_META_LIMITS.tags);
