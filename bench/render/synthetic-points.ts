/**
 * A latent-map-like point cloud: ten anisotropic Gaussian clusters of uneven size, a thin haze of
 * points between them, labels interleaved in index order (as a shuffled data set would be).
 */
import { mulberry32 } from '../../src/main/engine/random';

export const CLASSES = 10;

export interface SyntheticPoints {
  positions: Float32Array;
  labels: Uint8Array;
}

export function syntheticPoints(count: number, seed = 1): SyntheticPoints {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const clusters = Array.from({ length: CLASSES }, (_, c) => {
    const angle = (c / CLASSES) * 2 * Math.PI + random() * 0.5;
    const ring = 4 + random() * 3;
    return {
      x: ring * Math.cos(angle),
      y: ring * Math.sin(angle) * 0.8,
      major: 0.6 + random() * 0.9,
      minor: 0.3 + random() * 0.4,
      turn: random() * Math.PI,
      weight: 0.5 + random(),
    };
  });
  const total = clusters.reduce((sum, c) => sum + c.weight, 0);
  const positions = new Float32Array(count * 2);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let pick = random() * total;
    let label = 0;
    while (label < CLASSES - 1 && pick > clusters[label]!.weight) pick -= clusters[label++]!.weight;
    const c = clusters[label]!;
    // One point in twenty strays halfway towards the centre, like an undecided latent code.
    const stray = random() < 0.05 ? 0.3 + random() * 0.6 : 1;
    const u = normal() * c.major;
    const v = normal() * c.minor;
    positions[2 * i] = c.x * stray + u * Math.cos(c.turn) - v * Math.sin(c.turn);
    positions[2 * i + 1] = c.y * stray + u * Math.sin(c.turn) + v * Math.cos(c.turn);
    labels[i] = label;
  }
  return { positions, labels };
}

/** The same points after a little more "training": clusters tighten and drift. */
export function nextEpoch(points: SyntheticPoints, step: number): Float32Array {
  const out = new Float32Array(points.positions.length);
  const angle = 0.35 * step;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  for (let i = 0; i < out.length / 2; i++) {
    const x = points.positions[2 * i]!;
    const y = points.positions[2 * i + 1]!;
    const pull = 0.85 + 0.15 * Math.cos(step + points.labels[i]!);
    out[2 * i] = (c * x - s * y) * pull;
    out[2 * i + 1] = (s * x + c * y) * pull;
  }
  return out;
}
