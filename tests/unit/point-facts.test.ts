import { describe, expect, it } from 'vitest';
import type { LatentPoints } from '../../src/shared/projection-types';
import { DEFAULT_PROJECTION_SETTINGS } from '../../src/shared/projection-types';
import { LABEL_FIELD, pointColouring } from '../../src/renderer/src/lib/point-colours';
import { baseName, pointFacts } from '../../src/renderer/src/lib/point-facts';

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
