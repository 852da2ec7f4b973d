/**
 * A run's latent map on disk, `runs/<runId>/layouts/`: `points.json` (which images the map shows,
 * fixed for the run so continuing it keeps the same points), `projection.json` (the method its
 * live updates use), and per epoch `epoch-0003.means.f32` (encoder means) and
 * `epoch-0003.<method>.f32` (a layout) and `epoch-0003.scores.f32` (per-point scores by that
 * epoch's checkpoint: negative ELBO, reconstruction and KL, count values each, in that order). Binary files are raw little-endian float32 with no header:
 * their length says how many values they hold, and they are checked against the points on read.
 * Everything is written atomically, so a crash never leaves a half layout.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { MetadataField } from '../../../shared/dataset-types';
import {
  DEFAULT_PROJECTION_SETTINGS,
  defaultMethodFor,
  PROJECTION_METHODS,
  type ProjectionMethod,
  type ProjectionSettings,
} from '../../../shared/projection-types';
import { writeFileAtomic } from '../fs/atomic-write';
import { readJsonFile } from '../fs/json-file';

/** The display points of a run: indices into its dataset and what the map needs to know of them. */
export interface StoredPoints {
  count: number;
  latentDim: number;
  datasetId: string;
  /** Indices into the dataset's image set. */
  datasetIndices: number[];
  labels: number[];
  classNames: string[];
  names: string[];
  heldOut: number[];
  metadata: { field: MetadataField; values: number[] }[];
}

const pointsSchema = z.object({
  count: z.int().min(0),
  latentDim: z.int().min(1),
  datasetId: z.string(),
  datasetIndices: z.array(z.int().min(0)),
  labels: z.array(z.int().min(0)),
  classNames: z.array(z.string()),
  names: z.array(z.string()),
  heldOut: z.array(z.int().min(0).max(1)),
  metadata: z.array(
    z.object({
      field: z.object({ name: z.string(), categories: z.array(z.string()).optional() }),
      values: z.array(z.number()),
    }),
  ),
});

const projectionSchema = z.object({
  method: z.enum(PROJECTION_METHODS),
  perplexity: z.number(),
  neighbors: z.int(),
  minDist: z.number(),
  iterations: z.int(),
  axes: z.tuple([z.int(), z.int()]),
  seed: z.int(),
});

const EPOCH_FILE = /^epoch-(\d{4,})\.means\.f32$/;
const SCORES_FILE = /^epoch-\d{4,}\.scores\.f32$/;

function epochName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

function asBytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

async function readFloats(file: string, expected: number): Promise<Float32Array | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return null;
  }
  if (bytes.byteLength !== expected * 4) return null;
  // Copy into an aligned buffer: a Node Buffer may start at any byte offset of its pool.
  const values = new Float32Array(expected);
  asBytes(values).set(bytes);
  return values;
}

export class LayoutStore {
  readonly directory: string;

  constructor(runDirectory: string) {
    this.directory = path.join(runDirectory, 'layouts');
  }

  /** Scores are per point, so new points (or the same ones found again) make every epoch's stale. */
  async writePoints(points: StoredPoints): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const names = await readdir(this.directory);
    await Promise.all(
      names
        .filter((name) => SCORES_FILE.test(name))
        .map((name) => rm(path.join(this.directory, name), { force: true })),
    );
    await writeFileAtomic(path.join(this.directory, 'points.json'), JSON.stringify(points));
  }

  /** The run's points, or null when it has none yet or the file is damaged. */
  async readPoints(): Promise<StoredPoints | null> {
    const points = await readJsonFile(path.join(this.directory, 'points.json'), pointsSchema);
    if (!points) return null;
    const consistent =
      points.datasetIndices.length === points.count &&
      points.labels.length === points.count &&
      points.names.length === points.count &&
      points.heldOut.length === points.count &&
      points.metadata.every((m) => m.values.length === points.count);
    return consistent ? points : null;
  }

  async writeProjection(settings: ProjectionSettings): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await writeFileAtomic(path.join(this.directory, 'projection.json'), JSON.stringify(settings));
  }

  /** The run's projection; a run that never chose one gets the default for its latent size. */
  async readProjection(latentDim: number): Promise<ProjectionSettings> {
    // None yet, or unreadable: the default.
    const stored = await readJsonFile(path.join(this.directory, 'projection.json'), projectionSchema);
    return stored ?? { ...DEFAULT_PROJECTION_SETTINGS, method: defaultMethodFor(latentDim) };
  }

  /** New means for an epoch make its old layouts stale (a run continued from an older checkpoint). */
  async writeMeans(epoch: number, means: Float32Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await Promise.all(
      [
        ...[...PROJECTION_METHODS, 'scores'].map((kind) => `${epochName(epoch)}.${kind}.f32`),
        ...PROJECTION_METHODS.map((method) => `${epochName(epoch)}.${method}.sampled`),
      ].map((name) => rm(path.join(this.directory, name), { force: true })),
    );
    await writeFileAtomic(path.join(this.directory, `${epochName(epoch)}.means.f32`), asBytes(means));
  }

  readMeans(epoch: number, points: Pick<StoredPoints, 'count' | 'latentDim'>): Promise<Float32Array | null> {
    return readFloats(
      path.join(this.directory, `${epochName(epoch)}.means.f32`),
      points.count * points.latentDim,
    );
  }

  /**
   * `sampled`: a live layout that laid out only that many points (the rest placed by neighbours),
   * noted in `epoch-0003.<method>.sampled` beside it; a full layout removes the note.
   */
  async writeLayout(
    epoch: number,
    method: ProjectionMethod,
    positions: Float32Array,
    sampled: number | null = null,
  ): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const note = path.join(this.directory, `${epochName(epoch)}.${method}.sampled`);
    if (sampled !== null) await writeFileAtomic(note, String(sampled));
    await writeFileAtomic(path.join(this.directory, `${epochName(epoch)}.${method}.f32`), asBytes(positions));
    if (sampled === null) await rm(note, { force: true });
  }

  /** How many points the stored layout laid out when it was a live, sampled one; else null. */
  async readLayoutSampled(epoch: number, method: ProjectionMethod): Promise<number | null> {
    try {
      const text = await readFile(path.join(this.directory, `${epochName(epoch)}.${method}.sampled`), 'utf8');
      const sampled = Number(text.trim());
      return Number.isInteger(sampled) && sampled > 0 ? sampled : null;
    } catch {
      return null;
    }
  }

  readLayout(epoch: number, method: ProjectionMethod, count: number): Promise<Float32Array | null> {
    return readFloats(path.join(this.directory, `${epochName(epoch)}.${method}.f32`), count * 2);
  }

  /** Per-point scores by the epoch's checkpoint: 3 × count values (see `point-scores.ts`). */
  async writeScores(epoch: number, scores: Float32Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await writeFileAtomic(path.join(this.directory, `${epochName(epoch)}.scores.f32`), asBytes(scores));
  }

  /** The epoch's stored scores, or null when there are none or the file has the wrong length. */
  readScores(epoch: number, count: number): Promise<Float32Array | null> {
    return readFloats(path.join(this.directory, `${epochName(epoch)}.scores.f32`), 3 * count);
  }

  /** Epochs with stored means, ascending. */
  async epochs(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return [];
    }
    return names
      .map((name) => EPOCH_FILE.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }
}
