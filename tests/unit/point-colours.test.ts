/**
 * The map's colours: the categorical palette must stay apart for people with the common colour
 * vision deficiencies and stand out on the dark plot; colourings become the RGBA bytes the WebGL
 * scatter takes.
 */
import { describe, expect, it } from 'vitest';
import {
  CATEGORICAL_PALETTE,
  LABEL_FIELD,
  SPLIT_FIELD,
  colourBytes,
  colourFieldList,
  colourFields,
  hasColourData,
  latentFieldDim,
  latentFieldKey,
  pointColouring,
} from '../../src/renderer/src/lib/point-colours';

/** Machado, Oliveira & Fernandes (2009) full-severity simulation matrices, in linear RGB. */
const VISION: Record<string, number[][]> = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
/** The plot's background (app.css `--bg`). */
const BACKGROUND = '#0d0f13';

function linear(hex: string): number[] {
  return [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
}

/** CIELAB (D65) of a colour as someone with `vision` sees it. */
function labSeen(hex: string, vision: number[][]): number[] {
  const rgb = linear(hex);
  const [r, g, b] = vision.map((row) =>
    Math.min(1, Math.max(0, row[0]! * rgb[0]! + row[1]! * rgb[1]! + row[2]! * rgb[2]!)),
  ) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t) / 116 + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));

describe('the categorical palette', () => {
  it('has ten colours, one per MNIST digit', () => {
    expect(new Set(CATEGORICAL_PALETTE.map((c) => c.toLowerCase())).size).toBe(10);
  });

  it.each(Object.keys(VISION))('keeps every pair of classes apart under %s (ΔE ≥ 15)', (name) => {
    const vision = VISION[name]!;
    const seen = CATEGORICAL_PALETTE.map((hex) => labSeen(hex, vision));
    let closest = Infinity;
    for (let i = 0; i < seen.length; i++) {
      for (let j = i + 1; j < seen.length; j++) closest = Math.min(closest, distance(seen[i]!, seen[j]!));
    }
    expect(closest).toBeGreaterThanOrEqual(15);
  });

  it('has at most one grey, so no two classes read as two greys (chroma C* < 15)', () => {
    const greys = CATEGORICAL_PALETTE.filter((hex) => {
      const [, a, b] = labSeen(hex, VISION['normal']!);
      return Math.hypot(a!, b!) < 15;
    });
    expect(greys.length, greys.join(', ')).toBeLessThanOrEqual(1);
  });

  it('stands out from the dark plot for everyone (ΔE ≥ 40)', () => {
    for (const vision of Object.values(VISION)) {
      const background = labSeen(BACKGROUND, vision);
      for (const hex of CATEGORICAL_PALETTE) {
        expect(distance(labSeen(hex, vision), background)).toBeGreaterThanOrEqual(40);
      }
    }
  });
});

const POINTS = {
  count: 4,
  labels: Uint8Array.from([0, 1, 1, 7]),
  classNames: ['cat', 'dog'],
  metadata: [
    { field: { name: 'scale' }, values: Float32Array.from([0, 0.5, 1, Number.NaN]) },
    { field: { name: 'shape', categories: ['square', 'heart'] }, values: Float32Array.from([1, 0, 1, 1]) },
  ],
};

describe('colouring the points', () => {
  it('offers the label first, the model’s scores, then the metadata fields', () => {
    expect(colourFields(POINTS)).toEqual([
      LABEL_FIELD,
      'score:neg-elbo',
      'score:reconstruction',
      'score:kl',
      'scale',
      'shape',
    ]);
    expect(colourFields(null)).toEqual([LABEL_FIELD]);
  });

  it('counts classes, with unknown labels in a grey slot of their own', () => {
    const colouring = pointColouring(POINTS, LABEL_FIELD);
    expect(colouring.kind).toBe('categorical');
    expect(Array.from(colouring.index)).toEqual([0, 1, 1, 2]);
    if (colouring.kind === 'categorical') expect(colouring.items.map((i) => i.count)).toEqual([1, 2]);
  });

  it('turns a colouring into RGBA bytes, opaque', () => {
    const bytes = colourBytes(pointColouring(POINTS, LABEL_FIELD));
    expect(bytes).toHaveLength(16);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x3f, 0x90, 0xda, 255]);
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0xff, 0xa9, 0x0e, 255]);
    expect(Array.from(bytes.subarray(12, 16))).toEqual([0x5b, 0x62, 0x6e, 255]);
  });

  it('ramps a numeric field from its minimum to its maximum', () => {
    const colouring = pointColouring(POINTS, 'scale');
    expect(colouring.kind).toBe('numeric');
    if (colouring.kind !== 'numeric') return;
    expect([colouring.min, colouring.max]).toEqual([0, 1]);
    expect(colouring.index[0]).toBe(0);
    expect(colouring.index[2]).toBe(colouring.colours.length - 2);
    // NaN has the missing colour, the last one.
    expect(colouring.index[3]).toBe(colouring.colours.length - 1);
  });
});

