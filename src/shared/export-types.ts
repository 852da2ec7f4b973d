/** What a run can export: its model (TensorFlow.js or ONNX files), its map's embedding, and the files written. */

/**
 * Formats a trained model exports to: 'tfjs' (model.json + weights.bin, which the app imports
 * back) or 'onnx' (encoder.onnx + decoder.onnx with a README and samples, for notebooks and web pages).
 */
export const MODEL_EXPORT_FORMATS = ['tfjs', 'onnx'] as const;
export type ModelExportFormat = (typeof MODEL_EXPORT_FORMATS)[number];

export const EXPORT_FORMATS = ['csv', 'projector'] as const;
/** csv: one file (coordinates, means, label, file); projector: TensorBoard's vectors.tsv + metadata.tsv. */
export type EmbeddingExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  name: string;
  bytes: number;
  /** Media path to download it (see `Api.mediaUrl`). */
  mediaPath: string;
}
