/**
 * The Projector's metadata.tsv is user data a spreadsheet may open, like the CSV export: a label,
 * file name or metadata value that starts like a formula is written as text. Exports real files
 * through the real exporter and reads them back.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEmbedding } from '../../src/main/engine/latent/embedding-export';
import type { StoredPoints } from '../../src/main/engine/latent/layout-store';
import { tempFolder } from '../support/temp-folder';

const NAMES = [
  '=HYPERLINK("http://x","y").png',
  '+1.png',
  '-2.png',
  '@SUM(A1).png',
  '\tcmd.png',
  'plain.png',
];

const POINTS: StoredPoints = {
  count: NAMES.length,
  latentDim: 2,
  datasetId: 'folder-0123456789abcdef',
  datasetIndices: NAMES.map((_, i) => i),
  labels: [0, 1, 0, 1, 0, 1],
  classNames: ['=cmd|calc', 'cats'],
  names: NAMES,
  heldOut: [0, 1, 0, 1, 0, 1],
  metadata: [
    { field: { name: '@owner', categories: ['-alice', 'bob'] }, values: [0, 1, 0, 1, 0, 1] },
    { field: { name: 'weight' }, values: [-1.5, 2, 3, 4, 5, 6] },
  ],
};

const runDirectory = tempFolder('tsv');

async function exportedTsv(): Promise<string[][]> {
  const files = await exportEmbedding({
    runId: '20260101-000000-abcd',
    runDirectory: runDirectory(),
    epoch: 1,
    method: 'pca',
    format: 'projector',
    points: POINTS,
    means: new Float32Array(POINTS.count * 2).map((_, i) => i - 3),
    positions: null,
  });
  const metadata = files.find((f) => f.name.endsWith('metadata.tsv'))!;
  const text = await readFile(path.join(runDirectory(), 'exports', metadata.name), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

describe('projector metadata.tsv', () => {
  it('escapes cells a spreadsheet would run as formulas, keeps numbers and plain text as they are', async () => {
    const [header, ...rows] = await exportedTsv();
    expect(header).toEqual(['label', 'file', 'split', "'@owner", 'weight']);
    expect(rows).toHaveLength(NAMES.length);
    expect(rows.map((r) => r[1])).toEqual([
      `'=HYPERLINK("http://x","y").png`,
      "'+1.png",
      "'-2.png",
      "'@SUM(A1).png",
      // A leading tab is escaped first, then turned into a space (the Projector splits on tabs).
      "' cmd.png",
      'plain.png',
    ]);
    expect(rows[0]![0]).toBe("'=cmd|calc");
    expect(rows[1]![0]).toBe('cats');
    expect(rows[0]![3]).toBe("'-alice");
    // Numeric metadata stays a number, negative or not.
    expect(rows[0]![4]).toBe('-1.5');
    for (const row of rows) expect(row).toHaveLength(5);
  });

  it('leaves vectors.tsv numeric', async () => {
    await exportedTsv();
    const vectors = await readFile(
      path.join(runDirectory(), 'exports', 'projector-epoch-0001', 'vectors.tsv'),
      'utf8',
    );
    expect(vectors.split('\n')[0]).toBe('-3\t-2');
  });
});
