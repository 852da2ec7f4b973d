/**
 * What colour each latent-map point gets: by class label or split (the categorical palette), by a
 * categorical metadata field, or by a number per point (viridis, colour-blind safe, quantised into
 * a few dozen steps so the legend and the colour bytes stay cheap): a numeric metadata field, the
 * model's per-image scores (−ELBO and its two terms, fetched from the engine on demand) or one
 * dimension of the epoch's encoder means.
 */
import { interpolateViridis, rgb } from 'd3';
import type { MetadataField } from '../../../shared/dataset-types';
import type { LatentPoints, PointScores } from '../../../shared/projection-types';

export const LABEL_FIELD = 'label';
/** Held-out vs training. Built-in keys shadow a metadata column of the same name. */
export const SPLIT_FIELD = 'split';
export const SPLIT_NAMES: readonly string[] = ['training', 'held-out'];
/** The per-image scores, by key: the term of `PointScores` each colours by. */
export const SCORE_FIELDS = {
  'score:neg-elbo': { term: 'negElbo', name: '−ELBO' },
  'score:reconstruction': { term: 'reconstruction', name: 'Reconstruction' },
  'score:kl': { term: 'kl', name: 'KL' },
} as const;
export type ScoreFieldKey = keyof typeof SCORE_FIELDS;
const LATENT_PREFIX = 'latent:z';
/**
 * Petroff's ten-colour sequence (matplotlib's `petroff10`), chosen for telling classes apart under
 * protanopia, deuteranopia and tritanopia too; Tableau 10, used before, turns its red and green
 * into one colour for deuteranopes. Its ninth colour (#717581) is swapped for a soft yellow: beside
 * the fourth (#94a4a2) it made digits 3 and 8 two greys (ΔE 17–19; now ≥ 32 for every vision, and
 * no pair of the ten falls below 18). tests/unit/point-colours.test.ts holds it to that on our
 * dark plot. Eleven classes and more repeat colours: the legend's hide toggles tell them apart.
 */
export const CATEGORICAL_PALETTE: readonly string[] = [
  '#3f90da',
  '#ffa90e',
  '#bd1f01',
  '#94a4a2',
  '#832db6',
  '#a96b59',
  '#e76300',
  '#b9ac70',
  '#ffe66d',
  '#92dadd',
];
/** Viridis' darkest purple vanishes on the dark plot, so the ramp starts a little way in. */
const VIRIDIS_START = 0.12;
const NUMERIC_BINS = 48;
const MISSING_COLOUR = '#5b626e';

export function categoricalColour(index: number): string {
  return CATEGORICAL_PALETTE[index % CATEGORICAL_PALETTE.length] ?? MISSING_COLOUR;
}

export function viridis(t: number): string {
  return interpolateViridis(VIRIDIS_START + (1 - VIRIDIS_START) * Math.min(1, Math.max(0, t)));
}

/** CSS gradient stops for a numeric legend, left (min) to right (max). */
export function viridisGradient(stops = 9): string {
  const colours = Array.from({ length: stops }, (_, i) => viridis(i / (stops - 1)));
  return `linear-gradient(to right, ${colours.join(', ')})`;
}

export interface CategoryItem {
  index: number;
  name: string;
  colour: string;
  count: number;
}

interface ColouringName {
  /** The colour field's key (what `colourBy` holds and bookmarks keep). */
  field: string;
  /** What the legend calls it. */
  name: string;
  /** The values' unit ("nats"), or null. */
  unit: string | null;
}

export type PointColouring =
  | (ColouringName & {
      kind: 'categorical';
      /** Per point: index into `colours`, also the category used for spotlighting. */
      index: Uint16Array;
      colours: string[];
      items: CategoryItem[];
    })
  | (ColouringName & {
      kind: 'numeric';
      index: Uint16Array;
      colours: string[];
      /** Per point, what the colour stands for (for the tooltip and the pinned card). */
      values: ArrayLike<number>;
      min: number;
      max: number;
    });

/** What colouring needs to know of the points (a run's `LatentPoints` has it). */
export type ColourSource = Pick<LatentPoints, 'count' | 'labels' | 'classNames' | 'metadata'> &
  Partial<Pick<LatentPoints, 'heldOut' | 'latentDim'>>;

/** What some fields colour by, fetched apart from the points; absent until fetched. */
export interface ColourData {
  scores?: Pick<PointScores, 'count' | 'negElbo' | 'reconstruction' | 'kl'> | null;
  /** The epoch's encoder means, row-major count × dim. */
  means?: { values: ArrayLike<number>; dim: number } | null;
}

/** One entry of the colour selector. */
export interface ColourField {
  key: string;
  name: string;
  /** The selector's group. */
  group: 'point' | 'score' | 'latent' | 'metadata';
  unit: string | null;
  /** What has to be fetched before the points can take its colours; null: nothing. */
  needs: 'scores' | 'means' | null;
}

export const COLOUR_GROUPS: Record<ColourField['group'], string> = {
  point: 'Points',
  score: '−ELBO and its terms (nats)',
  latent: 'Latent dimension',
  metadata: 'Dataset fields',
};

/** The key of latent dimension `dim` (0-based), shown as z1, z2, … */
export function latentFieldKey(dim: number): string {
  return `${LATENT_PREFIX}${dim + 1}`;
}

/** The 0-based latent dimension a key colours by, or null for another kind of key. */
export function latentFieldDim(key: string): number | null {
  if (!key.startsWith(LATENT_PREFIX)) return null;
  const n = Number(key.slice(LATENT_PREFIX.length));
  return Number.isInteger(n) && n >= 1 ? n - 1 : null;
}

function isScoreKey(key: string): key is ScoreFieldKey {
  return Object.hasOwn(SCORE_FIELDS, key);
}

