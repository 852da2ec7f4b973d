/**
 * The projection settings as the map's toolbar edits them: which parameters each method takes, the
 * iteration default that suits it, what is wrong with a value, and whether two settings would
 * give the same layout. Pure (tests/unit/projection-form.test.ts).
 */
import {
  DEFAULT_PROJECTION_SETTINGS,
  PROJECTION_LABELS,
  PROJECTION_LIMITS,
  type ProjectionMethod,
  type ProjectionSettings,
} from '../../../shared/projection-types';

export type ProjectionParam = 'perplexity' | 'neighbors' | 'minDist' | 'iterations' | 'axes';
type NumericParam = Exclude<ProjectionParam, 'axes'>;

/** Only what changes the method's layout: PCA has nothing to tune. */
export const PROJECTION_PARAMS: Record<ProjectionMethod, readonly ProjectionParam[]> = {
  pca: [],
  tsne: ['perplexity', 'iterations'],
  umap: ['neighbors', 'minDist', 'iterations'],
  axes: ['axes'],
};

export const PARAM_LABELS: Record<ProjectionParam, string> = {
  perplexity: 'Perplexity',
  neighbors: 'Neighbours',
  minDist: 'Min. dist.',
  iterations: 'Iterations',
  axes: 'Axes',
};

export const PARAM_HINTS: Record<ProjectionParam, string> = {
  perplexity: 'How many neighbours each point weighs (t-SNE); larger shows more global structure',
  neighbors: 'Size of the local neighbourhood (UMAP); larger keeps more global structure',
  minDist: 'Minimum distance: how tightly points may pack (UMAP), 0 to 1',
  iterations: 'Optimisation steps from scratch; later epochs warm-start with fewer',
  axes: 'The two latent dimensions drawn as x and y',
};

const STEPS: Record<NumericParam, number> = { perplexity: 1, neighbors: 1, minDist: 0.05, iterations: 10 };
const INTEGER: Record<NumericParam, boolean> = {
  perplexity: false,
  neighbors: true,
  minDist: false,
  iterations: true,
};

export function paramStep(param: NumericParam): number {
  return STEPS[param];
}

/** UMAP converges in about half the steps t-SNE needs. */
export function defaultIterations(method: ProjectionMethod): number {
  return method === 'umap' ? 500 : DEFAULT_PROJECTION_SETTINGS.iterations;
}

/** Switches method; an iteration count left at the old method's default takes the new one's. */
export function withMethod(settings: ProjectionSettings, method: ProjectionMethod): ProjectionSettings {
  const untouched = settings.iterations === defaultIterations(settings.method);
  return {
    ...settings,
    method,
    iterations: untouched ? defaultIterations(method) : settings.iterations,
  };
}

/** What is wrong with the parameters the method uses (others are not looked at). */
export function projectionProblems(
  settings: ProjectionSettings,
  latentDim: number,
): Partial<Record<ProjectionParam, string>> {
  const problems: Partial<Record<ProjectionParam, string>> = {};
  for (const param of PROJECTION_PARAMS[settings.method]) {
    if (param === 'axes') {
      const [x, y] = settings.axes;
      const valid = (a: number) => Number.isInteger(a) && a >= 0 && a < latentDim;
      if (!valid(x) || !valid(y)) problems.axes = `Pick dimensions 1 to ${latentDim}`;
      else if (x === y) problems.axes = 'Pick two different dimensions';
      continue;
    }
    const value = settings[param];
    const { min, max } = PROJECTION_LIMITS[param];
    if (typeof value !== 'number' || !Number.isFinite(value)) problems[param] = 'Enter a number';
    else if (INTEGER[param] && !Number.isInteger(value)) problems[param] = 'Enter a whole number';
    else if (value < min || value > max) problems[param] = `Between ${min} and ${max}`;
  }
  return problems;
}

/** Would these settings lay out the same as those? Only the method's own parameters count. */
export function sameProjection(a: ProjectionSettings, b: ProjectionSettings): boolean {
  if (a.method !== b.method || a.seed !== b.seed) return false;
  return PROJECTION_PARAMS[a.method].every((param) =>
    param === 'axes' ? a.axes[0] === b.axes[0] && a.axes[1] === b.axes[1] : a[param] === b[param],
  );
}

/** "t-SNE · perplexity 30 · 1,000 iterations", for captions and titles. */
export function describeProjection(settings: ProjectionSettings): string {
  const parts = [PROJECTION_LABELS[settings.method]];
  const { method } = settings;
  if (method === 'tsne') parts.push(`perplexity ${settings.perplexity}`);
  if (method === 'umap') parts.push(`${settings.neighbors} neighbours`, `min. distance ${settings.minDist}`);
  if (method === 'tsne' || method === 'umap') {
    parts.push(`${settings.iterations.toLocaleString('en-US')} iterations`);
  }
  if (method === 'axes') parts.push(`dimensions ${settings.axes[0] + 1} and ${settings.axes[1] + 1}`);
  return parts.join(' · ');
}

/** A copy that shares nothing with the original (the axes pair included). */
export function copyProjection(settings: ProjectionSettings): ProjectionSettings {
  return { ...settings, axes: [settings.axes[0], settings.axes[1]] };
}
