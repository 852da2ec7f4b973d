/** Seeded Gaussian test data for the projection tests: normal draws and separable clusters. */
import type { ProjectionInput } from '../../src/main/engine/projection/project';
import { mulberry32 } from '../../src/main/engine/random';

/** One N(0, 1) draw (Box–Muller) from a uniform generator. */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Gaussian clusters in `dim` dimensions: centres ~ N(0, 3²) per coordinate, points ~ N(centre, 1).
 * Centres are then ~19 apart against a within-cluster spread of ~6: clearly separate in 20-D, but
 * a 2-D view has to work to keep them apart.
 */
export function clusters(seed: number, clusterCount = 6, perCluster = 200, dim = 20) {
  const random = mulberry32(seed);
  const count = clusterCount * perCluster;
  const values = new Float32Array(count * dim);
  const labels = new Uint8Array(count);
  for (let c = 0; c < clusterCount; c++) {
    const centre = Array.from({ length: dim }, () => 3 * gaussian(random));
    for (let p = 0; p < perCluster; p++) {
      const i = c * perCluster + p;
      labels[i] = c;
      for (let d = 0; d < dim; d++) values[i * dim + d] = centre[d]! + gaussian(random);
    }
  }
  return { input: { values, count, dim } satisfies ProjectionInput, labels };
}
