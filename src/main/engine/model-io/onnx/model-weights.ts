/**
 * A trained model's weights by checkpoint name (`encoder/mean/kernel`, …), as the graph emitters
 * read them: from a checkpoint's values or straight from a live tfjs model's variables.
 */
import type { VaeModel } from '../../model/vae-model';

export interface WeightValue {
  shape: readonly number[];
  data: Float32Array;
}

export class ModelWeights {
  constructor(private readonly values: ReadonlyMap<string, WeightValue>) {}

  /** The weights of a live model, copied out of its variables. */
  static ofModel(model: VaeModel): ModelWeights {
    return new ModelWeights(
      new Map(
        model.namedVariables.map(({ name, variable }) => [
          name,
          { shape: variable.shape, data: Float32Array.from(variable.dataSync()) },
        ]),
      ),
    );
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): WeightValue {
    const value = this.values.get(name);
    if (!value) throw new Error(`The model has no weight ${name}; it cannot be written as ONNX.`);
    return value;
  }

  /** How many numbered layers `prefix1`, `prefix2`, … there are (`suffix` names one of their weights). */
  countOf(prefix: string, suffix: string): number {
    let count = 0;
    while (this.values.has(`${prefix}${count + 1}${suffix}`)) count++;
    return count;
  }
}

/** `data` of an array of `shape`, its axes reordered by `perm` (as numpy's transpose). */
export function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((axis) => shape[axis]!);
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let k = 0; k < perm.length; k++) source += index[k]! * strides[perm[k]!]!;
    out[o] = data[source]!;
    for (let k = outShape.length - 1; k >= 0; k--) {
      if (++index[k]! < outShape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}
