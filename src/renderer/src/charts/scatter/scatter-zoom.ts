/** The scatter's d3 zoom: which gestures pan and zoom, and moving the view from code or keys. */
import { select, zoom as d3zoom, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3';
import { wheelZoomDelta, wheelZooms } from '../../lib/wheel-zoom';
import type { KeyMove } from './scatter-keyboard';

export type ScatterZoom = ZoomBehavior<HTMLCanvasElement, unknown>;

/** Smallest zoom scale; the largest depends on the point count (`maxZoom`). */
export const MIN_ZOOM = 0.5;
/** How long `zoomTo(…, animated)` glides. */
export const ZOOM_GLIDE_MS = 350;

/** The zoom behaviour; `isFocused` says whether the plot has focus (a plain wheel then zooms). */
export function scatterZoom(
  isFocused: () => boolean,
  onzoom: (transform: ZoomTransform) => void,
): ScatterZoom {
  return (
    d3zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([MIN_ZOOM, 40])
      // A click that wobbles a pixel or two is still a click (it pins a point), not a pan.
      .clickDistance(3)
      .wheelDelta((event: WheelEvent) => wheelZoomDelta(event))
      // The wheel zooms cooperatively (lib/wheel-zoom.ts); a filtered-out wheel is not prevented, so
      // the page scrolls. Otherwise d3's default filter, plus: Shift+drag belongs to the lasso.
      .filter((event: MouseEvent) =>
        event.type === 'wheel'
          ? wheelZooms(event, isFocused())
          : !event.ctrlKey && !event.button && !event.shiftKey,
      )
      .on('zoom', (event: D3ZoomEvent<HTMLCanvasElement, unknown>) => onzoom(event.transform))
  );
}

export function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Moves `canvas`'s view to `next`, gliding there when asked and motion is welcome. */
export function zoomCanvas(
  zoom: ScatterZoom,
  canvas: HTMLCanvasElement,
  next: ZoomTransform,
  animated: boolean,
): void {
  const selection = select(canvas);
  if (animated && !prefersReducedMotion()) {
    selection.transition().duration(ZOOM_GLIDE_MS).call(zoom.transform, next);
  } else {
    selection.call(zoom.transform, next);
  }
}

/** Applies a key's pan or zoom (a reset is the caller's: it glides). */
export function applyKeyMove(zoom: ScatterZoom, canvas: HTMLCanvasElement, move: KeyMove): void {
  const selection = select(canvas);
  if (move.kind === 'translate') zoom.translateBy(selection, move.x, move.y);
  else if (move.kind === 'scale') zoom.scaleBy(selection, move.factor);
}
