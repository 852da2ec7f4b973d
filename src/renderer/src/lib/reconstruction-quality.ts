/**
 * The Gallery's reconstruction errors in the figure people compare models by: PSNR in dB (issue
 * 15). The engine sends each image's MSE of the model's float output against the image, on [0, 1]
 * pixel values, so these are PSNRs before rounding to 8 bits (the `reconstruct` command measures
 * the written 8-bit images and can differ by a little).
 */
import { psnrFromMse } from '../../../shared/psnr';
import { formatPsnr, plural } from './format';

export interface ReconstructionQuality {
  /** Each image's PSNR in dB, in the order of the errors. */
  psnr: number[];
  /**
   * The mean over images of each one's PSNR, as the `reconstruct` command prints it; the PSNR of
   * the mean MSE would be dragged down by the few worst images. Null for no images.
   */
  meanPsnr: number | null;
  meanMse: number | null;
}

export function reconstructionQuality(errors: ArrayLike<number>): ReconstructionQuality {
  const mses = Array.from(errors);
  const psnr = mses.map(psnrFromMse);
  if (mses.length === 0) return { psnr, meanPsnr: null, meanMse: null };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { psnr, meanPsnr: mean(psnr), meanMse: mean(mses) };
}

/** What the mean PSNR in the section header is, for its tooltip. */
export function meanPsnrExplanation(quality: ReconstructionQuality, count: number): string {
  const mse = quality.meanMse === null ? '—' : quality.meanMse.toFixed(4);
  return (
    `Mean PSNR over ${plural(count, 'reconstruction')}: 10·log10(1 / MSE) per image, on [0, 1] pixel ` +
    'values, then averaged. Higher is better: around 20 dB looks blurry, around 30 dB close to the ' +
    `original. Mean MSE ${mse}.`
  );
}

/** One pair's tooltip: its file, then PSNR and the MSE it comes from. */
export function pairTooltip(name: string, mse: number): string {
  return `${name}\nPSNR ${formatPsnr(psnrFromMse(mse))} · MSE ${mse.toFixed(4)} (on [0, 1] pixel values)`;
}
