/**
 * What the latent map card says about itself in words: the caption of the layout on screen, the
 * job laying out the next one, and, while no layout is drawn, why not (the placeholder).
 */
import {
  PROJECTION_LABELS,
  type LatentLayout,
  type LatentPoints,
  type ProjectionMethod,
  type ProjectionProgress,
} from '../../../shared/projection-types';
import { formatEpoch, formatInt } from './format';

/** A layout job under way: its line of text and its progress bar (total 0: not started). */
export interface MapWorking {
  text: string;
  done: number;
  total: number;
}

/** Why the plot is empty, as a title over a line of text. */
export interface MapPlaceholder {
  title: string;
  text: string;
}

/** "Epoch 3 · UMAP of 2,000 latent means (16-dim)", or null with nothing drawn. */
export function mapCaption(drawn: LatentLayout | null, points: LatentPoints | null): string | null {
  if (!drawn || !points) return null;
  return `${formatEpoch(drawn.epoch)} · ${PROJECTION_LABELS[drawn.method]} of ${formatInt(points.count)} latent means (${points.latentDim}-dim)`;
}

/** The job laying out what the map shows next, by its iterations or, before the first, its start. */
export function mapWorking(
  progress: ProjectionProgress | null,
  job: { epoch: number; method: ProjectionMethod } | null,
): MapWorking | null {
  if (progress) {
    const share = progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0;
    return {
      text: `${PROJECTION_LABELS[progress.method]} · ${formatEpoch(progress.epoch).toLowerCase()} · ${share}%`,
      done: progress.done,
      total: progress.total,
    };
  }
  if (job) {
    return {
      text: `${PROJECTION_LABELS[job.method]} · ${formatEpoch(job.epoch).toLowerCase()} · starting`,
      done: 0,
      total: 0,
    };
  }
  return null;
}

/** What the map card knows while deciding what its empty plot says. */
export interface MapEmptyState {
  drawn: boolean;
  /** Why the run has no map at all, or null. */
  unavailable: string | null;
  runId: string | null;
  live: boolean;
  /** Epochs with stored codes. */
  epochCount: number;
  hasPoints: boolean;
  training: boolean;
  working: MapWorking | null;
}

/** Why the plot shows no points, or null when it shows them. */
export function mapPlaceholder(state: MapEmptyState): MapPlaceholder | null {
  if (state.drawn) return null;
  if (state.unavailable) return { title: 'No latent map for this run', text: state.unavailable };
  if (state.runId === null || (state.live && state.epochCount === 0)) {
    return state.training
      ? { title: 'Training…', text: 'The map appears when the first epoch ends.' }
      : {
          title: 'Press Train to watch the latent space form',
          text: 'Each point is an image, placed by its latent code and coloured by its class.',
        };
  }
  if (state.working) return { title: 'Laying out the map…', text: state.working.text };
  // A run that stopped (cancelled, diverged, interrupted) before its first epoch ended.
  if (state.hasPoints && state.epochCount === 0 && !state.training) {
    return {
      title: 'No map for this run',
      text: 'It stopped before its first epoch ended; the map is drawn at the end of each epoch.',
    };
  }
  return { title: 'Loading the map…', text: 'Reading the run’s stored latent codes.' };
}
