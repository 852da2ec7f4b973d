/**
 * UMAP's low-dimensional similarity 1 / (1 + a·d^(2b)), with a and b fitted (least squares, as
 * umap-learn's `find_ab_params` does with scipy's curve_fit) to the target curve: 1 up to
 * `minDist`, then exp(−(d − minDist) / spread). umap-js's version replaces the x values below
 * minDist instead of the y values, so it fits a different curve; this one matches umap-learn
 * (a ≈ 1.577, b ≈ 0.895 for spread 1, minDist 0.1).
 */

export interface CurveParameters {
  a: number;
  b: number;
}

const SAMPLES = 300;
const MAX_STEPS = 200;

/** Levenberg–Marquardt on the two parameters (a 2 × 2 system per step). */
export function fitCurve(spread: number, minDist: number): CurveParameters {
  const xs = Float64Array.from({ length: SAMPLES }, (_, i) => (3 * spread * i) / (SAMPLES - 1));
  const ys = xs.map((x) => (x < minDist ? 1 : Math.exp(-(x - minDist) / spread)));
  const logXs = xs.map((x) => (x > 0 ? Math.log(x) : 0));
  const residualSquares = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < SAMPLES; i++) sum += (1 / (1 + a * xs[i]! ** (2 * b)) - ys[i]!) ** 2;
    return sum;
  };
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  let cost = residualSquares(a, b);
  for (let step = 0; step < MAX_STEPS; step++) {
    // Normal equations JᵀJ δ = −Jᵀr for r_i = f(x_i) − y_i.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const x = xs[i]!;
      const power = x > 0 ? x ** (2 * b) : 0;
      const denominator = 1 + a * power;
      const residual = 1 / denominator - ys[i]!;
      const da = -power / (denominator * denominator);
      const db = (-a * power * 2 * logXs[i]!) / (denominator * denominator);
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * residual;
      gb += db * residual;
    }
    const m00 = jaa * (1 + lambda);
    const m11 = jbb * (1 + lambda);
    const determinant = m00 * m11 - jab * jab;
    if (!(Math.abs(determinant) > 0)) break;
    const stepA = (-ga * m11 + gb * jab) / determinant;
    const stepB = (-gb * m00 + ga * jab) / determinant;
    const nextA = a + stepA;
    const nextB = b + stepB;
    const nextCost = nextA > 0 && nextB > 0 ? residualSquares(nextA, nextB) : Infinity;
    if (nextCost < cost) {
      const converged = cost - nextCost < 1e-14 * Math.max(1, cost);
      a = nextA;
      b = nextB;
      cost = nextCost;
      lambda = Math.max(lambda / 10, 1e-12);
      if (converged) break;
    } else {
      lambda *= 10;
      if (lambda > 1e12) break;
    }
  }
  return { a, b };
}
