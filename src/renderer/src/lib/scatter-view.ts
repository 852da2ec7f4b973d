/**
 * What layers drawn over the scatter need to line up with it: the plot's size, the d3 zoom
 * transform, and linear scales from the layout's own coordinates (what `MapSpot` and placements
 * use) to CSS pixels, at zoom 1 and now. The scatter frames positions into [-1, 1] per axis
 * (scatter-geometry.ts); both steps are linear, so one scale per axis is the whole mapping.
 */
import { scaleLinear, zoomIdentity, type ScaleLinear, type ZoomTransform } from 'd3';
import { screenScales, unframe, type Aspect, type Viewport } from './scatter-geometry';

export interface DataScales {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

export interface ScatterView {
  /** CSS pixels. */
  width: number;
  height: number;
  transform: ZoomTransform;
  /** Layout coordinates → CSS pixels at zoom 1. */
  base: DataScales;
  /** Layout coordinates → CSS pixels under `transform`. */
  scales: DataScales;
}

/**
 * The layout → CSS pixel scales at zoom 1 for positions framed as the scatter frames them; null
 * without finite positions (nothing is drawn, so nothing lines up).
 */
export function baseDataScales(
  positions: Float32Array,
  count: number,
  aspect: Aspect,
  viewport: Viewport,
): DataScales | null {
  const back = unframe(positions, count, aspect);
  if (!back) return null;
  const screen = screenScales(viewport, zoomIdentity, aspect);
  // The framed square's corners, in layout coordinates and on screen.
  const [x0, y0] = back(-1, -1);
  const [x1, y1] = back(1, 1);
  return {
    x: scaleLinear()
      .domain([x0, x1])
      .range([screen.x(-1), screen.x(1)]),
    y: scaleLinear()
      .domain([y0, y1])
      .range([screen.y(-1), screen.y(1)]),
  };
}

/** The view under a zoom transform. */
export function scatterView(
  base: DataScales,
  transform: ZoomTransform,
  width: number,
  height: number,
): ScatterView {
  return {
    width,
    height,
    transform,
    base,
    scales: { x: transform.rescaleX(base.x), y: transform.rescaleY(base.y) },
  };
}
