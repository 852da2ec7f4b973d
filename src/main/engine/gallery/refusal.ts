/**
 * How the engine's model requests (gallery, scores, placed images) say no: a {@link Refusal}
 * thrown anywhere in the work becomes a failed result with its code and words; so do the typed
 * errors of damaged model files and of models ONNX cannot hold. Anything else is unexpected and goes on up (the host answers
 * INTERNAL, in plain words).
 */
import { fail, ok, type ErrorCode, type Result } from '../../../shared/result';
import { OnnxUnsupportedError } from '../model-io/onnx/vae-onnx';
import { CheckpointCorruptError } from '../train/checkpoint';
import { ModelFileError } from '../model-io/model-json';

/** A request that cannot be answered, with the code and words the user sees. */
export class Refusal extends Error {
  override name = 'Refusal';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export async function answer<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof Refusal || error instanceof ModelFileError) return fail(error.code, error.message);
    if (error instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', error.message);
    if (error instanceof OnnxUnsupportedError) return fail('UNSUPPORTED', error.message);
    throw error;
  }
}
