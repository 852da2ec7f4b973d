/**
 * The generative overlay's grid: the plot as it is in view now, cut into square-ish cells, with
 * the spot of the layout at each cell's centre for the engine to decode (`gallery:decode-grid`).
 * The grid remembers the layout-coordinate rectangle it covers, so the tiles stay on the spots they
 * were decoded at while the user pans and zooms, until a new grid for the new view arrives.
 */
import { GALLERY_LIMITS } from '../../../shared/gallery-types';
import type { DataScales } from './scatter-view';

/** Cells along the plot's shorter side on a roomy plot. */
export const GRID_CELLS = 12;
/** Smallest cell side, CSS pixels: smaller plots get fewer cells, so a tile stays recognisable. */
export const MIN_CELL = 32;

export interface TileGrid {
  columns: number;
  rows: number;
  /** Layout coordinates of the plot's edges: left / right, top / bottom. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Cell centres in layout coordinates, row by row from the top left: columns × rows × 2. */
  spots: Float64Array;
}

/**
 * The grid over a plot of `width` × `height` CSS pixels whose current scales are `scales`: as many
 * cells along the short side as fit (at most `cells`, at least 2, each at least `minCell` pixels),
 * the long side cut into cells as nearly square as whole numbers allow, and never more cells than
 * the engine decodes in one call. Null for a plot with no room.
 */
export function tileGrid(
  width: number,
  height: number,
  scales: DataScales,
  cells = GRID_CELLS,
  minCell = MIN_CELL,
  maxSpots: number = GALLERY_LIMITS.gridSpots.max,
): TileGrid | null {
  if (!(width > 0 && height > 0)) return null;
  const short = Math.min(width, height);
  const along = Math.max(2, Math.min(cells, Math.floor(short / minCell)));
  const side = short / along;
  let columns = Math.max(1, Math.round(width / side));
  let rows = Math.max(1, Math.round(height / side));
  // A very long plot: shrink both counts together, keeping the cells' shape.
  if (columns * rows > maxSpots) {
    const shrink = Math.sqrt(maxSpots / (columns * rows));
    columns = Math.max(1, Math.floor(columns * shrink));
    rows = Math.max(1, Math.floor(rows * shrink));
  }
  const left = scales.x.invert(0);
  const right = scales.x.invert(width);
  const top = scales.y.invert(0);
  const bottom = scales.y.invert(height);
  const spots = new Float64Array(columns * rows * 2);
  for (let row = 0; row < rows; row++) {
    const y = scales.y.invert(((row + 0.5) * height) / rows);
    for (let col = 0; col < columns; col++) {
      const at = 2 * (row * columns + col);
      spots[at] = scales.x.invert(((col + 0.5) * width) / columns);
      spots[at + 1] = y;
    }
  }
  return { columns, rows, left, right, top, bottom, spots };
}

/** Where a grid's rectangle is on screen under (possibly newer) scales, CSS pixels. */
export function gridRect(
  grid: Pick<TileGrid, 'left' | 'right' | 'top' | 'bottom'>,
  scales: DataScales,
): { x: number; y: number; width: number; height: number } {
  const x0 = scales.x(grid.left);
  const x1 = scales.x(grid.right);
  const y0 = scales.y(grid.top);
  const y1 = scales.y(grid.bottom);
  return { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
}
