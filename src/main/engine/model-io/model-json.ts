/**
 * `model.json`, the file a trained model is shared as: a TensorFlow.js-style weights manifest
 * (one `weights.bin`, float32 little-endian, in manifest order) plus the run's settings and image
 * format, with the error an import refuses a bad one with.
 */
import { z } from 'zod';
import { recordedTrainSettings } from '../../../shared/schemas';

export const MODEL_FORMAT = 'latent-studio-vae';
export const WEIGHTS_FILE = 'weights.bin';
/** A model.json is a few kilobytes (settings and a weight list); anything far larger is not read. */
export const MODEL_JSON_MAX_BYTES = 1 << 20;

/** Why an import was refused: the folder is not a model (INVALID_PAYLOAD) or a damaged one. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(
    message: string,
    readonly code: 'INVALID_PAYLOAD' | 'CHECKPOINT_CORRUPT',
  ) {
    super(message);
  }
}

export const modelJsonSchema = z.object({
  format: z.string(),
  version: z.literal(1),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string().min(1).max(255)).length(1),
        // The biggest model the app builds has 23 weights of at most 4 dimensions.
        weights: z
          .array(
            z.object({
              name: z.string().min(1).max(100),
              shape: z.array(z.int().min(0)).max(4),
              dtype: z.literal('float32'),
            }),
          )
          .max(64),
      }),
    )
    .length(1),
  latentStudio: z.object({
    // Models exported before a setting existed lack it; they read as they were trained.
    settings: recordedTrainSettings,
    // Checked against the sizes the app offers after parsing, with a clearer message.
    imageSize: z.int().min(1),
    channels: z.union([z.literal(1), z.literal(3)]),
    epoch: z.int().min(1),
    runId: z.string().max(200),
    datasetName: z.string().max(1_000),
  }),
});
export type ModelJson = z.infer<typeof modelJsonSchema>;
