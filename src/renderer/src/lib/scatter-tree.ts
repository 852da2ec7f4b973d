/**
 * The quadtree of the scatter's points (in framed coordinates) and the queries on it: the point
 * under the pointer, the points inside a lasso, and the points in view (for the thumbnail layer).
 * Distances and boxes are asked in CSS pixels and mapped through the screen scales. Pure, so it
 * runs (and is tested) in Node.
 */
import { polygonContains, quadtree, type Quadtree, type QuadtreeInternalNode, type QuadtreeLeaf } from 'd3';
import { linearCoefficients, type ScreenScales, type Viewport } from './scatter-geometry';

/** Index of each point, positioned by `coords` (framed, count × 2). */
export type PointTree = Quadtree<number>;

export function buildTree(coords: Float32Array): PointTree {
  const count = Math.floor(coords.length / 2);
  const indices = new Array<number>(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return quadtree<number>()
    .x((i) => coords[2 * i]!)
    .y((i) => coords[2 * i + 1]!)
    .addAll(indices);
}

/** Says whether a point takes part (hidden classes do not); everything does when absent. */
export type Accept = ((index: number) => boolean) | null;

type Box = [x0: number, y0: number, x1: number, y1: number];

/** The framed-coordinate box a CSS-pixel rectangle covers. */
function framedBox(scales: ScreenScales, left: number, top: number, right: number, bottom: number): Box {
  const xa = scales.x.invert(left);
  const xb = scales.x.invert(right);
  const ya = scales.y.invert(top);
  const yb = scales.y.invert(bottom);
  return [Math.min(xa, xb), Math.min(ya, yb), Math.max(xa, xb), Math.max(ya, yb)];
}

/**
 * Calls `each` for every point whose framed position lies in `box`, skipping subtrees outside it.
 * `each` returns true to stop the walk early.
 */
function visitBox(tree: PointTree, box: Box, each: (index: number) => boolean): void {
  const [bx0, by0, bx1, by1] = box;
  const xOf = tree.x();
  const yOf = tree.y();
  let stopped = false;
  tree.visit((node, x0, y0, x1, y1) => {
    if (stopped || x0 > bx1 || y0 > by1 || x1 < bx0 || y1 < by0) return true;
    if (isInternal(node)) return false;
    for (let leaf: QuadtreeLeaf<number> | undefined = node; leaf; leaf = leaf.next) {
      const x = xOf(leaf.data);
      const y = yOf(leaf.data);
      if (x < bx0 || x > bx1 || y < by0 || y > by1) continue;
      if (each(leaf.data)) {
        stopped = true;
        break;
      }
    }
    return true;
  });
}

/** d3's quadtree tells nodes apart by shape: internal nodes are 4-element arrays, leaves objects. */
function isInternal(
  node: QuadtreeInternalNode<number> | QuadtreeLeaf<number>,
): node is QuadtreeInternalNode<number> {
  return node.length !== undefined;
}

/**
 * The point nearest to (px, py) in CSS pixels, if one is within `radius` pixels. Distances are
 * measured on screen, not in framed units: with `fill` framing the two axes have different scales.
 */
export function pickNearest(
  tree: PointTree,
  scales: ScreenScales,
  px: number,
  py: number,
  radius: number,
  accept: Accept = null,
): number | null {
  const [x0, xk] = linearCoefficients(scales.x);
  const [y0, yk] = linearCoefficients(scales.y);
  const x = tree.x();
  const y = tree.y();
  let best: number | null = null;
  let bestDistance = radius * radius;
  visitBox(tree, framedBox(scales, px - radius, py - radius, px + radius, py + radius), (i) => {
    if (accept && !accept(i)) return false;
    const dx = x0 + xk * x(i) - px;
    const dy = y0 + yk * y(i) - py;
    const distance = dx * dx + dy * dy;
    // Ties go to the later index: it is drawn on top.
    if (distance < bestDistance || (distance === bestDistance && (best === null || i > best))) {
      best = i;
      bestDistance = distance;
    }
    return false;
  });
  return best;
}

/**
 * The points inside a freehand polygon drawn in CSS pixels, ascending. The quadtree narrows the
 * test to the polygon's bounding box; `polygonContains` decides the rest. The screen mapping is
 * affine, so the polygon is mapped into framed coordinates once instead of mapping every point.
 */
export function lassoSelect(
  tree: PointTree,
  scales: ScreenScales,
  polygon: readonly (readonly [number, number])[],
  accept: Accept = null,
): Uint32Array {
  if (polygon.length < 3) return new Uint32Array(0);
  const framed: [number, number][] = polygon.map(([px, py]) => [scales.x.invert(px), scales.y.invert(py)]);
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [fx, fy] of framed) {
    box[0] = Math.min(box[0], fx);
    box[1] = Math.min(box[1], fy);
    box[2] = Math.max(box[2], fx);
    box[3] = Math.max(box[3], fy);
  }
  const x = tree.x();
  const y = tree.y();
  const inside: number[] = [];
  visitBox(tree, box, (i) => {
    if ((!accept || accept(i)) && polygonContains(framed, [x(i), y(i)])) inside.push(i);
    return false;
  });
  return Uint32Array.from(inside).sort();
}

/**
 * The points within the viewport grown by `margin` pixels (so half-visible thumbnails still
 * show), or null as soon as there are more than `limit`: the caller only wants a small set.
 */
export function pointsInView(
  tree: PointTree,
  scales: ScreenScales,
  view: Viewport,
  limit: number,
  margin = 0,
  accept: Accept = null,
): number[] | null {
  const found: number[] = [];
  let overflow = false;
  const box = framedBox(scales, -margin, -margin, view.width + margin, view.height + margin);
  visitBox(tree, box, (i) => {
    if (accept && !accept(i)) return false;
    if (found.length >= limit) {
      overflow = true;
      return true;
    }
    found.push(i);
    return false;
  });
  return overflow ? null : found.sort((a, b) => a - b);
}
