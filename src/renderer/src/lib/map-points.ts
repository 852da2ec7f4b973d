/**
 * Which latent-map points are shown and chosen: the visibility mask from hidden legend categories,
 * the search over file names and labels, and the per-point masks the WebGL scatter takes. Pure, so
 * the rules are tested in Node (tests/unit/map-points.test.ts).
 */
import type { LatentPoints } from '../../../shared/projection-types';

export type SearchSource = Pick<LatentPoints, 'count' | 'names' | 'labels' | 'classNames'>;

/**
 * The points a query finds, ascending. A query that is exactly a class name (any case) means that
 * class alone: "7" on MNIST is the digit, not every file whose number has a 7 in it. Otherwise a
 * point matches when its file name or its label contains the query.
 */
export function searchPoints(points: SearchSource, query: string): Uint32Array {
  const needle = query.trim().toLowerCase();
  if (!needle) return new Uint32Array(0);
  const classes = points.classNames.map((name) => name.toLowerCase());
  const exact = classes.indexOf(needle);
  const found: number[] = [];
  if (exact >= 0) {
    for (let i = 0; i < points.count; i++) if (points.labels[i] === exact) found.push(i);
    return Uint32Array.from(found);
  }
  const labelMatches = classes.map((name) => name.includes(needle));
  for (let i = 0; i < points.count; i++) {
    const byLabel = labelMatches[points.labels[i] ?? -1] ?? false;
    if (byLabel || (points.names[i] ?? '').toLowerCase().includes(needle)) found.push(i);
  }
  return Uint32Array.from(found);
}

/** 1 for points whose category is not hidden; null when nothing is hidden (all visible). */
export function visibleMask(categories: Uint16Array, hidden: ReadonlySet<number>): Uint8Array | null {
  if (hidden.size === 0) return null;
  const mask = new Uint8Array(categories.length);
  for (let i = 0; i < categories.length; i++) mask[i] = hidden.has(categories[i]!) ? 0 : 1;
  return mask;
}

/** The indices that are visible (all of them when there is no mask). */
export function keepVisible(indices: Uint32Array, visible: Uint8Array | null): Uint32Array {
  return visible ? indices.filter((i) => visible[i] === 1) : indices;
}

/** One byte per point, 1 at `indices`; null for an empty set, so nothing is dimmed for it. */
export function selectionMask(indices: Uint32Array, count: number): Uint8Array | null {
  if (indices.length === 0) return null;
  const mask = new Uint8Array(count);
  for (const i of indices) if (i < count) mask[i] = 1;
  return mask;
}

/** How many distinct labels the points have, of those named. */
export function presentClasses(labels: Uint8Array, classes: number): number {
  const seen = new Uint8Array(Math.max(classes, 0));
  let present = 0;
  for (const label of labels) {
    if (label < classes && !seen[label]) {
      seen[label] = 1;
      present++;
    }
  }
  return present;
}
