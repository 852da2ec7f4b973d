/**
 * When the mouse wheel over the latent map zooms it, and when it is left to scroll the page. Pure.
 *
 * We follow the cooperative gestures of embedded web maps: Google Maps' `gestureHandling:
 * 'cooperative'` and Mapbox GL / MapLibre's `cooperativeGestures`. A map that sits in a page that
 * scrolls must not capture a wheel meant for the page: the plain wheel scrolls, Ctrl/⌘ + wheel
 * zooms, and a short hint says so. Browsers report a trackpad pinch as a wheel event with
 * `ctrlKey` set, so pinch zoom keeps working without a key held. As with a map the user has clicked
 * into, a focused map takes the plain wheel too: someone exploring it should not need a modifier.
 */

export interface WheelKeys {
  ctrlKey: boolean;
  metaKey: boolean;
}

/** Whether this wheel event zooms the map (true) or scrolls the page (false). */
export function wheelZooms(event: WheelKeys, mapFocused: boolean): boolean {
  return mapFocused || event.ctrlKey || event.metaKey;
}

/** The hint shown when a plain wheel over an unfocused map scrolled the page instead. */
export function wheelHint(userAgent: string): string {
  const key = /Mac|iPhone|iPad/.test(userAgent) ? '⌘' : 'Ctrl';
  return `Use ${key} + scroll to zoom (or click the map first)`;
}

export interface WheelDelta extends WheelKeys {
  deltaY: number;
  deltaMode: number;
}

/** At most a doubling (or halving) of the zoom per wheel event. */
const MAX_STEP = 1;

/**
 * How far one wheel event zooms, in powers of two: d3-zoom's default, capped. d3 multiplies by 10
 * when Ctrl is held, because a trackpad pinch arrives as many small Ctrl+wheel deltas; a mouse
 * wheel's notch (deltaY 100) with Ctrl held would then zoom 4× at once, and a fast flick leap to the
 * deepest zoom. Capped, a notch with Ctrl zooms 2×, like one zoom level of a web map, while pinch
 * deltas stay far below the cap.
 */
export function wheelZoomDelta(event: WheelDelta): number {
  const unit = event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002;
  const delta = -event.deltaY * unit * (event.ctrlKey ? 10 : 1);
  return Math.max(-MAX_STEP, Math.min(MAX_STEP, delta));
}