/**
 * Every field the points can be coloured by, in the selector's order: label and split, the model's
 * scores, each latent dimension, then the dataset's metadata fields.
 */
export function colourFieldList(points: ColourSource | null): ColourField[] {
  const fields: ColourField[] = [
    { key: LABEL_FIELD, name: 'Label', group: 'point', unit: null, needs: null },
  ];
  if (!points) return fields;
  if (points.heldOut)
    fields.push({ key: SPLIT_FIELD, name: 'Split', group: 'point', unit: null, needs: null });
  for (const [key, score] of Object.entries(SCORE_FIELDS)) {
    fields.push({ key, name: score.name, group: 'score', unit: 'nats', needs: 'scores' });
  }
  for (let d = 0; d < (points.latentDim ?? 0); d++) {
    fields.push({ key: latentFieldKey(d), name: `z${d + 1}`, group: 'latent', unit: null, needs: 'means' });
  }
  const taken = new Set(fields.map((f) => f.key));
  const names = points.metadata.map((m) => m.field.name).filter((n) => !taken.has(n));
  for (const name of new Set(names)) {
    fields.push({ key: name, name, group: 'metadata', unit: null, needs: null });
  }
  return fields;
}

/** The keys of `colourFieldList`, `label` first. */
export function colourFields(points: ColourSource | null): string[] {
  return colourFieldList(points).map((field) => field.key);
}

/** Whether `data` holds what `key` colours by (fields that need nothing always do). */
export function hasColourData(points: ColourSource, key: string, data: ColourData): boolean {
  if (isScoreKey(key)) return (data.scores?.count ?? -1) === points.count;
  const dim = latentFieldDim(key);
  if (dim !== null) {
    const means = data.means;
    return !!means && dim < means.dim && means.values.length === points.count * means.dim;
  }
  return true;
}

/**
 * The colouring by `key`. A key the points have no such field for, or whose data has not arrived
 * (see `hasColourData`), colours by label.
 */
export function pointColouring(points: ColourSource, key: string, data: ColourData = {}): PointColouring {
  const { count } = points;
  if (key === SPLIT_FIELD && points.heldOut) {
    return categorical({ field: key, name: 'Split', unit: null }, points.heldOut, count, SPLIT_NAMES);
  }
  if (isScoreKey(key) && data.scores && hasColourData(points, key, data)) {
    const score = SCORE_FIELDS[key];
    return numeric({ field: key, name: score.name, unit: 'nats' }, data.scores[score.term], count);
  }
  const dim = latentFieldDim(key);
  if (dim !== null && data.means && hasColourData(points, key, data)) {
    const column = latentColumn(data.means.values, data.means.dim, dim, count);
    return numeric({ field: key, name: `z${dim + 1}`, unit: null }, column, count);
  }
  const meta = key === LABEL_FIELD ? undefined : points.metadata.find((m) => m.field.name === key);
  if (!meta || dim !== null || isScoreKey(key) || key === SPLIT_FIELD) {
    return categorical(
      { field: LABEL_FIELD, name: 'Label', unit: null },
      points.labels,
      count,
      points.classNames,
    );
  }
  const name = { field: key, name: key, unit: null };
  return isCategorical(meta.field)
    ? categorical(name, meta.values, count, meta.field.categories)
    : numeric(name, meta.values, count);
}

/** One dimension of row-major count × dim codes. */
function latentColumn(values: ArrayLike<number>, dim: number, column: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = values[i * dim + column] ?? NaN;
  return out;
}

/** The colouring as count × 4 RGBA bytes, what the WebGL scatter uploads. */
export function colourBytes(colouring: PointColouring): Uint8Array {
  const palette = colouring.colours.map((colour) => {
    const { r, g, b } = rgb(colour);
    return [r, g, b, 255];
  });
  const bytes = new Uint8Array(colouring.index.length * 4);
  for (let i = 0; i < colouring.index.length; i++) {
    bytes.set(palette[colouring.index[i]!] ?? [128, 128, 128, 255], 4 * i);
  }
  return bytes;
}

function isCategorical(field: MetadataField): field is MetadataField & { categories: string[] } {
  return Array.isArray(field.categories);
}

function categorical(
  name: ColouringName,
  values: ArrayLike<number>,
  count: number,
  names: readonly string[],
): PointColouring {
  const classes = names.length;
  const index = new Uint16Array(count);
  const counts = new Array<number>(classes + 1).fill(0);
  for (let i = 0; i < count; i++) {
    const v = values[i] ?? NaN;
    // Out-of-range or missing values share one grey slot after the named categories.
    const k = Number.isInteger(v) && v >= 0 && v < classes ? v : classes;
    index[i] = k;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  const colours = names.map((_, i) => categoricalColour(i));
  colours.push(MISSING_COLOUR);
  const items = names.map((name, i) => ({ index: i, name, colour: colours[i]!, count: counts[i] ?? 0 }));
  return { kind: 'categorical', ...name, index, colours, items };
}

function numeric(name: ColouringName, values: ArrayLike<number>, count: number): PointColouring {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i] ?? NaN;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const index = new Uint16Array(count);
  const span = max - min;
  for (let i = 0; i < count; i++) {
    const v = values[i] ?? NaN;
    if (!Number.isFinite(v)) index[i] = NUMERIC_BINS;
    else index[i] = span > 0 ? Math.round(((v - min) / span) * (NUMERIC_BINS - 1)) : 0;
  }
  const colours = Array.from({ length: NUMERIC_BINS }, (_, i) => viridis(i / (NUMERIC_BINS - 1)));
  colours.push(MISSING_COLOUR);
  return {
    kind: 'numeric',
    ...name,
    index,
    values,
    colours,
    min: min === Infinity ? NaN : min,
    max: max === -Infinity ? NaN : max,
  };
}
