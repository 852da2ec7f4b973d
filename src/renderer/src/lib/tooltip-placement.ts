/** Where a floating card goes beside the pointer without leaving its bounds. Pure. */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Below and to the right of the pointer by `gap`; flipped to the other side on an axis where it
 * would overflow `bounds`, and pushed back inside when it fits neither way.
 */
export function placeBeside(
  pointer: { x: number; y: number },
  size: { width: number; height: number },
  bounds: Box,
  gap = 14,
): { left: number; top: number } {
  return {
    left: along(pointer.x, size.width, bounds.left, bounds.left + bounds.width, gap),
    top: along(pointer.y, size.height, bounds.top, bounds.top + bounds.height, gap),
  };
}

function along(at: number, size: number, min: number, max: number, gap: number): number {
  const after = at + gap;
  if (after + size <= max) return after;
  const before = at - gap - size;
  if (before >= min) return before;
  return Math.max(min, Math.min(max - size, after));
}

/**
 * The part of `box` inside `within` (empty boxes get zero size): a plot partly scrolled out of the
 * window only offers its visible part to a card placed over it, so the card is never cut off.
 */
export function visiblePart(box: Box, within: Box): Box {
  const left = Math.max(box.left, within.left);
  const top = Math.max(box.top, within.top);
  const right = Math.min(box.left + box.width, within.left + within.width);
  const bottom = Math.min(box.top + box.height, within.top + within.height);
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}
