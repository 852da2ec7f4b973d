import { describe, expect, it } from 'vitest';
import { formatPsnr } from '../../src/renderer/src/lib/format';
import {
  meanPsnrExplanation,
  pairTooltip,
  reconstructionQuality,
} from '../../src/renderer/src/lib/reconstruction-quality';

describe('formatPsnr', () => {
  it('writes decibels with one decimal', () => {
    expect(formatPsnr(23.456)).toBe('23.5 dB');
    expect(formatPsnr(30)).toBe('30.0 dB');
    expect(formatPsnr(7.04)).toBe('7.0 dB');
  });

  it('writes a perfect reconstruction as infinity and no figure as a dash', () => {
    expect(formatPsnr(Infinity)).toBe('∞ dB');
    expect(formatPsnr(Number.NaN)).toBe('—');
    expect(formatPsnr(-Infinity)).toBe('—');
    expect(formatPsnr(null)).toBe('—');
    expect(formatPsnr(undefined)).toBe('—');
  });
});

describe('reconstructionQuality', () => {
  it('gives each image’s PSNR and the mean of those, not the PSNR of the mean MSE', () => {
    // 0.01 → 20 dB, 0.001 → 30 dB: the mean PSNR is 25 dB; the mean MSE 0.0055 would be 22.6 dB.
    const quality = reconstructionQuality(Float32Array.from([0.01, 0.001]));
    expect(quality.psnr[0]).toBeCloseTo(20, 4);
    expect(quality.psnr[1]).toBeCloseTo(30, 4);
    expect(quality.meanPsnr).toBeCloseTo(25, 4);
    expect(quality.meanMse).toBeCloseTo(0.0055, 6);
  });

  it('has no mean for no images', () => {
    expect(reconstructionQuality([])).toEqual({ psnr: [], meanPsnr: null, meanMse: null });
  });

  it('is infinite for a perfect reconstruction', () => {
    const quality = reconstructionQuality([0, 0.01]);
    expect(quality.psnr[0]).toBe(Infinity);
    expect(formatPsnr(quality.meanPsnr)).toBe('∞ dB');
  });
});

describe('tooltips', () => {
  it('say what the mean PSNR is, how to read it, and keep the MSE', () => {
    const text = meanPsnrExplanation(reconstructionQuality([0.01, 0.001]), 2);
    expect(text).toMatch(
      /^Mean PSNR over 2 reconstructions: 10·log10\(1 \/ MSE\) per image, on \[0, 1\] pixel values/,
    );
    expect(text).toMatch(/Higher is better: around 20 dB looks blurry, around 30 dB close to the original\./);
    expect(text).toMatch(/Mean MSE 0\.0055\.$/);
  });

  it('give a pair’s file, PSNR and MSE', () => {
    expect(pairTooltip('shapes/circle-3.png', 0.01)).toBe(
      'shapes/circle-3.png\nPSNR 20.0 dB · MSE 0.0100 (on [0, 1] pixel values)',
    );
  });
});
