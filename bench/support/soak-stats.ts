/** Small figures for the soak bench: least-squares slopes and memory in MB. */

export const MB = 1024 * 1024;

export interface Fit {
  /** Change of y per unit of x. */
  slope: number;
  /** Standard error of the slope (NaN with fewer than three points). */
  slopeError: number;
}

/** Ordinary least squares of y on x. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): Fit {
  const n = xs.length;
  if (n < 2) return { slope: NaN, slopeError: NaN };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return { slope: NaN, slopeError: NaN };
  const slope = sxy / sxx;
  let residual = 0;
  for (let i = 0; i < n; i++) residual += (ys[i]! - my - slope * (xs[i]! - mx)) ** 2;
  const slopeError = n > 2 ? Math.sqrt(residual / (n - 2) / sxx) : NaN;
  return { slope, slopeError };
}

export function mb(bytes: number, digits = 1): string {
  return (bytes / MB).toFixed(digits);
}

/** Seconds as m:ss. */
export function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
