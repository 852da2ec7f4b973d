/** What the plot's keys do to the zoom: arrows pan, + and − zoom, 0 fits everything in view again. */

export type KeyMove =
  { kind: 'translate'; x: number; y: number } | { kind: 'scale'; factor: number } | { kind: 'reset' };

/** CSS pixels an arrow key pans on screen, whatever the zoom. */
export const KEY_PAN_PX = 40;
export const KEY_ZOOM_IN = 1.25;
export const KEY_ZOOM_OUT = 0.8;

/**
 * The move for `key` at zoom scale `k`, or null for a key the plot leaves alone. Translations are
 * in d3-zoom's untransformed units (it multiplies them by `k`), hence the division.
 */
export function keyMove(key: string, k: number): KeyMove | null {
  const step = KEY_PAN_PX / k;
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'translate', x: step, y: 0 };
    case 'ArrowRight':
      return { kind: 'translate', x: -step, y: 0 };
    case 'ArrowUp':
      return { kind: 'translate', x: 0, y: step };
    case 'ArrowDown':
      return { kind: 'translate', x: 0, y: -step };
    case '+':
    case '=':
      return { kind: 'scale', factor: KEY_ZOOM_IN };
    case '-':
      return { kind: 'scale', factor: KEY_ZOOM_OUT };
    case '0':
      return { kind: 'reset' };
    default:
      return null;
  }
}
