/**
 * An ONNX graph under construction: nodes in execution order, weights as initializers, and fresh
 * value names. Knows nothing about VAEs; the architecture emitters (`*-graph.ts`) call its ops.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** An attribute value: whole numbers go out as INT, lists of them as INTS, text as STRING. */
export type AttributeValue = number | number[] | string;

/** A graph input or output: a float32 tensor whose first dimension is the batch, `N`. */
export interface TensorSignature {
  name: string;
  /** Dimensions after the batch. */
  shape: number[];
  doc: string;
}

/**
 * The bytes of numbers as ONNX's raw_data wants them: little-endian whatever the machine, like
 * the TF.js export's weights.bin.
 */
function littleEndian(values: Float32Array | readonly number[], kind: 'float32' | 'int64'): Uint8Array {
  const width = kind === 'float32' ? 4 : 8;
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => {
    if (kind === 'float32') view.setFloat32(i * width, value, true);
    else view.setBigInt64(i * width, BigInt(value), true);
  });
  return bytes;
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string') {
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  }
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  return { name, type: AttributeType.INTS, ints: value };
}

export class OnnxGraph {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();

  /** A value name not used before in this graph, readable in a viewer such as Netron. */
  private fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_/]/g, '_');
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a graph input's name, so no node output takes it. */
  input(name: string): string {
    if (this.used.has(name)) throw new Error(`The ONNX graph already has a value named ${name}.`);
    this.used.add(name);
    return name;
  }

  /** A float32 weight or constant, stored in the graph. */
  weight(name: string, dims: readonly number[], data: Float32Array | readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) {
      throw new Error(`${name} holds ${data.length} values, its shape ${dims.join('×')} needs ${size}.`);
    }
    const unique = this.fresh(name);
    this.initializers.push({
      name: unique,
      dims: [...dims],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: littleEndian(data, 'float32'),
    });
    return unique;
  }

  /** An int64 vector constant (shapes, for Reshape). */
  int64s(name: string, values: readonly number[]): string {
    const unique = this.fresh(name);
    this.initializers.push({
      name: unique,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: littleEndian(values, 'int64'),
    });
    return unique;
  }

  /**
   * One node of the default (ai.onnx) domain with one output, named from `hint`; returns the
   * output's name. An empty input name stands for an optional input left out.
   */
  op(type: string, inputs: string[], hint: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.fresh(hint);
    this.nodes.push({
      opType: type,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return output;
  }

  /** Renames a value to a graph output's name (an Identity node), so outputs keep fixed names. */
  output(value: string, name: string): void {
    if (this.used.has(name)) throw new Error(`The ONNX graph already has a value named ${name}.`);
    this.used.add(name);
    this.nodes.push({ opType: 'Identity', name, input: [value], output: [name] });
  }
}
