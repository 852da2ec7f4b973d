/** "Least likely images": ranking by −ELBO and the CSV that lists them. */
import { describe, expect, it } from 'vitest';
import {
  OUTLIER_CSV_HEADER,
  leastLikely,
  outliersCsv,
  outliersFileName,
} from '../../src/renderer/src/lib/outliers';

const SCORES = {
  count: 6,
  negElbo: Float32Array.from([100, 250.5, Number.NaN, 250.5, 90, 400.25]),
  reconstruction: Float32Array.from([80, 200, 0, 220, 70, 380]),
  kl: Float32Array.from([20, 50.5, 0, 30.5, 20, 20.25]),
};

const POINTS = {
  names: ['a.png', '=cmd.png', 'c.png', 'say "hi".png', 'e.png', 'digits/7/f.png'],
  labels: Uint8Array.from([0, 1, 0, 1, 0, 1]),
  classNames: ['cat', 'dog'],
  heldOut: Uint8Array.from([0, 1, 0, 0, 1, 1]),
};

describe('the least likely images', () => {
  it('ranks by −ELBO, highest first, ties by index, unscored points never', () => {
    const ranked = leastLikely(SCORES, 10);
    expect(ranked.map((o) => o.index)).toEqual([5, 1, 3, 0, 4]);
    expect(ranked.map((o) => o.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(ranked[0]).toMatchObject({ negElbo: 400.25, reconstruction: 380, kl: 20.25 });
  });

  it('keeps only the number asked for', () => {
    expect(leastLikely(SCORES, 2).map((o) => o.index)).toEqual([5, 1]);
    expect(leastLikely(SCORES, 0)).toEqual([]);
  });

  it('agrees with sorting every score, on a larger set', () => {
    const count = 2000;
    const negElbo = Float32Array.from({ length: count }, (_, i) => ((i * 7919) % 1009) + 0.5);
    const scores = { count, negElbo, reconstruction: negElbo, kl: new Float32Array(count) };
    const top = leastLikely(scores, 48).map((o) => o.negElbo);
    const sorted = Array.from(negElbo)
      .sort((a, b) => b - a)
      .slice(0, 48);
    expect(top).toEqual(sorted);
  });
});

describe('the outliers CSV', () => {
  it('has the header, one quoted RFC 4180 row per image, CRLF line ends', () => {
    const text = outliersCsv(leastLikely(SCORES, 3), POINTS);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(OUTLIER_CSV_HEADER.map((h) => `"${h}"`).join(','));
    expect(lines[0]).toBe(
      '"rank","index","file","label","split","neg_elbo_nats","reconstruction_nats","kl_nats"',
    );
    expect(lines[1]).toBe('1,5,"digits/7/f.png","dog","held-out",400.25,380,20.25');
    // A file name a spreadsheet would run as a formula is defused; quotes are doubled.
    expect(lines[2]).toBe(`2,1,"'=cmd.png","dog","held-out",250.5,200,50.5`);
    expect(lines[3]).toBe('3,3,"say ""hi"".png","dog","training",250.5,220,30.5');
    expect(lines).toHaveLength(5);
  });

  it('writes float32 scores without float64 noise', () => {
    const scores = {
      count: 1,
      negElbo: Float32Array.from([123.456]),
      reconstruction: Float32Array.from([0.1]),
      kl: Float32Array.from([1 / 3]),
    };
    const row = outliersCsv(leastLikely(scores, 1), { ...POINTS, names: ['x'] }).split('\r\n')[1];
    expect(row).toBe('1,0,"x","cat","training",123.456,0.1,0.3333333');
  });

  it('is named after the run', () => {
    expect(outliersFileName('20261205-170000-ab12')).toBe('outliers-20261205-170000-ab12.csv');
  });
});
