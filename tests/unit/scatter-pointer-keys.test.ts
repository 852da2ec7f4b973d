import { zoomIdentity } from 'd3';
import { describe, expect, it } from 'vitest';
import { clipTransform } from '../../src/renderer/src/charts/scatter/scatter-gl-layer';
import { keyMove, KEY_PAN_PX } from '../../src/renderer/src/charts/scatter/scatter-keyboard';
import { extendLasso, lassoHits, lassoPath } from '../../src/renderer/src/charts/scatter/scatter-lasso';
import {
  countFlags,
  isShown,
  localPoint,
  pickRadius,
} from '../../src/renderer/src/charts/scatter/scatter-picking';
import { screenScales, thumbnailSize, type Viewport } from '../../src/renderer/src/lib/scatter-geometry';
import { buildTree } from '../../src/renderer/src/lib/scatter-tree';
import { FLAG_SELECTED, FLAG_VISIBLE } from '../../src/renderer/src/lib/scatter-gl';

const VIEW: Viewport = { width: 400, height: 300, padding: 20 };
const scales = screenScales(VIEW, zoomIdentity);

/** Points given directly in screen pixels, via the inverse of the identity-zoom scales. */
function screenPoints(points: [number, number][]): Float32Array {
  return Float32Array.from(points.flatMap(([px, py]) => [scales.x.invert(px), scales.y.invert(py)]));
}

describe('picking', () => {
  it('picks within a few pixels of the dot, or within the thumbnail while those show', () => {
    expect(pickRadius(0, VIEW, 1)).toBe(6);
    expect(pickRadius(0, VIEW, 5)).toBe(8);
    expect(pickRadius(12, VIEW, 5)).toBe(thumbnailSize(12, VIEW) / 2 + 2);
  });

  it('measures the pointer from the plot’s top-left corner', () => {
    expect(localPoint({ left: 10, top: 20 }, { clientX: 15, clientY: 50 })).toEqual([5, 30]);
  });

  it('reads visibility and the selection from the packed flags', () => {
    const flags = Uint8Array.from([FLAG_VISIBLE, FLAG_VISIBLE | FLAG_SELECTED, FLAG_SELECTED, 0]);
    expect([0, 1, 2, 3, 4].map((i) => isShown(flags, i))).toEqual([true, true, false, false, false]);
    // A hidden point's selection does not count: it is not drawn.
    expect(countFlags(flags)).toEqual({ visible: 2, selected: 1 });
  });
});

describe('lasso', () => {
  it('adds a vertex only once the pointer has moved a couple of pixels', () => {
    const start: [number, number][] = [[0, 0]];
    expect(extendLasso(start, [1, 1])).toBe(start);
    expect(extendLasso(start, [2, 0])).toEqual([
      [0, 0],
      [2, 0],
    ]);
  });

  it('draws a closed path once it has two vertices', () => {
    expect(lassoPath(null)).toBe('');
    expect(lassoPath([[1, 2]])).toBe('');
    expect(
      lassoPath([
        [1, 2],
        [3, 4],
        [5, 2],
      ]),
    ).toBe('M1,2L3,4L5,2Z');
  });

  it('hits the accepted points inside the polygon, and nothing for one too short to count', () => {
    const tree = buildTree(
      screenPoints([
        [100, 100],
        [150, 120],
        [300, 250],
        [110, 110],
      ]),
    );
    const square: [number, number][] = [
      [90, 90],
      [160, 90],
      [160, 160],
      [90, 160],
    ];
    expect([...lassoHits(tree, scales, square, null)!]).toEqual([0, 1, 3]);
    expect([...lassoHits(tree, scales, square, (i) => i !== 1)!]).toEqual([0, 3]);
    expect(lassoHits(tree, scales, square.slice(0, 2), null)).toBeNull();
  });
});

describe('keyboard zoom', () => {
  it('pans a fixed number of screen pixels whatever the zoom', () => {
    expect(keyMove('ArrowLeft', 1)).toEqual({ kind: 'translate', x: KEY_PAN_PX, y: 0 });
    expect(keyMove('ArrowRight', 2)).toEqual({ kind: 'translate', x: -KEY_PAN_PX / 2, y: 0 });
    expect(keyMove('ArrowUp', 4)).toEqual({ kind: 'translate', x: 0, y: KEY_PAN_PX / 4 });
    expect(keyMove('ArrowDown', 4)).toEqual({ kind: 'translate', x: 0, y: -KEY_PAN_PX / 4 });
  });

  it('zooms in with + or =, out with −, and resets with 0; other keys are left alone', () => {
    expect(keyMove('+', 1)).toEqual({ kind: 'scale', factor: 1.25 });
    expect(keyMove('=', 3)).toEqual({ kind: 'scale', factor: 1.25 });
    expect(keyMove('-', 3)).toEqual({ kind: 'scale', factor: 0.8 });
    expect(keyMove('0', 3)).toEqual({ kind: 'reset' });
    expect(keyMove('a', 1)).toBeNull();
    expect(keyMove('Escape', 1)).toBeNull();
  });
});

describe('GL clip transform', () => {
  it('maps the plot’s corners onto clip space, y up', () => {
    const { scale, offset } = clipTransform(scales, VIEW.width, VIEW.height);
    const clip = (fx: number, fy: number) => [offset[0] + scale[0] * fx, offset[1] + scale[1] * fy];
    const at = (px: number, py: number) => clip(scales.x.invert(px), scales.y.invert(py));
    const [left, top] = at(0, 0);
    const [right, bottom] = at(VIEW.width, VIEW.height);
    expect(left).toBeCloseTo(-1);
    expect(top).toBeCloseTo(1);
    expect(right).toBeCloseTo(1);
    expect(bottom).toBeCloseTo(-1);
  });
});
