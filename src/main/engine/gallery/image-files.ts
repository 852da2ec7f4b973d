/**
 * Decoded images as files, in a folder of their own under `runs/<runId>/exports/`: separate PNGs,
 * one grid PNG or an animated GIF/WebP, each scaled up by whole pixels (nearest neighbour, so the
 * model's pixels stay sharp), always with `manifest.json` saying what made them.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import {
  GALLERY_LIMITS,
  type AnimationFormat,
  type DecodedImages,
  type GalleryExportKind,
} from '../../../shared/gallery-types';
import type { ExportedFile } from '../../../shared/export-types';
import { mediaPaths } from '../../../shared/projection-types';
import { writeFileAtomic } from '../fs/atomic-write';

/** Options of one gallery export. */
export interface ImageExport {
  runId: string;
  runDirectory: string;
  images: DecodedImages;
  kind: GalleryExportKind;
  /** Grid columns (grid only). */
  columns: number;
  /** Output pixels per model pixel. */
  scale: number;
  format: AnimationFormat;
  /** What the images are ("samples", "interpolation", …): the folder's name starts with it. */
  label: string;
  details: Record<string, string | number | null>;
  /** Where each image came from (file names, for images of the dataset), in order. */
  sources?: { file: string; label: string }[];
  /** Copied into the manifest: the app, the checkpoint epoch decoded with and the run's settings. */
  manifest: { app: string; version: string; epoch: number | null; settings: unknown };
}

/** Pixels between grid tiles. */
const GRID_GAP = 2;
/** Milliseconds per animation frame. */
const FRAME_DELAY = 120;

/** What decides an export's size: how many images of which side, scaled and laid out how. */
export interface ExportShape {
  kind: GalleryExportKind;
  count: number;
  size: number;
  scale: number;
  columns: number;
}

/** The grid's columns and rows: never more columns than images. */
function gridLayout(count: number, columns: number): { cols: number; rows: number } {
  const cols = Math.max(1, Math.min(columns, count));
  return { cols, rows: Math.ceil(count / cols) };
}

/** Side of a tiled span: `tiles` tiles of `tile` pixels with GRID_GAP between them. */
const span = (tiles: number, tile: number) => tiles * tile + (tiles - 1) * GRID_GAP;

/** Pixels an export writes, all files together, worked out before anything is decoded. */
export function exportPixels({ kind, count, size, scale, columns }: ExportShape): number {
  const tile = size * scale;
  if (kind !== 'grid') return count * tile * tile;
  const { cols, rows } = gridLayout(count, columns);
  return span(cols, tile) * span(rows, tile);
}

/**
 * Why an export is too big to write, or null: more images than the gallery shows, or more output
 * pixels than GALLERY_LIMITS allows (a grid or animation is built whole in memory).
 */
export function exportTooBig(shape: ExportShape): string | null {
  const { count } = shape;
  if (count > GALLERY_LIMITS.sampleCount.max) {
    return `${count} images are too many to export at once; the most is ${GALLERY_LIMITS.sampleCount.max}.`;
  }
  const pixels = exportPixels(shape);
  if (pixels > GALLERY_LIMITS.exportPixels) {
    return `This export would write ${pixels.toLocaleString('en-US')} pixels; the most is ${GALLERY_LIMITS.exportPixels.toLocaleString('en-US')}. Choose a smaller scale or fewer images.`;
  }
  return null;
}

/** One image of a set, every pixel repeated scale × scale times. */
export function scaleUp(images: DecodedImages, index: number, scale: number): Uint8Array {
  const { size, channels } = images;
  const stride = size * size * channels;
  const source = images.pixels.subarray(index * stride, (index + 1) * stride);
  const width = size * scale;
  const out = new Uint8Array(width * width * channels);
  for (let y = 0; y < width; y++) {
    const sourceRow = Math.floor(y / scale) * size;
    for (let x = 0; x < width; x++) {
      const from = (sourceRow + Math.floor(x / scale)) * channels;
      const to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = source[from + c]!;
    }
  }
  return out;
}

/** The images as a grid of `columns`, GRID_GAP white pixels between tiles. */
export function gridPixels(
  images: DecodedImages,
  columns: number,
  scale: number,
): { pixels: Uint8Array; width: number; height: number } {
  const tile = images.size * scale;
  const { channels, count } = images;
  const { cols, rows } = gridLayout(count, columns);
  const width = span(cols, tile);
  const height = span(rows, tile);
  const pixels = new Uint8Array(width * height * channels).fill(255);
  for (let i = 0; i < count; i++) {
    const scaled = scaleUp(images, i, scale);
    const left = (i % cols) * (tile + GRID_GAP);
    const top = Math.floor(i / cols) * (tile + GRID_GAP);
    for (let y = 0; y < tile; y++) {
      pixels.set(
        scaled.subarray(y * tile * channels, (y + 1) * tile * channels),
        ((top + y) * width + left) * channels,
      );
    }
  }
  return { pixels, width, height };
}

