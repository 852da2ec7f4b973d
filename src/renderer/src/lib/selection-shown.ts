/**
 * Which of the selected map points the "Selected images" dialog shows and its export writes: the
 * same ones, counted the same way. They used to differ (the grid showed the first 240, the export
 * wrote the first 400), so the dialog and its export row disagreed on how many images there were.
 * The export's own limit sets both. Pure.
 */
import { GALLERY_LIMITS } from '../../../shared/gallery-types';
import { formatInt, plural } from './format';

/** The most selected images shown and exported at once. */
export const SELECTION_SHOWN_LIMIT = GALLERY_LIMITS.sampleCount.max;

/** The selected points shown in the dialog and written by its export, in selection order. */
export function shownSelection(selection: Uint32Array): Uint32Array {
  return selection.subarray(0, SELECTION_SHOWN_LIMIT);
}

/** "12 images", or "the first 400 of 1,234 images" once the selection is larger than is shown. */
export function shownSelectionText(total: number): string {
  return total > SELECTION_SHOWN_LIMIT
    ? `the first ${formatInt(SELECTION_SHOWN_LIMIT)} of ${formatInt(total)} images`
    : plural(total, 'image');
}
