/**
 * Principal components of a set of images, for starting a VAE at probabilistic PCA (`pca-init.ts`).
 * Through the N×N Gram matrix rather than the D×D covariance: a folder's sample is a few hundred to
 * a thousand images of 12,288 or more pixels, so N ≪ D, and X·Xᵀ is one tfjs matmul (the same code on
 * every backend) followed by a symmetric eigendecomposition of N×N in ml-matrix.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface PrincipalComponents {
  /** Per-pixel mean of the sample, [D]. */
  mean: Float32Array;
  /** The top k principal directions, unit length, [k, D] row-major. */
  components: Float32Array;
  /** Variance of the sample along each component (eigenvalues of the covariance), descending, [k]. */
  variances: number[];
  /** Mean variance per pixel left over after the k components: probabilistic PCA's σ². */
  residualVariance: number;
}

/**
 * The top `k` components of `rows` [N, D] (pixels in [0, 1]), k < N. Components whose variance is
 * numerically zero (fewer distinct images than k) get variance 0 and a zero direction.
 */
export async function principalComponents(rows: tf.Tensor2D, k: number): Promise<PrincipalComponents> {
  const [n, d] = rows.shape;
  if (k >= n) throw new Error(`${k} components need more than ${n} images`);
  // Read back asynchronously: the webgpu backend cannot read synchronously under Node.
  const meanTensor = tf.mean(rows, 0);
  const mean = Float32Array.from(await meanTensor.data());
  meanTensor.dispose();
  const gramTensor = tf.tidy(() => {
    const centred = tf.sub(rows, tf.tensor1d(mean));
    return tf.matMul(centred, centred, false, true);
  });
  const gram = (await gramTensor.array()) as number[][];
  gramTensor.dispose();
  const totalVariance = gram.reduce((sum, row, i) => sum + row[i]!, 0) / n / d;
  const decomposition = new EigenvalueDecomposition(new Matrix(gram), { assumeSymmetric: true });
  // ml-matrix returns eigenvalues ascending for symmetric matrices; take the largest k.
  const order = decomposition.realEigenvalues
    .map((value, index) => ({ value, index }))
    .sort((a, b) => b.value - a.value)
    .slice(0, k);
  const vectors = decomposition.eigenvectorMatrix;
  // Direction j = Xcᵀ v_j / √(eigenvalue_j), unit length; covariance variance = eigenvalue / n.
  const coefficients = new Float32Array(n * k);
  const variances: number[] = [];
  order.forEach(({ value, index }, j) => {
    // Below a millionth of the largest, an eigenvalue is rounding noise: no direction to divide by.
    const usable = value > 1e-6 * (order[0]?.value ?? 0) && value > 0;
    variances.push(usable ? value / n : 0);
    for (let i = 0; i < n; i++)
      coefficients[i * k + j] = usable ? vectors.get(i, index) / Math.sqrt(value) : 0;
  });
  const componentsTensor = tf.tidy(() => {
    const centred = tf.sub(rows, tf.tensor1d(mean));
    const weights = tf.tensor2d(coefficients, [n, k]);
    return tf.transpose(tf.matMul(centred, weights, true, false));
  });
  const components = Float32Array.from(await componentsTensor.data());
  componentsTensor.dispose();
  const explained = variances.reduce((sum, v) => sum + v, 0) / d;
  const residualVariance = Math.max(1e-6, ((totalVariance - explained) * d) / Math.max(1, d - k));
  return { mean, components, variances, residualVariance };
}
