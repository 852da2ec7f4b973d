/**
 * Peak signal-to-noise ratio of an image against its reconstruction: 10·log10(MAX² / MSE) dB,
 * with pixel values in [0, 1] (MAX = 1; the same figure as 255² / MSE on the 0–255 scale): the
 * standard definition (Gonzalez & Woods, "Digital Image Processing"; scikit-image's
 * `peak_signal_noise_ratio`). A perfect reconstruction is +∞.
 */
export function psnrFromMse(mse: number): number {
  return mse <= 0 ? Infinity : -10 * Math.log10(mse);
}

/** Mean squared error per pixel value of two 8-bit images of the same length, in [0, 1] units. */
export function meanSquaredError8(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError('images of different sizes');
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i]! - b[i]!) / 255;
    sum += d * d;
  }
  return sum / a.length;
}
