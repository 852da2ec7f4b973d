/** The files an ONNX export writes, in the order it lists them: what the tests expect to find. */
export const ONNX_EXPORT_FILES = [
  'encoder.onnx',
  'decoder.onnx',
  'model-config.json',
  'README.md',
  'sample.py',
  'sample.mjs',
] as const;
