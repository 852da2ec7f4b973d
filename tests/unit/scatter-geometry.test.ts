import { zoomIdentity } from 'd3';
import { describe, expect, it } from 'vitest';
import {
  framePositions,
  screenScales,
  thumbnailBox,
  type Viewport,
} from '../../src/renderer/src/lib/scatter-geometry';
import { buildTree, lassoSelect, pickNearest, pointsInView } from '../../src/renderer/src/lib/scatter-tree';
import { mulberry32 } from '../../src/main/engine/random';

const VIEW: Viewport = { width: 400, height: 300, padding: 20 };

/** Points given directly in screen pixels, via the inverse of the identity-zoom scales. */
function screenPoints(points: [number, number][], view = VIEW): Float32Array {
  const { x, y } = screenScales(view, zoomIdentity);
  return Float32Array.from(points.flatMap(([px, py]) => [x.invert(px), y.invert(py)]));
}

const scales = screenScales(VIEW, zoomIdentity);

describe('framing', () => {
  it('maps each axis onto [-1, 1] and its extremes onto the padded viewport', () => {
    const positions = Float32Array.from([-50, 3, 150, 4, 50, 3.5]);
    const framed = framePositions(positions, 3);
    expect([...framed]).toEqual([-1, -1, 1, 1, 0, 0]);
    const { x, y } = screenScales(VIEW, zoomIdentity);
    expect(x(framed[0]!)).toBeCloseTo(VIEW.padding);
    expect(x(framed[2]!)).toBeCloseTo(VIEW.width - VIEW.padding);
    // Screen y grows downwards: the largest value sits at the top padding.
    expect(y(framed[3]!)).toBeCloseTo(VIEW.padding);
    expect(y(framed[1]!)).toBeCloseTo(VIEW.height - VIEW.padding);
  });

  it('keeps the aspect ratio with equal framing, centred in the view', () => {
    const framed = framePositions(Float32Array.from([0, 0, 10, 2]), 2, 'equal');
    expect([...framed]).toEqual([-1, Math.fround(-0.2), 1, Math.fround(0.2)]);
    const { x, y } = screenScales(VIEW, zoomIdentity, 'equal');
    const span = VIEW.height - 2 * VIEW.padding;
    expect(x(1) - x(-1)).toBeCloseTo(span);
    expect(y(-1) - y(1)).toBeCloseTo(span);
    expect((x(1) + x(-1)) / 2).toBeCloseTo(VIEW.width / 2);
  });

  it('puts non-finite coordinates on the centre and survives a single point', () => {
    expect([...framePositions(Float32Array.from([NaN, 1, 5, Infinity]), 2)]).toEqual([0, 0, 0, 0]);
    expect([...framePositions(Float32Array.from([7, -3]), 1)]).toEqual([0, 0]);
  });

  it('follows the zoom transform', () => {
    const zoomed = screenScales(VIEW, zoomIdentity.translate(10, -5).scale(4));
    expect(zoomed.x(0)).toBeCloseTo(10 + 4 * (VIEW.width / 2));
    expect(zoomed.y(0)).toBeCloseTo(-5 + 4 * (VIEW.height / 2));
  });
});

describe('picking', () => {
  const coords = screenPoints([
    [100, 100],
    [108, 100],
    [300, 200],
    [300, 200],
  ]);
  const tree = buildTree(coords);

  it('returns the nearest point within the radius', () => {
    expect(pickNearest(tree, scales, 101, 101, 6)).toBe(0);
    expect(pickNearest(tree, scales, 106, 100, 6)).toBe(1);
  });

  it('returns null when nothing is within the radius', () => {
    expect(pickNearest(tree, scales, 200, 150, 6)).toBeNull();
    expect(pickNearest(tree, scales, 100, 107, 6)).toBeNull();
  });

  it('skips points that are not accepted (hidden)', () => {
    expect(pickNearest(tree, scales, 101, 100, 10, (i) => i !== 0)).toBe(1);
  });

  it('prefers the later of coincident points: it is drawn on top', () => {
    expect(pickNearest(tree, scales, 300, 200, 4)).toBe(3);
  });

  it('measures in screen pixels when the zoom stretches the view', () => {
    const zoomed = screenScales(VIEW, zoomIdentity.scale(10));
    // 8 px apart at zoom 1 are 80 px apart at zoom 10.
    const [x0, y0] = [zoomed.x(coords[0]!), zoomed.y(coords[1]!)];
    expect(pickNearest(tree, zoomed, x0 + 30, y0, 20)).toBeNull();
    expect(pickNearest(tree, zoomed, x0 + 70, y0, 20)).toBe(1);
  });

  it('agrees with a brute-force search on random points', () => {
    const random = mulberry32(7);
    const many = Float32Array.from({ length: 4000 }, () => random() * 2 - 1);
    const manyTree = buildTree(many);
    for (let trial = 0; trial < 200; trial++) {
      const px = random() * VIEW.width;
      const py = random() * VIEW.height;
      let best: number | null = null;
      let bestDistance = 8 * 8;
      for (let i = 0; i < many.length / 2; i++) {
        const d = (scales.x(many[2 * i]!) - px) ** 2 + (scales.y(many[2 * i + 1]!) - py) ** 2;
        if (d < bestDistance || (d === bestDistance && best !== null && i > best))
          [best, bestDistance] = [i, d];
      }
      expect(pickNearest(manyTree, scales, px, py, 8)).toBe(best);
    }
  });
});

