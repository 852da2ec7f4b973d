import { describe, expect, it } from 'vitest';
import { wheelHint, wheelZoomDelta, wheelZooms } from '../../src/renderer/src/lib/wheel-zoom';

const plain = { ctrlKey: false, metaKey: false };

describe('when the wheel zooms the latent map', () => {
  it('leaves a plain wheel over an unfocused map to the page', () => {
    expect(wheelZooms(plain, false)).toBe(false);
  });

  it('zooms with Ctrl (a trackpad pinch arrives this way) or ⌘ held', () => {
    expect(wheelZooms({ ctrlKey: true, metaKey: false }, false)).toBe(true);
    expect(wheelZooms({ ctrlKey: false, metaKey: true }, false)).toBe(true);
  });

  it('zooms with the plain wheel once the map has focus', () => {
    expect(wheelZooms(plain, true)).toBe(true);
  });

  it('names the key the platform uses', () => {
    expect(wheelHint('Mozilla/5.0 (X11; Linux x86_64)')).toBe(
      'Use Ctrl + scroll to zoom (or click the map first)',
    );
    expect(wheelHint('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)')).toMatch(/^Use ⌘ \+ scroll/);
  });
});

describe('how far one wheel event zooms', () => {
  const notch = { deltaY: -100, deltaMode: 0, ctrlKey: false, metaKey: false };

  it('is d3-zoom’s step for a plain notch', () => {
    expect(wheelZoomDelta(notch)).toBeCloseTo(0.2);
    expect(wheelZoomDelta({ ...notch, deltaY: 3, deltaMode: 1 })).toBeCloseTo(-0.15);
  });

  it('keeps a pinch’s small Ctrl deltas as d3 scales them', () => {
    expect(wheelZoomDelta({ ...notch, deltaY: -4, ctrlKey: true })).toBeCloseTo(0.08);
  });

  it('doubles at most per event, so Ctrl + a mouse notch is one step, not a leap', () => {
    expect(wheelZoomDelta({ ...notch, ctrlKey: true })).toBe(1);
    expect(wheelZoomDelta({ ...notch, deltaY: 1000, ctrlKey: true })).toBe(-1);
  });
});