/** A run's points as the map has them: split and latent size known. */
const RUN_POINTS = {
  ...POINTS,
  heldOut: Uint8Array.from([0, 1, 1, 0]),
  latentDim: 3,
  // A metadata column named like a built-in field is shadowed by it.
  metadata: [...POINTS.metadata, { field: { name: SPLIT_FIELD }, values: Float32Array.from([0, 0, 0, 0]) }],
};
const SCORES = {
  count: 4,
  negElbo: Float32Array.from([120, 80.5, 300, 95]),
  reconstruction: Float32Array.from([100, 70, 280, 90]),
  kl: Float32Array.from([20, 10.5, 20, 5]),
};
/** Row-major 4 × 3 codes: z2 runs −1, 0, 1, 3. */
const MEANS = { values: Float32Array.from([0, -1, 5, 0, 0, 5, 0, 1, 5, 0, 3, 5]), dim: 3 };

describe('colouring by split, score and latent dimension', () => {
  it('lists label, split, the three scores in nats, z1…zD, then metadata, in groups', () => {
    const fields = colourFieldList(RUN_POINTS);
    expect(fields.map((f) => f.key)).toEqual([
      LABEL_FIELD,
      SPLIT_FIELD,
      'score:neg-elbo',
      'score:reconstruction',
      'score:kl',
      'latent:z1',
      'latent:z2',
      'latent:z3',
      'scale',
      'shape',
    ]);
    expect(fields.map((f) => f.name)).toEqual([
      'Label',
      'Split',
      '−ELBO',
      'Reconstruction',
      'KL',
      'z1',
      'z2',
      'z3',
      'scale',
      'shape',
    ]);
    expect(fields.filter((f) => f.needs === 'scores').every((f) => f.unit === 'nats')).toBe(true);
    expect(fields.filter((f) => f.group === 'latent').every((f) => f.needs === 'means')).toBe(true);
  });

  it('names latent dimensions z1 onwards, and reads the dimension back', () => {
    expect(latentFieldKey(0)).toBe('latent:z1');
    expect(latentFieldDim('latent:z12')).toBe(11);
    expect(latentFieldDim('latent:z0')).toBeNull();
    expect(latentFieldDim('scale')).toBeNull();
  });

  it('colours the split as two categories, training then held-out', () => {
    const colouring = pointColouring(RUN_POINTS, SPLIT_FIELD);
    expect(colouring.kind).toBe('categorical');
    if (colouring.kind !== 'categorical') return;
    expect(colouring.items.map((i) => [i.name, i.count])).toEqual([
      ['training', 2],
      ['held-out', 2],
    ]);
    expect(Array.from(colouring.index)).toEqual([0, 1, 1, 0]);
  });

  it('ramps −ELBO from its minimum to its maximum, in nats', () => {
    const colouring = pointColouring(RUN_POINTS, 'score:neg-elbo', { scores: SCORES });
    expect(colouring).toMatchObject({
      kind: 'numeric',
      field: 'score:neg-elbo',
      name: '−ELBO',
      unit: 'nats',
    });
    if (colouring.kind !== 'numeric') return;
    expect([colouring.min, colouring.max]).toEqual([80.5, 300]);
    expect(colouring.index[1]).toBe(0);
    expect(colouring.index[2]).toBe(colouring.colours.length - 2);
    const kl = pointColouring(RUN_POINTS, 'score:kl', { scores: SCORES });
    expect(kl.kind === 'numeric' && [kl.min, kl.max]).toEqual([5, 20]);
  });

  it('ramps one latent dimension of the epoch’s codes', () => {
    const colouring = pointColouring(RUN_POINTS, 'latent:z2', { means: MEANS });
    expect(colouring).toMatchObject({ kind: 'numeric', name: 'z2', unit: null, min: -1, max: 3 });
    if (colouring.kind !== 'numeric') return;
    expect(Array.from(colouring.values)).toEqual([-1, 0, 1, 3]);
  });

  it('colours by label until the data a field needs has arrived', () => {
    expect(hasColourData(RUN_POINTS, 'score:kl', {})).toBe(false);
    expect(hasColourData(RUN_POINTS, 'score:kl', { scores: { ...SCORES, count: 3 } })).toBe(false);
    expect(hasColourData(RUN_POINTS, 'score:kl', { scores: SCORES })).toBe(true);
    expect(hasColourData(RUN_POINTS, 'latent:z3', { means: MEANS })).toBe(true);
    expect(hasColourData(RUN_POINTS, 'latent:z4', { means: MEANS })).toBe(false);
    expect(hasColourData(RUN_POINTS, 'scale', {})).toBe(true);
    expect(pointColouring(RUN_POINTS, 'score:kl').field).toBe(LABEL_FIELD);
    expect(pointColouring(RUN_POINTS, 'latent:z2').field).toBe(LABEL_FIELD);
  });
});
