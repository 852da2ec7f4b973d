import { describe, expect, it } from 'vitest';
import { placeBeside, visiblePart } from '../../src/renderer/src/lib/tooltip-placement';

describe('placing the tooltip', () => {
  const bounds = { left: 100, top: 50, width: 400, height: 300 };
  const size = { width: 120, height: 90 };

  it('goes below and to the right of the pointer when there is room', () => {
    expect(placeBeside({ x: 200, y: 100 }, size, bounds, 10)).toEqual({ left: 210, top: 110 });
  });

  it('flips to the other side near the right and bottom edges', () => {
    expect(placeBeside({ x: 450, y: 320 }, size, bounds, 10)).toEqual({ left: 320, top: 220 });
  });

  it('stays inside bounds too small for either side', () => {
    const tight = { left: 0, top: 0, width: 150, height: 100 };
    const place = placeBeside({ x: 75, y: 50 }, size, tight, 10);
    expect(place.left).toBeGreaterThanOrEqual(0);
    expect(place.left + size.width).toBeLessThanOrEqual(150);
  });
});

describe('the room a tooltip has over a plot partly off screen', () => {
  const page = { left: 0, top: 0, width: 1280, height: 800 };

  it('is the whole plot when it is on screen', () => {
    const plot = { left: 300, top: 400, width: 400, height: 300 };
    expect(visiblePart(plot, page)).toEqual(plot);
  });

  it('is the part on screen, so the card is never placed where it would be cut off', () => {
    expect(visiblePart({ left: 300, top: 600, width: 400, height: 300 }, page)).toEqual({
      left: 300,
      top: 600,
      width: 400,
      height: 200,
    });
    const bounds = visiblePart({ left: 300, top: 600, width: 400, height: 300 }, page);
    const place = placeBeside({ x: 400, y: 780 }, { width: 180, height: 150 }, bounds);
    expect(place.top + 150).toBeLessThanOrEqual(800);
  });

  it('is empty for a plot scrolled out of sight', () => {
    const part = visiblePart({ left: 300, top: 900, width: 400, height: 300 }, page);
    expect(part.height).toBe(0);
  });
});