function png(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  const image = sharp(pixels, { raw: { width, height, channels } });
  // Grayscale stays one channel (sharp would otherwise write sRGB).
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}

function animation(images: DecodedImages, scale: number, format: AnimationFormat): Promise<Buffer> {
  const side = images.size * scale;
  const frames = new Uint8Array(images.count * side * side * images.channels);
  for (let i = 0; i < images.count; i++)
    frames.set(scaleUp(images, i, scale), i * side * side * images.channels);
  const image = sharp(frames, {
    raw: { width: side, height: side * images.count, channels: images.channels, pageHeight: side },
  });
  const delay = Array.from({ length: images.count }, () => FRAME_DELAY);
  return format === 'gif'
    ? image.gif({ loop: 0, delay }).toBuffer()
    : image.webp({ loop: 0, delay, lossless: true }).toBuffer();
}

/** A folder name that sorts by time and never repeats within a run (milliseconds included). */
function folderName(label: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  return `${label}-${stamp}`.toLowerCase();
}

/** The export's files as bytes, all made before anything touches the disk. */
async function encodeOutputs(job: ImageExport): Promise<{ name: string; bytes: Buffer }[]> {
  const { images, scale } = job;
  const side = images.size * scale;
  if (job.kind === 'images') {
    const digits = Math.max(3, String(images.count).length);
    const outputs: { name: string; bytes: Buffer }[] = [];
    for (let i = 0; i < images.count; i++) {
      const name = `image-${String(i + 1).padStart(digits, '0')}.png`;
      outputs.push({ name, bytes: await png(scaleUp(images, i, scale), side, side, images.channels) });
    }
    return outputs;
  }
  if (job.kind === 'grid') {
    const grid = gridPixels(images, job.columns, scale);
    return [{ name: 'grid.png', bytes: await png(grid.pixels, grid.width, grid.height, images.channels) }];
  }
  return [{ name: `animation.${job.format}`, bytes: await animation(images, scale, job.format) }];
}

export async function exportImages(job: ImageExport): Promise<ExportedFile[]> {
  const { images, scale, runId } = job;
  // The request handler refuses these with a message first; this keeps every caller within them.
  const { kind, columns } = job;
  const tooBig = exportTooBig({ kind, count: images.count, size: images.size, scale, columns });
  if (tooBig) throw new Error(tooBig);
  const now = new Date();
  const folder = folderName(job.label, now);
  const directory = path.join(job.runDirectory, 'exports', folder);
  const outputs = await encodeOutputs(job);
  const latents = Array.from({ length: images.count }, (_, i) =>
    Array.from(images.latents.subarray(i * images.latentDim, (i + 1) * images.latentDim)),
  );
  const manifest = {
    app: job.manifest.app,
    version: job.manifest.version,
    runId,
    epoch: job.manifest.epoch,
    settings: job.manifest.settings,
    label: job.label,
    kind: job.kind,
    details: job.details,
    scale,
    size: images.size,
    channels: images.channels,
    latentDim: images.latentDim,
    latents,
    ...(job.sources ? { sources: job.sources } : {}),
    files: outputs.map((o) => o.name),
    createdAt: now.toISOString(),
  };
  const names = [...outputs.map((o) => o.name), 'manifest.json'];
  // The folder appears only once there is something to put in it, and goes again if writing fails,
  // so the exports list never shows an empty or half-written export.
  await mkdir(path.dirname(directory), { recursive: true });
  // Not recursive: an existing folder is someone else's export, never ours to remove below.
  await mkdir(directory);
  try {
    // Atomic, as the media protocol serves these files and a half PNG would decode as garbage.
    for (const { name, bytes } of outputs) await writeFileAtomic(path.join(directory, name), bytes);
    await writeFileAtomic(path.join(directory, 'manifest.json'), JSON.stringify(manifest, null, 2));
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return Promise.all(
    names.map(async (name) => ({
      name: `${folder}/${name}`,
      bytes: (await stat(path.join(directory, name))).size,
      mediaPath: mediaPaths.exported(runId, `${folder}/${name}`),
    })),
  );
}
