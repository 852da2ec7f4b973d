/**
 * Geometry for the WebGL scatter: framing data into [-1, 1] (and back), the d3 scales from framed
 * coordinates to CSS pixels, and the sizes of points and thumbnails. The quadtree queries behind
 * picking, lasso selection and the thumbnail layer are in scatter-tree.ts. Pure, so it runs (and
 * is tested) in Node.
 */
import { scaleLinear, type ScaleLinear, type ZoomTransform } from 'd3';
import { frameLayout } from './latent-layout';

/**
 * `fill` stretches each axis to the frame on its own (a thin early-training PCA still shows its
 * structure); `equal` keeps one data unit the same length on both axes.
 */
export type Aspect = 'fill' | 'equal';

/** The lowest and highest finite coordinate on each axis (Infinity and -Infinity: none). */
function finiteBounds(positions: Float32Array, count: number): [lo: number[], hi: number[]] {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    for (let axis = 0; axis < 2; axis++) {
      const v = positions[2 * i + axis] ?? NaN;
      if (!Number.isFinite(v)) continue;
      if (v < lo[axis]!) lo[axis] = v;
      if (v > hi[axis]!) hi[axis] = v;
    }
  }
  return [lo, hi];
}

/** Moves a count × 2 layout into [-1, 1]; non-finite coordinates land on the centre. */
export function framePositions(
  positions: Float32Array,
  count: number,
  aspect: Aspect = 'fill',
): Float32Array {
  if (aspect === 'fill') return frameLayout(positions, count);
  const [lo, hi] = finiteBounds(positions, count);
  const coords = new Float32Array(count * 2);
  if (lo[0] === Infinity || lo[1] === Infinity) return coords;
  const half = Math.max(hi[0]! - lo[0]!, hi[1]! - lo[1]!) / 2 || 1;
  for (let axis = 0; axis < 2; axis++) {
    const centre = (lo[axis]! + hi[axis]!) / 2;
    for (let i = 0; i < count; i++) {
      const v = positions[2 * i + axis] ?? NaN;
      coords[2 * i + axis] = Number.isFinite(v) ? (v - centre) / half : 0;
    }
  }
  return coords;
}

/** Kept clear round the data at zoom 1 (CSS pixels), so edge points are not cut in half. */
export const SCATTER_PADDING = 22;

export interface Viewport {
  /** CSS pixels. */
  width: number;
  height: number;
  /** Margin round the framed data at zoom 1, CSS pixels. */
  padding: number;
}

export interface ScreenScales {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

/** Framed coordinates → CSS pixels under the zoom transform (y up on screen). */
export function screenScales(
  view: Viewport,
  transform: ZoomTransform,
  aspect: Aspect = 'fill',
): ScreenScales {
  const { width, height, padding } = view;
  let spanX = Math.max(1, width - 2 * padding);
  let spanY = Math.max(1, height - 2 * padding);
  if (aspect === 'equal') spanX = spanY = Math.min(spanX, spanY);
  const cx = width / 2;
  const cy = height / 2;
  const x = scaleLinear()
    .domain([-1, 1])
    .range([cx - spanX / 2, cx + spanX / 2]);
  const y = scaleLinear()
    .domain([-1, 1])
    .range([cy + spanY / 2, cy - spanY / 2]);
  return { x: transform.rescaleX(x), y: transform.rescaleY(y) };
}

/** `[offset, slope]` of a linear scale, so per-point work (and the shader) is one multiply-add. */
export function linearCoefficients(scale: ScaleLinear<number, number>): [number, number] {
  const offset = scale(0);
  return [offset, scale(1) - offset];
}

/**
 * Point radius in CSS pixels: `base` (by default smaller as points crowd) grown by √k as the user
 * zooms in, so a deep zoom separates points without turning them into blobs.
 */
export function pointRadius(count: number, k: number, base?: number): number {
  const size =
    base ?? (count <= 1_000 ? 3 : count <= 3_000 ? 2.4 : count <= 10_000 ? 2 : count <= 40_000 ? 1.6 : 1.3);
  return size * Math.min(3, Math.max(0.75, Math.sqrt(k)));
}

/** Crowded maps need translucency for density to read; sparse ones stay nearly opaque. */
export function autoOpacity(count: number): number {
  return count <= 10_000 ? 0.85 : count <= 40_000 ? 0.75 : 0.6;
}

/** The deepest useful zoom: enough to separate single points of a dense 100k-point cluster. */
export function maxZoom(count: number): number {
  return Math.max(40, Math.sqrt(count));
}

/** Thumbnail side in CSS pixels: as large as the points in view leave room for, within bounds. */
export function thumbnailSize(inView: number, view: Viewport): number {
  const room = Math.sqrt((view.width * view.height) / Math.max(1, inView));
  return Math.round(Math.min(72, Math.max(20, room * 0.5)));
}

/**
 * Where a thumbnail of side `size` centred on the point at (`x`, `y`) is drawn: on the point, but
 * pushed inside the view by at least `inset` pixels, so a point near the edge shows its whole
 * image (and the ring round it) rather than half of one. The image still touches its point, or
 * comes within `inset` of it.
 */
export function thumbnailBox(
  x: number,
  y: number,
  size: number,
  view: Pick<Viewport, 'width' | 'height'>,
  inset = 0,
): { left: number; top: number } {
  return {
    left: clampInto(x - size / 2, inset, view.width - inset - size),
    top: clampInto(y - size / 2, inset, view.height - inset - size),
  };
}

/** `value` within [min, max]; `min` wins when the range is empty (a view smaller than the box). */
function clampInto(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/**
 * The way back from framed coordinates to the data's own, as `framePositions` framed them: for
 * reading the map at the pointer (decode at cursor). Null when there are no finite positions.
 */
export function unframe(
  positions: Float32Array,
  count: number,
  aspect: Aspect = 'fill',
): ((fx: number, fy: number) => [number, number]) | null {
  const [lo, hi] = finiteBounds(positions, count);
  if (lo[0] === Infinity || lo[1] === Infinity) return null;
  const cx = (lo[0]! + hi[0]!) / 2;
  const cy = (lo[1]! + hi[1]!) / 2;
  let hx = (hi[0]! - lo[0]!) / 2 || 1;
  let hy = (hi[1]! - lo[1]!) / 2 || 1;
  if (aspect === 'equal') hx = hy = Math.max(hi[0]! - lo[0]!, hi[1]! - lo[1]!) / 2 || 1;
  return (fx, fy) => [cx + fx * hx, cy + fy * hy];
}
