/**
 * The GL layer of the scatter: getting a WebGL2 context (and hearing when it is lost or back), and
 * drawing one frame of points from CSS-pixel scales. The program and buffers are lib/scatter-gl.ts.
 */
import { autoOpacity, linearCoefficients, type ScreenScales } from '../../lib/scatter-geometry';
import { ScatterGl } from '../../lib/scatter-gl';

/** Opacity multiplier for unselected points while a selection exists. */
export const DIM = 0.15;

export type GlStart = { ok: true; gl: ScatterGl } | { ok: false; error: string };

/** A WebGL2 scatter on `canvas`, or why there is none. */
export function startScatterGl(canvas: HTMLCanvasElement): GlStart {
  const context = canvas.getContext('webgl2', { antialias: false, alpha: true, premultipliedAlpha: true });
  if (!context) return { ok: false, error: 'This browser or graphics driver does not offer WebGL2.' };
  try {
    return { ok: true, gl: new ScatterGl(context) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Calls `lost` and `restored` as the canvas's context goes and comes back; returns the unsubscribe. */
export function watchContext(canvas: HTMLCanvasElement, lost: () => void, restored: () => void): () => void {
  const onLost = (event: Event) => {
    // Without preventDefault the browser never restores the context.
    event.preventDefault();
    lost();
  };
  canvas.addEventListener('webglcontextlost', onLost);
  canvas.addEventListener('webglcontextrestored', restored);
  return () => {
    canvas.removeEventListener('webglcontextlost', onLost);
    canvas.removeEventListener('webglcontextrestored', restored);
  };
}

/** CSS-pixel scales of a `width` × `height` plot → the clip-space mapping: x right, y up. */
export function clipTransform(
  scales: ScreenScales,
  width: number,
  height: number,
): { scale: [number, number]; offset: [number, number] } {
  const [x0, xk] = linearCoefficients(scales.x);
  const [y0, yk] = linearCoefficients(scales.y);
  return {
    scale: [(2 * xk) / width, (-2 * yk) / height],
    offset: [(2 * x0) / width - 1, 1 - (2 * y0) / height],
  };
}

export interface PointsFrame {
  /** CSS size of the plot and device pixels per CSS pixel. */
  width: number;
  height: number;
  dpr: number;
  /** Eased glide progress, 0–1. */
  t: number;
  /** Point radius in CSS pixels. */
  radius: number;
}

/** Sizes the canvas's backing store to the plot and draws the points into it. */
export function drawPoints(
  gl: ScatterGl,
  element: HTMLCanvasElement,
  scales: ScreenScales,
  frame: PointsFrame,
): void {
  const { width, height, dpr } = frame;
  const deviceWidth = Math.max(1, Math.round(width * dpr));
  const deviceHeight = Math.max(1, Math.round(height * dpr));
  if (element.width !== deviceWidth) element.width = deviceWidth;
  if (element.height !== deviceHeight) element.height = deviceHeight;
  gl.draw({
    width: deviceWidth,
    height: deviceHeight,
    ...clipTransform(scales, width, height),
    t: frame.t,
    radius: frame.radius * dpr,
    opacity: autoOpacity(gl.count),
    dim: DIM,
    dpr,
  });
}
