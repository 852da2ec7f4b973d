/** The Shift+drag lasso: its vertices in CSS pixels, its SVG path, and the points it closes round. */
import type { ScreenScales } from '../../lib/scatter-geometry';
import { lassoSelect, type Accept, type PointTree } from '../../lib/scatter-tree';

export type LassoPolygon = [number, number][];

/** A vertex every couple of pixels is plenty for polygonContains and keeps the path short. */
export const LASSO_STEP_PX = 2;

/** The lasso with `point` added, or the same array when the pointer has not moved far enough. */
export function extendLasso(lasso: LassoPolygon, point: [number, number]): LassoPolygon {
  const last = lasso[lasso.length - 1];
  if (last && Math.hypot(point[0] - last[0], point[1] - last[1]) < LASSO_STEP_PX) return lasso;
  return [...lasso, point];
}

/** The SVG path of the lasso drawn so far ('' until it has two vertices). */
export function lassoPath(lasso: LassoPolygon | null): string {
  return lasso && lasso.length > 1 ? `M${lasso.join('L')}Z` : '';
}

/** The accepted points inside a closed lasso, ascending; null for one too short to count. */
export function lassoHits(
  tree: PointTree,
  scales: ScreenScales,
  polygon: LassoPolygon,
  accept: Accept,
): Uint32Array | null {
  if (polygon.length < 3) return null;
  return lassoSelect(tree, scales, polygon, accept);
}
