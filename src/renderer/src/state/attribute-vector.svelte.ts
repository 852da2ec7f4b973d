/**
 * An attribute vector applied to the pinned point (lib/attribute-vector.ts): the two groups it
 * runs between, the walk t along it, the decoded strip t = −2 … +2 (one `gallery:decode` call) and
 * the image at the slider's own t (decoded once the slider rests), and the strip's GIF export.
 * The codes are the timeline epoch's encoder means; the run's current model decodes them.
 */
import type { Api } from '../../../shared/contract';
import type { DecodedImages } from '../../../shared/gallery-types';
import type { LatentPoints } from '../../../shared/projection-types';
import {
  STRIP_STEPS,
  T_RANGE,
  attributeVector,
  labelRows,
  stripOffsets,
  vectorLength,
  walkCodes,
} from '../lib/attribute-vector';
import type { LatentCodes } from '../lib/latent-neighbours';
import { GalleryExportState } from './gallery-export.svelte';

/**
 * One end of the vector: a class, or the points of `runId`'s map that were selected when "Use
 * selection" was pressed (a class means the same on every run of a dataset; point indices do not).
 */
export type GroupSource =
  { kind: 'label'; label: number } | { kind: 'selection'; runId: string; points: Uint32Array };

/** How long the slider rests before the image at its t is decoded. */
const SLIDER_REST_MS = 150;

/** What the walk needs: one epoch's codes of one run, its points, and the pinned point. */
export interface WalkInput {
  runId: string;
  epoch: number;
  points: LatentPoints;
  codes: LatentCodes;
  pinned: number;
}

/** A vector applied to a point: everything the strip and the export are made from. */
export interface Walk {
  runId: string;
  /** Names the walk: equal keys, equal codes. */
  key: string;
  code: Float32Array;
  vector: Float32Array;
  /** Points in group A and B. */
  sizes: [number, number];
  length: number;
}

export const OFFSETS = stripOffsets(STRIP_STEPS, T_RANGE);

export function groupRows(group: GroupSource, points: LatentPoints): Uint32Array {
  return group.kind === 'label' ? labelRows(points.labels, group.label) : group.points;
}

export function groupName(group: GroupSource | null, points: LatentPoints | null): string {
  if (!group) return 'none';
  if (group.kind === 'selection') return `selection (${group.points.length})`;
  return points?.classNames[group.label] ?? `class ${group.label}`;
}

function groupKey(group: GroupSource): string {
  // A captured selection is a new array each time "Use selection" is pressed; its length and ends tell
  // two apart well enough to know the strip is stale.
  return group.kind === 'label'
    ? `label:${group.label}`
    : `sel:${group.points.length}:${group.points[0] ?? ''}:${group.points.at(-1) ?? ''}`;
}

export class AttributeVectorState {
  a = $state.raw<GroupSource | null>(null);
  b = $state.raw<GroupSource | null>(null);
  /** Where the slider is, −T_RANGE … +T_RANGE. */
  t = $state(0);
  strip = $state.raw<{ key: string; images: DecodedImages } | null>(null);
  /** The image at the slider's t when that is between two of the strip's. */
  atT = $state.raw<{ key: string; t: number; images: DecodedImages } | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  readonly exports: GalleryExportState;

  readonly #api: Api;
  #stripAsked: string | null = null;
  #stripSeq = 0;
  #atSeq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: Api) {
    this.#api = api;
    this.exports = new GalleryExportState(api);
  }

  /** The walk for these codes and the chosen groups; null while a group is unset or empty. */
  walk(input: WalkInput | null): Walk | null {
    const { a, b } = this;
    if (!input || !a || !b) return null;
    const { runId, epoch, points, codes, pinned } = input;
    const elsewhere = (group: GroupSource) => group.kind === 'selection' && group.runId !== runId;
    if (elsewhere(a) || elsewhere(b) || pinned < 0 || pinned >= codes.count) return null;
    const rowsA = groupRows(a, points);
    const rowsB = groupRows(b, points);
    const vector = attributeVector(codes.values, codes.dim, rowsA, rowsB);
    if (!vector) return null;
    const code = Float32Array.from({ length: codes.dim }, (_, d) => codes.values[pinned * codes.dim + d]!);
    return {
      runId,
      key: `${runId}|${epoch}|${pinned}|${groupKey(a)}|${groupKey(b)}`,
      code,
      vector,
      sizes: [rowsA.length, rowsB.length],
      length: vectorLength(vector),
    };
  }

  /** Decodes the strip of `walk` unless it is shown or on its way. */
  decodeStrip(walk: Walk | null): void {
    if (!walk || this.#stripAsked === walk.key) return;
    this.#stripAsked = walk.key;
    void this.#sendStrip(walk);
  }

  /** Decodes the image at `t` once the slider rests there (the strip covers its own t values). */
  decodeAt(walk: Walk | null, t: number): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (!walk || OFFSETS.includes(t) || (this.atT?.key === walk.key && this.atT.t === t)) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#sendAt(walk, t);
    }, SLIDER_REST_MS);
  }

  /** Writes the strip as an animated GIF into the run's exports. */
  async exportGif(walk: Walk, details: Record<string, string | number | null>): Promise<void> {
    this.exports.format = 'gif';
    await this.exports.export({
      runId: walk.runId,
      kind: 'animation',
      latents: walkCodes(walk.code, walk.vector, OFFSETS),
      columns: OFFSETS.length,
      label: 'attribute-vector',
      details: { ...details, tFrom: -T_RANGE, tTo: T_RANGE, frames: OFFSETS.length },
    });
  }

  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #sendStrip(walk: Walk): Promise<void> {
    const seq = ++this.#stripSeq;
    this.busy = true;
    try {
      const latents = walkCodes(walk.code, walk.vector, OFFSETS);
      const result = await this.#api.invoke('gallery:decode', { runId: walk.runId, latents });
      if (seq !== this.#stripSeq) return;
      if (!result.ok) {
        this.error = `Could not decode the walk: ${result.message}`;
        this.#stripAsked = null;
        return;
      }
      this.error = null;
      this.strip = { key: walk.key, images: result.value };
    } finally {
      if (seq === this.#stripSeq) this.busy = false;
    }
  }

  async #sendAt(walk: Walk, t: number): Promise<void> {
    const seq = ++this.#atSeq;
    const latents = walkCodes(walk.code, walk.vector, [t]);
    const result = await this.#api.invoke('gallery:decode', { runId: walk.runId, latents });
    if (seq !== this.#atSeq) return;
    if (result.ok) this.atT = { key: walk.key, t, images: result.value };
    else this.error = `Could not decode t = ${t}: ${result.message}`;
  }
}
