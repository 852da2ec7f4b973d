/**
 * Named bookmarks of a run's latent map (issue 17 item 9): the view, the selection and the pinned
 * point the user saved, restored by name. Pure data shared by the engine (which keeps them in the
 * run folder), main (which validates requests) and the renderer (which saves and restores them).
 */
import type { ProjectionMethod } from './projection-types';

/** A saved look at a run's latent map: what the user restores by name. */
export interface MapBookmark {
  /** Engine-assigned (a random UUID); kept when a bookmark of the same name replaces it. */
  id: string;
  /** 1–80 characters, trimmed, no control characters; unique per run ignoring case. */
  name: string;
  /** ISO 8601, engine-assigned when the name was first saved. */
  createdAt: string;
  /** The timeline position. */
  epoch: number;
  method: ProjectionMethod;
  /** The zoom transform of the scatter (d3-zoom's x, y, k). */
  view: { x: number; y: number; k: number };
  /** The colour field's key. */
  colourBy: string;
  /** A display point index, or null when no point is pinned. */
  pinned: number | null;
  /** Display point indices (at most BOOKMARK_LIMITS.selection, each an integer ≥ 0). */
  selection: number[];
  /** Legend categories hidden. */
  hidden: number[];
}

/** What the renderer saves; the engine adds the id and the time. */
export type NewMapBookmark = Omit<MapBookmark, 'id' | 'createdAt'>;

export const BOOKMARK_LIMITS = {
  name: 80,
  perRun: 200,
  selection: 100_000,
  /** Characters of a colour field's key (a metadata column's name). */
  colourBy: 200,
  /** Hidden legend categories (category indices are 16-bit in the renderer). */
  hidden: 65_536,
} as const;
