/**
 * An `OnnxGraph` as the bytes of an .onnx file (a ModelProto), written with onnx-proto's generated
 * protobuf code for the official onnx.proto.
 */
import onnxProto from 'onnx-proto';
import type { OnnxGraph, TensorSignature } from './onnx-graph';

const { onnx } = onnxProto;

/**
 * Opset 13: every op the graphs use (Conv, ConvTranspose, Resize, ReduceMean with axes as an
 * attribute, …) is there, and ONNX Runtime, onnxruntime-web and PyTorch's importer all read it.
 */
export const ONNX_OPSET = 13;
/** IR version 7 is the one that goes with opset 13 (ONNX 1.8). */
const IR_VERSION = 7;

export interface OnnxModelDescription {
  graphName: string;
  doc: string;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  /** Shown by viewers and readable from onnxruntime's session metadata. */
  metadata: Record<string, string>;
  producerVersion: string;
}

function valueInfo({ name, shape, doc }: TensorSignature): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    docString: doc,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...shape.map((dimValue) => ({ dimValue }))] },
      },
    },
  };
}

export function onnxModelBytes(graph: OnnxGraph, description: OnnxModelDescription): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Latent Studio',
    producerVersion: description.producerVersion,
    docString: description.doc,
    metadataProps: Object.entries(description.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: description.graphName,
      node: graph.nodes,
      initializer: graph.initializers,
      input: description.inputs.map(valueInfo),
      output: description.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
