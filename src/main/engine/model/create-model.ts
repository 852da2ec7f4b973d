import type { TrainSettings } from '../../../shared/train-settings';
import { ConvVae } from './vae-conv';
import { MlpVae } from './vae-mlp';
import type { VaeModel } from './vae-model';

/** The model a run's settings describe, for images of this size and channel count. */
export function createModel(
  settings: Pick<TrainSettings, 'model' | 'likelihood' | 'latentDim' | 'width' | 'depth' | 'seed'> &
    Partial<Pick<TrainSettings, 'pcaStart'>>,
  size: number,
  channels: 1 | 3,
): VaeModel {
  const learnedVariance = settings.likelihood === 'gaussian-learned';
  const learnedScale = settings.likelihood === 'discretized-logistic';
  if (settings.model === 'conv') {
    return new ConvVae({
      size,
      channels,
      latentDim: settings.latentDim,
      width: settings.width,
      depth: settings.depth,
      learnedVariance,
      learnedScale,
      linearPath: settings.pcaStart ?? false,
      seed: settings.seed,
    });
  }
  return new MlpVae({
    inputSize: size * size * channels,
    hiddenSize: settings.width,
    depth: settings.depth,
    latentDim: settings.latentDim,
    learnedVariance,
    learnedScale,
    channels,
    seed: settings.seed,
  });
}
