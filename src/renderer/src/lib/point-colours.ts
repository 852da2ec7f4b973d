/**
 * What colour each latent-map point gets: by class label, by a categorical metadata field (the
 * categorical palette) or by a numeric one (viridis, colour-blind safe, quantised into a few dozen
 * steps so the legend and the colour bytes stay cheap).
 */
import { interpolateViridis, rgb } from 'd3';
import type { MetadataField } from '../../../shared/dataset-types';
import type { LatentPoints } from '../../../shared/projection-types';

export const LABEL_FIELD = 'label';
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

export type PointColouring =
  | {
      kind: 'categorical';
      field: string;
      /** Per point: index into `colours`, also the category used for spotlighting. */
      index: Uint16Array;
      colours: string[];
      items: CategoryItem[];
    }
  | {
      kind: 'numeric';
      field: string;
      index: Uint16Array;
      colours: string[];
      min: number;
      max: number;
    };

/** What colouring needs to know of the points (a run's `LatentPoints` has it). */
export type ColourSource = Pick<LatentPoints, 'count' | 'labels' | 'classNames' | 'metadata'>;

/** The fields the points can be coloured by, `label` first. */
export function colourFields(points: ColourSource | null): string[] {
  const names = (points?.metadata ?? []).map((m) => m.field.name).filter((n) => n !== LABEL_FIELD);
  return [LABEL_FIELD, ...new Set(names)];
}

export function pointColouring(points: ColourSource, field: string): PointColouring {
  const meta = field === LABEL_FIELD ? undefined : points.metadata.find((m) => m.field.name === field);
  if (!meta) return categorical(LABEL_FIELD, points.labels, points.count, points.classNames);
  return isCategorical(meta.field)
    ? categorical(field, meta.values, points.count, meta.field.categories)
    : numeric(field, meta.values, points.count);
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
  field: string,
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
  return { kind: 'categorical', field, index, colours, items };
}

function numeric(field: string, values: Float32Array, count: number): PointColouring {
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
    field,
    index,
    colours,
    min: min === Infinity ? NaN : min,
    max: max === -Infinity ? NaN : max,
  };
}
