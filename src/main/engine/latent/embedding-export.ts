/**
 * Writes a run's latent map out for use elsewhere, into `runs/<runId>/exports/`:
 * - csv: one row per point with its file, label, split, 2-D coordinates, encoder means and
 *   metadata, for spreadsheets and pandas;
 * - projector: TensorBoard Embedding Projector's `vectors.tsv` (means, no header) and
 *   `metadata.tsv` (a header row, then one row per point), in a folder of their own so they keep
 *   the names the Projector expects.
 * Files are streamed row by row (100,000 points × 256 dimensions is hundreds of megabytes) to a
 * temporary name of their own and renamed into place. Text cells in both formats are guarded
 * against spreadsheet formulas (file names and labels are user data).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { csvRow, formulaSafe } from '../../../shared/csv';
import type { EmbeddingExportFormat, ExportedFile } from '../../../shared/export-types';
import { mediaPaths, type ProjectionMethod } from '../../../shared/projection-types';
import { writeLinesAtomic } from '../fs/atomic-write';
import type { StoredPoints } from './layout-store';

export interface EmbeddingExport {
  runId: string;
  runDirectory: string;
  epoch: number;
  method: ProjectionMethod;
  format: EmbeddingExportFormat;
  points: StoredPoints;
  means: Float32Array;
  /** count × 2, or null when the epoch has no layout by that method yet (coordinates left empty). */
  positions: Float32Array | null;
}

/**
 * A TSV cell: text is guarded against formulas first (a leading tab counts too), then tabs and
 * line breaks become spaces, since the Projector splits on them. Numbers stay bare.
 */
function tsvCell(value: string | number): string {
  return typeof value === 'number' ? String(value) : formulaSafe(value).replace(/[\t\r\n]+/g, ' ');
}

function metadataText(points: StoredPoints, field: number, i: number): string | number {
  const { field: meta, values } = points.metadata[field]!;
  const value = values[i]!;
  return meta.categories ? (meta.categories[value] ?? String(value)) : value;
}

function* csvLines(job: EmbeddingExport): Generator<string> {
  const { points, means, positions, method } = job;
  const dims = Array.from({ length: points.latentDim }, (_, d) => `z${d}`);
  const metaNames = points.metadata.map((m) => m.field.name);
  yield csvRow(['index', 'file', 'label', 'split', `${method}_x`, `${method}_y`, ...dims, ...metaNames]);
  for (let i = 0; i < points.count; i++) {
    const row: (string | number)[] = [
      i,
      points.names[i]!,
      points.classNames[points.labels[i]!] ?? String(points.labels[i]),
      points.heldOut[i] ? 'held-out' : 'train',
      positions ? positions[i * 2]! : Number.NaN,
      positions ? positions[i * 2 + 1]! : Number.NaN,
    ];
    for (let d = 0; d < points.latentDim; d++) row.push(means[i * points.latentDim + d]!);
    for (let f = 0; f < metaNames.length; f++) row.push(metadataText(points, f, i));
    yield csvRow(row);
  }
}

function* vectorLines(job: EmbeddingExport): Generator<string> {
  const { points, means } = job;
  for (let i = 0; i < points.count; i++) {
    yield Array.from(means.subarray(i * points.latentDim, (i + 1) * points.latentDim)).join('\t') + '\n';
  }
}

function* metadataLines(job: EmbeddingExport): Generator<string> {
  const { points } = job;
  const metaNames = points.metadata.map((m) => m.field.name);
  yield ['label', 'file', 'split', ...metaNames].map(tsvCell).join('\t') + '\n';
  for (let i = 0; i < points.count; i++) {
    const cells = [
      points.classNames[points.labels[i]!] ?? String(points.labels[i]),
      points.names[i]!,
      points.heldOut[i] ? 'held-out' : 'train',
      ...metaNames.map((_, f) => metadataText(points, f, i)),
    ];
    yield cells.map(tsvCell).join('\t') + '\n';
  }
}

export async function exportEmbedding(job: EmbeddingExport): Promise<ExportedFile[]> {
  const exports = path.join(job.runDirectory, 'exports');
  const epochTag = `epoch-${String(job.epoch).padStart(4, '0')}`;
  const file = (name: string, bytes: number): ExportedFile => ({
    name,
    bytes,
    mediaPath: mediaPaths.exported(job.runId, name),
  });
  if (job.format === 'csv') {
    await mkdir(exports, { recursive: true });
    const name = `latent-${epochTag}-${job.method}.csv`;
    return [file(name, await writeLinesAtomic(path.join(exports, name), csvLines(job)))];
  }
  const folder = `projector-${epochTag}`;
  await mkdir(path.join(exports, folder), { recursive: true });
  const vectors = await writeLinesAtomic(path.join(exports, folder, 'vectors.tsv'), vectorLines(job));
  const metadata = await writeLinesAtomic(path.join(exports, folder, 'metadata.tsv'), metadataLines(job));
  return [file(`${folder}/vectors.tsv`, vectors), file(`${folder}/metadata.tsv`, metadata)];
}
