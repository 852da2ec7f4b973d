/**
 * The schemas a run folder's files are read back with (a folder may have been edited or damaged by
 * hand): `config.json` with `train:start`'s and `dataset:open`'s, `status.json` and each line of
 * `metrics.jsonl` with their own.
 */
import { z } from 'zod';
import { RUN_ID_PATTERN, type RunState } from '../../../shared/run-types';
import { recordedTrainSettings, requestSchemas } from '../../../shared/schemas';
import { LIKELIHOODS } from '../../../shared/train-settings';
import type { EpochMetrics } from '../../../shared/training-events';
import type { RunConfig, RunStatus } from './run-store';

export const configSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  createdAt: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  settings: recordedTrainSettings,
  preprocessing: requestSchemas['dataset:open'].shape.preprocessing.optional(),
}) satisfies z.ZodType<RunConfig>;

const RUN_STATES = [
  'loading',
  'running',
  'paused',
  'cancelled',
  'completed',
  'failed',
  'diverged',
  'interrupted',
] as const satisfies readonly RunState[];
const epochNumber = z.int().min(1);
export const statusSchema = z.object({
  state: z.enum(RUN_STATES),
  error: z.string().nullable(),
  updatedAt: z.string(),
  stoppedEarly: z
    .object({ epoch: epochNumber, bestEpoch: epochNumber, patience: epochNumber })
    .refine((stop) => stop.bestEpoch < stop.epoch, 'the best epoch comes before the last')
    .optional()
    // Only a note: a damaged one is dropped rather than costing the run its state.
    .catch(undefined),
  stoppedAtBudget: z
    .object({ epoch: epochNumber, budgetSeconds: z.number().positive(), elapsedSeconds: z.number().min(0) })
    .optional()
    .catch(undefined),
}) satisfies z.ZodType<RunStatus>;

/** One line of metrics.jsonl. JSON has no NaN or Infinity, so every number here is finite. */
export const metricsLineSchema = z.object({
  epoch: z.int().min(1),
  beta: z.number(),
  learningRate: z.number(),
  // Null for a continuous likelihood, whose bits/dim is not one (see shared/likelihood-info.ts).
  trainBitsPerDim: z.number().nullable(),
  testBitsPerDim: z.number().nullable(),
  likelihood: z.enum(LIKELIHOODS).optional(),
  latentMeanVariance: z.array(z.number()).optional(),
  mutualInformation: z.number().optional(),
  klPerDimension: z.array(z.number()),
  activeUnits: z.int().min(0),
  trainLoss: z.number(),
  testLoss: z.number(),
  testReconstruction: z.number(),
  testKl: z.number(),
  validationLoss: z.number().optional(),
  baseLearningRate: z.number().optional(),
  imagesPerSecond: z.number(),
  wallSeconds: z.number(),
}) satisfies z.ZodType<EpochMetrics>;
