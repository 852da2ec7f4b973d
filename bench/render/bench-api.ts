/** What the render bench page offers its Playwright driver, as `window.renderBench`. */
export interface RenderBench {
  points: number;
  /** The GL renderer string (WEBGL_debug_renderer_info), e.g. ANGLE over SwiftShader. */
  renderer: string;
  /** Starts timing the frame intervals that follow a frame the scatter drew. */
  startRecording(): void;
  /** Stops, returning those intervals in ms. */
  stopRecording(): number[];
  /**
   * Median ms to draw every point at zoom 1 on a canvas of the scatter's size, each draw waited
   * for with a one-pixel read-back: the GL cost alone, without compositing or v-sync.
   */
  measureDraw(repeats: number): number;
  /** Where a point is in the page now, in CSS pixels. */
  pointOnScreen(index: number): [number, number];
  /** Moves every point (same count): the scatter animates the transition. */
  transition(): void;
  resetZoom(): void;
}

declare global {
  interface Window {
    renderBench?: RenderBench;
  }
}