describe('lasso', () => {
  // A U shape: two arms from y = 50 to 250 joined by a base from y = 200 to 250.
  const U: [number, number][] = [
    [50, 50],
    [100, 50],
    [100, 200],
    [300, 200],
    [300, 50],
    [350, 50],
    [350, 250],
    [50, 250],
  ];
  const points: [number, number][] = [
    [75, 100], // 0: left arm, inside
    [200, 100], // 1: in the notch of the U, outside
    [325, 100], // 2: right arm, inside
    [200, 225], // 3: the base, inside
    [20, 20], // 4: far outside
    [200, 280], // 5: below the base, outside
    [75, 240], // 6: corner of the base, inside
  ];
  const tree = buildTree(screenPoints(points));

  it('selects the points inside a concave polygon and none in its notch', () => {
    expect([...lassoSelect(tree, scales, U)]).toEqual([0, 2, 3, 6]);
  });

  it('returns indices ascending whatever the winding', () => {
    expect([...lassoSelect(tree, scales, [...U].reverse())]).toEqual([0, 2, 3, 6]);
  });

  it('leaves hidden points out', () => {
    expect([...lassoSelect(tree, scales, U, (i) => i !== 2)]).toEqual([0, 3, 6]);
  });

  it('selects nothing with fewer than three vertices', () => {
    expect(lassoSelect(tree, scales, U.slice(0, 2))).toHaveLength(0);
  });

  it('works under a zoom: the polygon is in screen pixels', () => {
    const zoomed = screenScales(VIEW, zoomIdentity.translate(-200, -150).scale(2));
    // The point at (75, 100) at zoom 1 is at (-50, 50) now; (200, 225) is at (200, 300).
    const box: [number, number][] = [
      [150, 250],
      [250, 250],
      [250, 350],
      [150, 350],
    ];
    expect([...lassoSelect(tree, zoomed, box)]).toEqual([3]);
  });

  it('agrees with testing every point on a random star polygon', () => {
    const random = mulberry32(11);
    const many = Float32Array.from({ length: 6000 }, () => random() * 2.2 - 1.1);
    const manyTree = buildTree(many);
    const star: [number, number][] = Array.from({ length: 14 }, (_, k) => {
      const r = k % 2 ? 40 : 120;
      const a = (k / 14) * 2 * Math.PI;
      return [200 + r * Math.cos(a), 150 + r * Math.sin(a)];
    });
    const expected: number[] = [];
    for (let i = 0; i < many.length / 2; i++) {
      if (insideByRayCast(star, scales.x(many[2 * i]!), scales.y(many[2 * i + 1]!))) expected.push(i);
    }
    expect(expected.length).toBeGreaterThan(100);
    expect([...lassoSelect(manyTree, scales, star)]).toEqual(expected);
  });
});

describe('points in view', () => {
  const random = mulberry32(3);
  const many = Float32Array.from({ length: 20000 }, () => random() * 2 - 1);
  const tree = buildTree(many);

  it('gives up as soon as the limit is passed', () => {
    expect(pointsInView(tree, scales, VIEW, 400)).toBeNull();
  });

  it('lists the points in view once zoomed in, ascending', () => {
    const zoomed = screenScales(VIEW, zoomIdentity.translate(-1800, -1350).scale(10));
    const found = pointsInView(tree, zoomed, VIEW, 400);
    expect(found).not.toBeNull();
    const expected: number[] = [];
    for (let i = 0; i < many.length / 2; i++) {
      const px = zoomed.x(many[2 * i]!);
      const py = zoomed.y(many[2 * i + 1]!);
      if (px >= 0 && px <= VIEW.width && py >= 0 && py <= VIEW.height) expected.push(i);
    }
    expect(found).toEqual(expected);
  });
});

/** Independent even-odd test for the cross-check above. */
function insideByRayCast(polygon: [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

describe('thumbnails at the edges of the plot', () => {
  it('sit centred on their point inside the view', () => {
    expect(thumbnailBox(200, 150, 40, VIEW, 5)).toEqual({ left: 180, top: 130 });
  });

  it('are pushed inside the view, never cut at its edge', () => {
    expect(thumbnailBox(3, 2, 40, VIEW, 5)).toEqual({ left: 5, top: 5 });
    expect(thumbnailBox(VIEW.width - 1, VIEW.height - 4, 40, VIEW, 5)).toEqual({
      left: VIEW.width - 45,
      top: VIEW.height - 45,
    });
  });

  it('stay by their point when pushed', () => {
    const x = VIEW.width - 2;
    const box = thumbnailBox(x, 150, 48, VIEW, 5);
    expect(box.left).toBeLessThanOrEqual(x);
    expect(box.left + 48).toBeGreaterThanOrEqual(x - 5);
  });

  it('start at the inset in a view smaller than the image', () => {
    expect(thumbnailBox(10, 10, 72, { width: 50, height: 50 }, 5)).toEqual({ left: 5, top: 5 });
  });
});
