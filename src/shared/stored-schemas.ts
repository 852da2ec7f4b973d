/**
 * Schemas of what run folders and exported models keep on disk: read back with these, so a
 * damaged or hand-edited file is refused (or set aside) instead of trusted.
 */
import { z } from 'zod';
import { BOOKMARK_LIMITS, type MapBookmark, type NewMapBookmark } from './map-bookmarks';
import { RUN_META_LIMITS, type RunMeta } from './run-meta';
import {
  bookmarkId,
  CONTROL,
  epoch,
  point,
  projectionMethod,
  runLabel,
  runNote,
  runTags,
  trainSettings,
} from './schema-parts';

/**
 * Training settings as a run folder's config.json or an exported model.json recorded them. A
 * request names every setting, but files written before a setting existed lack it: they read as
 * they ran (no early stopping, no time budget, no flips, one learning rate throughout, a random
 * start), so old
 * runs still open and continue as they trained.
 */
export const recordedTrainSettings = trainSettings.extend({
  earlyStopPatience: trainSettings.shape.earlyStopPatience.default(0),
  timeBudgetMinutes: trainSettings.shape.timeBudgetMinutes.default(0),
  augmentFlip: trainSettings.shape.augmentFlip.default(false),
  learningRateSchedule: trainSettings.shape.learningRateSchedule.default('constant'),
  pcaStart: trainSettings.shape.pcaStart.default(false),
});

/** A zoom transform's translation (pixels) and scale: finite, the scale positive. */
const viewNumber = z.number().min(-1e9).max(1e9);

/** A map bookmark as the renderer saves it; the engine checks its indices against the run's points. */
export const newMapBookmark = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(BOOKMARK_LIMITS.name)
    .refine((name) => !CONTROL.test(name), 'no control characters'),
  epoch,
  method: projectionMethod,
  view: z.strictObject({ x: viewNumber, y: viewNumber, k: z.number().gt(0).max(1e6) }),
  colourBy: z.string().min(1).max(BOOKMARK_LIMITS.colourBy),
  pinned: point.nullable(),
  selection: z.array(point).max(BOOKMARK_LIMITS.selection),
  hidden: z
    .array(
      z
        .int()
        .min(0)
        .max(BOOKMARK_LIMITS.hidden - 1),
    )
    .max(BOOKMARK_LIMITS.hidden),
}) satisfies z.ZodType<NewMapBookmark>;

/** A bookmark as the run folder keeps it (`bookmarks.json`). */
export const storedMapBookmark = newMapBookmark.extend({
  id: bookmarkId,
  createdAt: z.iso.datetime(),
}) satisfies z.ZodType<MapBookmark>;

/** `run-meta.json` as a run folder keeps it. */
export const storedRunMeta = z.strictObject({
  version: z.literal(1),
  name: runLabel(RUN_META_LIMITS.name).nullable(),
  note: runNote,
  tags: runTags,
}) satisfies z.ZodType<RunMeta & { version: 1 }>;
