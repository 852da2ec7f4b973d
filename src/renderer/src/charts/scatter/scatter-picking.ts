/** Which point the pointer means: picking radius, pointer → plot coordinates, the visibility masks. */
import { thumbnailSize, type Viewport } from '../../lib/scatter-geometry';
import { FLAG_SELECTED, FLAG_VISIBLE } from '../../lib/scatter-gl';

/**
 * Picking radius in CSS pixels: the thumbnail when those show, else a few pixels round the dot
 * (`pointRadius` is the dot's radius now).
 */
export function pickRadius(thumbnailCount: number, view: Viewport, pointRadius: number): number {
  return thumbnailCount > 0 ? thumbnailSize(thumbnailCount, view) / 2 + 2 : Math.max(6, pointRadius + 3);
}

/** A pointer's client coordinates → CSS pixels from the plot's top-left corner. */
export function localPoint(
  rect: { left: number; top: number },
  event: { clientX: number; clientY: number },
): [number, number] {
  return [event.clientX - rect.left, event.clientY - rect.top];
}

/** Whether point `i` is drawn (and so can be picked or lassoed) under the packed `flags`. */
export function isShown(flags: Uint8Array, i: number): boolean {
  return ((flags[i] ?? 0) & FLAG_VISIBLE) !== 0;
}

/** How many points the packed flags show, and how many of those are selected. */
export function countFlags(flags: Uint8Array): { visible: number; selected: number } {
  let visible = 0;
  let selected = 0;
  for (const f of flags) {
    if (f & FLAG_VISIBLE) visible++;
    if (f & FLAG_VISIBLE && f & FLAG_SELECTED) selected++;
  }
  return { visible, selected };
}
