/** What the map's tooltip and pinned card say about one point. Pure. */
import type { LatentPoints } from '../../../shared/projection-types';
import { LABEL_FIELD, SPLIT_FIELD, categoricalColour, type PointColouring } from './point-colours';

export interface PointFacts {
  index: number;
  label: string;
  /** The point's colour on the map. */
  colour: string;
  /** Its file inside the dataset folder, or "<dataset> #<index>" for a built-in dataset. */
  name: string;
  split: 'held-out' | 'training';
  /** The colour field's value when the map is coloured by something other than the label. */
  field: { name: string; value: string } | null;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

export function pointFacts(
  points: LatentPoints,
  index: number,
  colouring: PointColouring | null,
): PointFacts {
  const label = points.labels[index] ?? 0;
  const category = colouring?.index[index];
  const colour =
    colouring && category !== undefined ? (colouring.colours[category] ?? '#888') : categoricalColour(label);
  return {
    index,
    label: points.classNames[label] ?? `class ${label}`,
    colour,
    name: points.names[index] ?? `point ${index}`,
    split: points.heldOut[index] ? 'held-out' : 'training',
    // The label and split are said anyway.
    field:
      colouring && colouring.field !== LABEL_FIELD && colouring.field !== SPLIT_FIELD
        ? fieldValue(colouring, index)
        : null,
  };
}

/** The colour field's value at a point, in words: its category, or its number with the unit. */
function fieldValue(colouring: PointColouring, index: number): { name: string; value: string } | null {
  if (index < 0 || index >= colouring.index.length) return null;
  if (colouring.kind === 'categorical') {
    const item = colouring.items[colouring.index[index]!];
    return { name: colouring.name, value: item?.name ?? '—' };
  }
  const raw = colouring.values[index];
  const value =
    raw !== undefined && Number.isFinite(raw)
      ? `${numberFormat.format(raw)}${colouring.unit ? ` ${colouring.unit}` : ''}`
      : '—';
  return { name: colouring.name, value };
}

/** The last part of a path, where the file's own name is. */
export function baseName(path: string): string {
  return path.split('/').at(-1) ?? path;
}
