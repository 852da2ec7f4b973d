import { describe, expect, it } from 'vitest';
import type { LatentPoints } from '../../src/shared/projection-types';
import { DEFAULT_PROJECTION_SETTINGS } from '../../src/shared/projection-types';
import { formatEpoch } from '../../src/renderer/src/lib/format';
import { layoutHash } from '../../src/renderer/src/lib/layout-hash';
import { LABEL_FIELD, pointColouring } from '../../src/renderer/src/lib/point-colours';
import { baseName, pointFacts } from '../../src/renderer/src/lib/point-facts';
import { placeBeside, visiblePart } from '../../src/renderer/src/lib/tooltip-placement';

const POINTS: LatentPoints = {
  runId: 'run',
  count: 2,
  latentDim: 2,
  labels: Uint8Array.from([1, 0]),
  classNames: ['square', 'heart'],
  metadata: [{ field: { name: 'scale' }, values: Float32Array.from([0.123456, 2]) }],
  names: ['shapes/hearts/a.png', 'sprites #12'],
  heldOut: Uint8Array.from([1, 0]),
  epochs: [1],
  projection: DEFAULT_PROJECTION_SETTINGS,
};

describe('what the tooltip says about a point', () => {
  it('names its label, file, split and colour', () => {
    const facts = pointFacts(POINTS, 0, pointColouring(POINTS, LABEL_FIELD));
    expect(facts).toMatchObject({ index: 0, label: 'heart', name: 'shapes/hearts/a.png', split: 'held-out' });
    expect(facts.colour).toBe('#ffa90e');
    expect(facts.field).toBeNull();
    expect(pointFacts(POINTS, 1, null).split).toBe('training');
  });

  it('adds the colour field’s value when the map is coloured by one', () => {
    const facts = pointFacts(POINTS, 0, pointColouring(POINTS, 'scale'));
    expect(facts.field).toEqual({ name: 'scale', value: '0.1235' });
  });

  it('gives a score with its unit, and leaves the split to the split badge', () => {
    const scores = {
      count: 2,
      negElbo: Float32Array.from([812.345, 90]),
      reconstruction: Float32Array.from([800, 80]),
      kl: Float32Array.from([12.345, 10]),
    };
    expect(pointFacts(POINTS, 0, pointColouring(POINTS, 'score:neg-elbo', { scores })).field).toEqual({
      name: '−ELBO',
      value: '812.3 nats',
    });
    expect(pointFacts(POINTS, 0, pointColouring(POINTS, 'split')).field).toBeNull();
  });

  it('shows the file’s own name', () => {
    expect(baseName('shapes/hearts/a.png')).toBe('a.png');
    expect(baseName('sprites #12')).toBe('sprites #12');
  });
});

describe('placing the tooltip', () => {
  const bounds = { left: 100, top: 50, width: 400, height: 300 };
  const size = { width: 120, height: 90 };

  it('goes below and to the right of the pointer when there is room', () => {
    expect(placeBeside({ x: 200, y: 100 }, size, bounds, 10)).toEqual({ left: 210, top: 110 });
  });

  it('flips to the other side near the right and bottom edges', () => {
    expect(placeBeside({ x: 450, y: 320 }, size, bounds, 10)).toEqual({ left: 320, top: 220 });
  });

  it('stays inside bounds too small for either side', () => {
    const tight = { left: 0, top: 0, width: 150, height: 100 };
    const place = placeBeside({ x: 75, y: 50 }, size, tight, 10);
    expect(place.left).toBeGreaterThanOrEqual(0);
    expect(place.left + size.width).toBeLessThanOrEqual(150);
  });
});

describe('the room a tooltip has over a plot partly off screen', () => {
  const page = { left: 0, top: 0, width: 1280, height: 800 };

  it('is the whole plot when it is on screen', () => {
    const plot = { left: 300, top: 400, width: 400, height: 300 };
    expect(visiblePart(plot, page)).toEqual(plot);
  });

  it('is the part on screen, so the card is never placed where it would be cut off', () => {
    expect(visiblePart({ left: 300, top: 600, width: 400, height: 300 }, page)).toEqual({
      left: 300,
      top: 600,
      width: 400,
      height: 200,
    });
    const bounds = visiblePart({ left: 300, top: 600, width: 400, height: 300 }, page);
    const place = placeBeside({ x: 400, y: 780 }, { width: 180, height: 150 }, bounds);
    expect(place.top + 150).toBeLessThanOrEqual(800);
  });

  it('is empty for a plot scrolled out of sight', () => {
    const part = visiblePart({ left: 300, top: 900, width: 400, height: 300 }, page);
    expect(part.height).toBe(0);
  });
});

describe('epochs and layouts in words and numbers', () => {
  it('says which epoch, part-way ones included', () => {
    expect(formatEpoch(3)).toBe('Epoch 3');
    expect(formatEpoch(2.4)).toBe('Epoch 3 (40%)');
  });

  it('fingerprints a layout by its coordinates', () => {
    const a = Float32Array.from([0, 1, 2, 3]);
    expect(layoutHash(a)).toBe(layoutHash(Float32Array.from(a)));
    expect(layoutHash(a)).not.toBe(layoutHash(Float32Array.from([0, 1, 2, 3.0001])));
    expect(layoutHash(a.subarray(2))).toBe(layoutHash(Float32Array.from([2, 3])));
  });
});
