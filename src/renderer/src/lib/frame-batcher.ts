/**
 * Collects items and hands them over at most once per animation frame, so a burst of events
 * (progress can arrive per batch) costs one state update and one redraw.
 */
export interface FrameBatcher<T> {
  push(item: T): void;
  /** Drops anything collected but not yet flushed. */
  clear(): void;
}

export function createFrameBatcher<T>(flush: (items: T[]) => void): FrameBatcher<T> {
  let items: T[] = [];
  let frame: number | null = null;
  return {
    push(item) {
      items.push(item);
      frame ??= requestAnimationFrame(() => {
        frame = null;
        const batch = items;
        items = [];
        flush(batch);
      });
    },
    clear() {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      items = [];
    },
  };
}
