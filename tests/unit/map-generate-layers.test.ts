import { zoomIdentity } from 'd3';
import { describe, expect, it } from 'vitest';
import {
  densityBandwidth,
  densityLines,
  massThresholds,
  MASS_FRACTIONS,
} from '../../src/renderer/src/lib/density-contours';
import { framePositions, SCATTER_PADDING, screenScales } from '../../src/renderer/src/lib/scatter-geometry';
import { baseDataScales, scatterView } from '../../src/renderer/src/lib/scatter-view';
import { gridRect, tileGrid, type TileGrid } from '../../src/renderer/src/lib/tile-grid';

const VIEWPORT = { width: 600, height: 400, padding: SCATTER_PADDING };
const POSITIONS = Float32Array.from([-10, 5, 30, 25, 10, 15]);

describe('scatter view scales', () => {
  it('map layout coordinates where the scatter draws them, zoomed or not', () => {
    const base = baseDataScales(POSITIONS, 3, 'fill', VIEWPORT)!;
    const framed = framePositions(POSITIONS, 3);
    for (const transform of [zoomIdentity, zoomIdentity.translate(40, -25).scale(3)]) {
      const screen = screenScales(VIEWPORT, transform);
      const { scales } = scatterView(base, transform, VIEWPORT.width, VIEWPORT.height);
      for (let i = 0; i < 3; i++) {
        expect(scales.x(POSITIONS[2 * i]!)).toBeCloseTo(screen.x(framed[2 * i]!), 6);
        expect(scales.y(POSITIONS[2 * i + 1]!)).toBeCloseTo(screen.y(framed[2 * i + 1]!), 6);
      }
    }
  });

  it('has no scales without finite positions', () => {
    expect(baseDataScales(Float32Array.of(NaN, NaN), 1, 'fill', VIEWPORT)).toBeNull();
  });
});

describe('tile grid', () => {
  const base = baseDataScales(POSITIONS, 3, 'fill', VIEWPORT)!;

  /** The rectangle the grid's tiles cover, in plot pixels at zoom 1. */
  function expectGridRect(grid: TileGrid, expected: { x: number; y: number; width: number; height: number }) {
    const rect = gridRect(grid, base);
    for (const side of ['x', 'y', 'width', 'height'] as const)
      expect(rect[side]).toBeCloseTo(expected[side], 6);
  }

  it('cuts the plot into near-square cells, 12 along the short side, centres in layout coordinates', () => {
    const grid = tileGrid(600, 400, base)!;
    expect(grid.rows).toBe(12);
    expect(grid.columns).toBe(18);
    expect(grid.spots).toHaveLength(12 * 18 * 2);
    // The first spot is the centre of the top-left cell, the last that of the bottom-right one.
    expect(base.x(grid.spots[0]!)).toBeCloseTo(600 / 36, 6);
    expect(base.y(grid.spots[1]!)).toBeCloseTo(400 / 24, 6);
    expect(base.x(grid.spots.at(-2)!)).toBeCloseTo(600 - 600 / 36, 6);
    expect(base.y(grid.spots.at(-1)!)).toBeCloseTo(400 - 400 / 24, 6);
    expectGridRect(grid, { x: 0, y: 0, width: 600, height: 400 });
  });

  it('covers only what is in view when zoomed, and follows a later zoom', () => {
    const transform = zoomIdentity.translate(-300, -200).scale(2);
    const { scales } = scatterView(base, transform, 600, 400);
    const grid = tileGrid(600, 400, scales)!;
    // Zoomed 2× about the centre: the view is the middle half of the plot at zoom 1.
    expect(base.x(grid.left)).toBeCloseTo(150, 6);
    expect(base.x(grid.right)).toBeCloseTo(450, 6);
    expect(base.y(grid.top)).toBeCloseTo(100, 6);
    expect(base.y(grid.bottom)).toBeCloseTo(300, 6);
    expect(base.x(grid.spots[0]!)).toBeCloseTo(150 + 300 / 36, 6);
    // Back at zoom 1 the tiles sit on the middle of the plot.
    expectGridRect(grid, { x: 150, y: 100, width: 300, height: 200 });
  });

  it('has fewer, still recognisable cells on a small plot, and never more than the engine decodes', () => {
    const small = tileGrid(200, 150, base)!;
    expect(small.rows).toBe(4);
    expect(small.columns).toBe(5);
    const long = tileGrid(20_000, 400, base)!;
    expect(long.columns * long.rows).toBeLessThanOrEqual(1024);
    expect(tileGrid(0, 400, base)).toBeNull();
  });
});

describe('density contours', () => {
  it('chooses levels by the share of the mass they enclose', () => {
    // Cells 8, 4, 2, 1, 1: total 16.
    const grid = Float32Array.from([1, 8, 0, 2, 4, 1]);
    expect(massThresholds(grid, [0.5])).toEqual([8]);
    expect(massThresholds(grid, [0.75])).toEqual([4]);
    expect(massThresholds(grid, [0.8, 0.95, 1])).toEqual([2, 1, 1]);
    expect(massThresholds(grid, [0.1])).toEqual([8]);
    expect(massThresholds(new Float32Array(4), [0.5])).toEqual([]);
  });

  it('gives ascending levels for the fractions, outermost (95%) lowest', () => {
    const grid = Float32Array.from({ length: 100 }, (_, i) => Math.exp(-((i - 50) ** 2) / 200));
    const levels = massThresholds(grid, MASS_FRACTIONS);
    expect(levels).toHaveLength(MASS_FRACTIONS.length);
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThan(levels[i - 1]!);
  });

  it('draws one closed line per level round a blob of points', () => {
    const pixels = new Float64Array(400);
    for (let i = 0; i < 200; i++) {
      const angle = i * 2.399;
      const r = 40 * Math.sqrt((i + 0.5) / 200);
      pixels[2 * i] = 150 + r * Math.cos(angle);
      pixels[2 * i + 1] = 100 + r * Math.sin(angle);
    }
    const lines = densityLines(pixels, 300, 200, 12);
    expect(lines.map((l) => l.fraction)).toEqual([...MASS_FRACTIONS]);
    for (const line of lines) expect(line.path).toMatch(/^M[\d.,-]+L.*Z$/);
    expect(densityLines(new Float64Array(0), 300, 200)).toEqual([]);
  });

  it('widens the kernel on bigger plots and for fewer points', () => {
    expect(densityBandwidth(500, 800, 800)).toBeGreaterThan(densityBandwidth(500, 400, 400));
    expect(densityBandwidth(100, 400, 400)).toBeGreaterThan(densityBandwidth(50_000, 400, 400));
  });
});
