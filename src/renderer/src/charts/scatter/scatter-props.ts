/**
 * The props of charts/Scatter.webgl.svelte, what its controller reads of them each frame, and what
 * the controller reports back for the component to show.
 */
import { zoomIdentity, type ZoomTransform } from 'd3';
import type { Aspect } from '../../lib/scatter-geometry';
import type { ScatterView } from '../../lib/scatter-view';

export interface ScatterProps {
  /**
   * count × 2 data coordinates, any range; the view frames them. A new array with the same count
   * glides from where the points are drawn now; a different count jumps. The zoom is kept, unless
   * `viewKey` changed since the zoom was last fitted.
   */
  positions: Float32Array;
  /**
   * Which data the points are (e.g. the run shown). The first positions under a new key are fitted
   * into view: a zoom into another data set's cluster would frame empty space. Default null.
   */
  viewKey?: string | number | null;
  /** count × 4 RGBA bytes, one colour per point. */
  colours: Uint8Array;
  /** One byte per point, 0 = hidden (not drawn, picked or lassoed). Default: all visible. */
  visible?: Uint8Array | null;
  /** One byte per point, 1 = selected: drawn on top with a rim while the rest are dimmed. */
  selected?: Uint8Array | null;
  /** The hovered or pinned point, drawn with a ring. */
  highlight?: number | null;
  /** Point radius in CSS pixels at zoom 1. Default: from the point count. It grows with zoom. */
  radius?: number;
  /** `fill` (default) stretches each axis to the view; `equal` keeps the data's aspect ratio. */
  aspect?: Aspect;
  /** An image URL per point, shown over its dot once few enough points are in view; null: none. */
  thumbnail?: ((index: number) => string | null) | null;
  /** Thumbnails show when at most this many visible points are in view. Default 400. */
  thumbnailLimit?: number;
  /** Accessible name of the plot. */
  label?: string;
  /** The point under the pointer changed (null: none), with the pointer's client coordinates. */
  onhover?: (index: number | null, clientX: number, clientY: number) => void;
  /** A click that was not the end of a pan, on a point or on empty space (null). */
  onclick?: (index: number | null) => void;
  /** A Shift+drag lasso closed: the visible points inside it, ascending. */
  onlasso?: (indices: Uint32Array) => void;
  /**
   * The pointer moved over empty space: where it is in the data's own coordinates (and on the
   * page); null once a point is under it or it left the plot.
   */
  onempty?: (spot: { x: number; y: number; clientX: number; clientY: number } | null) => void;
  /** The zoom transform changed (wheel, drag, double-click, keys or a call to `zoomTo`). */
  onzoom?: (transform: ZoomTransform) => void;
  /**
   * Bindable, written by the scatter: the plot's size, zoom and layout → CSS pixel scales, so
   * layers drawn over it (decoded tiles, contours, markers) line up. Null without points or room.
   */
  view?: ScatterView | null;
}

/** The props with their defaults applied, plus the plot's CSS size and pixel density. */
export interface ScatterInputs extends Pick<
  ScatterProps,
  'onhover' | 'onclick' | 'onlasso' | 'onempty' | 'onzoom'
> {
  positions: Float32Array;
  viewKey: string | number | null;
  colours: Uint8Array;
  visible: Uint8Array | null;
  selected: Uint8Array | null;
  highlight: number | null;
  radius: number | undefined;
  aspect: Aspect;
  thumbnail: ((index: number) => string | null) | null;
  thumbnailLimit: number;
  width: number;
  height: number;
  dpr: number;
}

export type GlState = 'starting' | 'ready' | 'lost' | 'unavailable';

/** What the controller tells the component to show (test hooks, cursor, hint, lasso path). */
export interface ScatterHooks {
  glState: GlState;
  glError: string;
  // What the test hooks report: only what has reached the GPU or the screen.
  uploadedCount: number;
  visibleCount: number;
  selectedCount: number;
  frameCount: number;
  thumbnailCount: number;
  transform: ZoomTransform;
  /** The lasso being drawn, in CSS pixels. */
  lasso: [number, number][] | null;
  /** The wheel scrolled the page instead of zooming: say how to zoom. */
  showWheelHint: boolean;
}

/** Every field of `ScatterHooks`, to tell whether a report changes anything. */
export const HOOK_KEYS: readonly (keyof ScatterHooks)[] = [
  'glState',
  'glError',
  'uploadedCount',
  'visibleCount',
  'selectedCount',
  'frameCount',
  'thumbnailCount',
  'transform',
  'lasso',
  'showWheelHint',
];

export function initialHooks(): ScatterHooks {
  return {
    glState: 'starting',
    glError: '',
    uploadedCount: 0,
    visibleCount: 0,
    selectedCount: 0,
    frameCount: 0,
    thumbnailCount: 0,
    transform: zoomIdentity,
    lasso: null,
    showWheelHint: false,
  };
}
