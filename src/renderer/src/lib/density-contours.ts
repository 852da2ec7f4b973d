/**
 * Density contours of the map's points: d3's kernel density estimate on a pixel grid (Gaussian
 * blur of the binned points), cut at levels chosen by the share of the points they enclose, as
 * highest-density regions are (Hyndman 1996, "Computing and graphing highest density regions"):
 * the innermost line bounds the densest 20% of the mass, the outermost 95%. Levels by mass, not by
 * density value, read the same on a map of 500 points and one of 100,000, and a sparse cluster
 * still gets its outer lines. Computed in CSS pixels at zoom 1; a zoom is a similarity of those
 * pixels, so the paths follow it through an SVG transform without being computed again.
 */
import { contourDensity, geoPath, type ContourMultiPolygon } from 'd3';

/** Shares of the points' mass the lines enclose, outermost first. */
export const MASS_FRACTIONS = [0.95, 0.8, 0.6, 0.4, 0.2] as const;
/** Grid cell side of the estimate, CSS pixels (a power of two, as d3 rounds it to one). */
const CELL = 4;

/**
 * Density levels of a grid such that the cells at or above each level hold `fractions` of the
 * grid's total: for each fraction p, the largest value t with Σ{v ≥ t} ≥ p · Σv. One level per
 * fraction, in the same order; none for an empty grid.
 */
export function massThresholds(values: ArrayLike<number>, fractions: readonly number[]): number[] {
  const sorted = Float64Array.from(values)
    .filter((v) => v > 0)
    .sort()
    .reverse();
  let total = 0;
  for (const v of sorted) total += v;
  if (!(total > 0)) return [];
  const cumulative = new Float64Array(sorted.length);
  let sum = 0;
  sorted.forEach((v, i) => (cumulative[i] = sum += v));
  return fractions.map((p) => {
    const want = Math.min(1, Math.max(0, p)) * total;
    // The first cell (densest first) at which the running sum reaches the share.
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! >= want) hi = mid;
      else lo = mid + 1;
    }
    return sorted[lo]!;
  });
}

/** Kernel width, CSS pixels: wider on a bigger plot and for fewer points (roughly Scott's n^(−1/6)). */
export function densityBandwidth(count: number, width: number, height: number): number {
  const side = Math.min(width, height);
  const n = Math.max(1, count);
  return Math.max(4, Math.min(40, (side / 16) * Math.pow(n / 500, -1 / 6)));
}

export interface DensityLine {
  /** The share of the points it encloses. */
  fraction: number;
  /** SVG path data, CSS pixels at zoom 1. */
  path: string;
}

/**
 * The contour lines of points given in CSS pixels at zoom 1 (x, y pairs) over a plot of
 * `width` × `height`, outermost first. Levels that coincide (too few points to tell them apart)
 * are drawn once.
 */
export function densityLines(
  pixels: Float64Array,
  width: number,
  height: number,
  bandwidth = densityBandwidth(pixels.length / 2, width, height),
): DensityLine[] {
  const count = Math.floor(pixels.length / 2);
  if (count === 0 || !(width > 0 && height > 0)) return [];
  const indices = Array.from({ length: count }, (_, i) => i);
  let levels: number[] = [];
  const estimate = contourDensity<number>()
    .x((i) => pixels[2 * i]!)
    .y((i) => pixels[2 * i + 1]!)
    .size([Math.ceil(width), Math.ceil(height)])
    .cellSize(CELL)
    .bandwidth(bandwidth)
    // d3 hands the thresholds generator the blurred grid (points per cell) and wants densities
    // per square pixel back: a cell is CELL² pixels.
    .thresholds((grid: ArrayLike<number>) => {
      levels = massThresholds(grid, MASS_FRACTIONS).map((v) => v / (CELL * CELL));
      return levels;
    });
  const contours: ContourMultiPolygon[] = estimate(indices);
  const path = geoPath();
  const lines: DensityLine[] = [];
  contours.forEach((contour, i) => {
    if (i > 0 && levels[i] === levels[i - 1]) return;
    const d = path(contour);
    if (d) lines.push({ fraction: MASS_FRACTIONS[i]!, path: d });
  });
  return lines;
}
