import { describe, expect, it } from 'vitest';
import {
  SELECTION_SHOWN_LIMIT,
  shownSelection,
  shownSelectionText,
} from '../../src/renderer/src/lib/selection-shown';
import { GALLERY_LIMITS } from '../../src/shared/gallery-types';

describe('the selected images the dialog shows and its export writes', () => {
  it('are the same ones, up to what one export may write', () => {
    expect(SELECTION_SHOWN_LIMIT).toBe(GALLERY_LIMITS.sampleCount.max);
    const many = Uint32Array.from({ length: SELECTION_SHOWN_LIMIT + 50 }, (_, i) => i * 2);
    const shown = shownSelection(many);
    expect(shown).toHaveLength(SELECTION_SHOWN_LIMIT);
    expect(shown[0]).toBe(0);
    expect(shown.at(-1)).toBe((SELECTION_SHOWN_LIMIT - 1) * 2);
    expect(shownSelection(Uint32Array.from([5, 9]))).toEqual(Uint32Array.from([5, 9]));
  });

  it('are counted in the same words', () => {
    expect(shownSelectionText(1)).toBe('1 image');
    expect(shownSelectionText(312)).toBe('312 images');
    expect(shownSelectionText(1234)).toBe(`the first ${SELECTION_SHOWN_LIMIT} of 1,234 images`);
  });
});
