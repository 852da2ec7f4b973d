/**
 * zod schemas for every request's arguments. Objects are strict (extra keys, `__proto__` included,
 * are refused), numbers finite, strings bounded.
 */
import { z } from 'zod';
import type { RequestArgs, RequestName } from './contract';
import { TRAIN_LIMITS, type SettingLimit } from './train-limits';
import { BACKEND_NAMES } from './types';

const noArgs = z.strictObject({});
const jobId = z.strictObject({ jobId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

function limited({ min, max, integer, minExclusive }: SettingLimit) {
  const base = integer ? z.int() : z.number();
  return (minExclusive ? base.gt(min) : base.min(min)).max(max);
}

const trainSettings = z.strictObject({
  datasetId: z.literal('mnist'),
  trainLimit: limited(TRAIN_LIMITS.trainLimit),
  testLimit: limited(TRAIN_LIMITS.testLimit),
  displayCount: limited(TRAIN_LIMITS.displayCount),
  epochs: limited(TRAIN_LIMITS.epochs),
  batchSize: limited(TRAIN_LIMITS.batchSize),
  learningRate: limited(TRAIN_LIMITS.learningRate),
  latentDim: limited(TRAIN_LIMITS.latentDim),
  seed: limited(TRAIN_LIMITS.seed),
});

export const requestSchemas = {
  'app:ping': noArgs,
  'app:get-info': noArgs,
  'engine:get-status': noArgs,
  'engine:restart': z.strictObject({ backend: z.enum(['auto', ...BACKEND_NAMES]) }),
  'dataset:list-builtin': noArgs,
  'train:start': trainSettings,
  'train:pause': jobId,
  'train:resume': jobId,
  'job:cancel': jobId,
} satisfies { [K in RequestName]: z.ZodType<RequestArgs<K>> };
