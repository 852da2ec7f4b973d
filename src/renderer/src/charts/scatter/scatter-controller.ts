// ~320 lines: the frame loop and the per-frame state it reads are one unit; gestures, drawing and GL live beside it.
/**
 * The scatter's plain-TypeScript controller: the frame loop and animation clock, the GL layer's
 * lifecycle, the overlay and the zoom (the pointer and keys are scatter-gestures.ts). It reads the
 * component's props through `input` and tells it what to show through `publish`; Svelte's
 * reactivity stays in the component.
 * Per-frame state lives here, outside that reactivity. Coordinates are framed (each axis in [-1, 1]).
 */
import { select, zoomIdentity, type ZoomTransform } from 'd3';
import { prepareCanvas } from '../../lib/canvas';
import {
  framePositions,
  maxZoom,
  pointRadius,
  SCATTER_PADDING,
  screenScales,
  thumbnailSize,
  type Aspect,
  type ScreenScales,
  type Viewport,
} from '../../lib/scatter-geometry';
import { fitColours, packFlags, type ScatterGl } from '../../lib/scatter-gl';
import { buildTree, pointsInView, type PointTree } from '../../lib/scatter-tree';
import { ThumbnailCache } from '../../lib/thumbnail-cache';
import { PointMotion } from './scatter-animation';
import { drawPoints, startScatterGl, watchContext } from './scatter-gl-layer';
import { drawRing, drawThumbnails } from './scatter-overlays';
import { countFlags, isShown } from './scatter-picking';
import { HOOK_KEYS, initialHooks, type ScatterHooks, type ScatterInputs } from './scatter-props';
import { MIN_ZOOM, prefersReducedMotion, scatterZoom, zoomCanvas } from './scatter-zoom';

/**
 * Only points inside the view get a thumbnail, and it is pushed inside the plot (not cut at its
 * edge): one for a point beyond the edge would sit over a spot the point is not at.
 */
const THUMBNAIL_MARGIN = 0;

export class ScatterController {
  readonly input: () => ScatterInputs;
  readonly #publish: (hooks: ScatterHooks) => void;
  #hooks = initialHooks();
  #canvas: HTMLCanvasElement | null = null;
  #overlay: HTMLCanvasElement | null = null;
  #gl: ScatterGl | null = null;
  readonly #motion = new PointMotion();
  #flags: Uint8Array = new Uint8Array(0);
  /** Built from the resting positions once the points settle; null while they move. */
  #tree: PointTree | null = null;
  /** The point under the pointer, as last told to `onhover` (gestures own it; new data clears it). */
  hovered: number | null = null;
  #overlayDrawn = false;
  /** The points need drawing again; the overlay is redrawn every frame, as it is cheap. */
  #pointsDirty = true;
  /** The `viewKey` the zoom was last fitted to (undefined: none yet). */
  #fittedKey: string | number | null | undefined = undefined;
  #frame: number | null = null;
  readonly #thumbnails = new ThumbnailCache(() => this.requestDraw(false));
  readonly zoom = scatterZoom(
    () => this.isFocused(),
    (transform) => {
      this.report({ transform });
      this.requestDraw();
      this.input().onzoom?.(transform);
    },
  );

  constructor(input: () => ScatterInputs, publish: (hooks: ScatterHooks) => void) {
    this.input = input;
    this.#publish = publish;
  }

  /** Starts the GL layer on `canvas` and the zoom; returns what undoes both. */
  attach(canvas: HTMLCanvasElement, overlay: HTMLCanvasElement): () => void {
    this.#canvas = canvas;
    this.#overlay = overlay;
    this.#startGl();
    const unwatch = watchContext(
      canvas,
      () => {
        this.#gl = null;
        this.report({ glState: 'lost', uploadedCount: 0 });
      },
      () => {
        this.#startGl();
        this.requestDraw();
      },
    );
    const selection = select(canvas);
    selection.call(this.zoom);
    return () => {
      unwatch();
      selection.on('.zoom', null);
      this.#gl?.dispose();
      this.#gl = null;
    };
  }

  /** Cancels the pending frame and drops the loaded thumbnails. */
  dispose(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#thumbnails.clear();
  }

  /** Tells the component what changed (and nothing when nothing did). */
  report(change: Partial<ScatterHooks>): void {
    const hooks = this.#hooks;
    const next = { ...hooks, ...change };
    // Only a real change reaches Svelte: the frame loop reports its counts every frame.
    if (HOOK_KEYS.every((key) => Object.is(hooks[key], next[key]))) return;
    this.#hooks = next;
    this.#publish(next);
  }

  #startGl(): void {
    if (!this.#canvas) return;
    const started = startScatterGl(this.#canvas);
    if (!started.ok) {
      this.#gl = null;
      this.report({ glState: 'unavailable', glError: started.error });
      return;
    }
    const gl = started.gl;
    this.#gl = gl;
    this.report({ glState: 'ready' });
    // A restored context starts empty: everything goes up again from the CPU copies.
    const { from, to } = this.#motion;
    if (to) gl.setPositions(from ?? to, to);
    this.uploadColours();
    this.uploadFlags();
    this.report({ uploadedCount: gl.count });
    this.requestDraw();
  }

  /** Takes new positions (framed as `aspect` says): they glide there when the count is the same. */
  setPositions(next: Float32Array, aspect: Aspect): void {
    const count = Math.floor(next.length / 2);
    const framed = framePositions(next, count, aspect);
    const target = this.#motion.to;
    const sameCount = target !== null && target.length === framed.length;
    // Points keep their index across updates, so the same count means the same items moving.
    this.#motion.retarget(framed, sameCount && !prefersReducedMotion(), performance.now());
    this.#tree = null;
    if (!sameCount) {
      this.zoom.scaleExtent([MIN_ZOOM, maxZoom(count)]);
      this.hovered = null;
    }
    const { viewKey } = this.input();
    if (count > 0 && viewKey !== this.#fittedKey) {
      this.#fittedKey = viewKey;
      const { k, x, y } = this.#hooks.transform;
      if (k !== 1 || x !== 0 || y !== 0) this.zoomTo(zoomIdentity);
    }
    const { from, to } = this.#motion;
    if (from && to) this.#gl?.setPositions(from, to);
    if (!sameCount) {
      this.uploadColours();
      this.uploadFlags();
    }
    this.report({ uploadedCount: this.#gl?.count ?? 0 });
    this.requestDraw();
  }

  uploadColours(): void {
    const target = this.#motion.to;
    if (!target) return;
    this.#gl?.setColours(fitColours(this.input().colours, target.length / 2));
  }

  uploadFlags(): void {
    const target = this.#motion.to;
    const { visible, selected } = this.input();
    this.#flags = packFlags(target ? target.length / 2 : 0, visible, selected);
    this.#gl?.setFlags(this.#flags);
    const counts = countFlags(this.#flags);
    this.report({ visibleCount: counts.visible, selectedCount: counts.selected });
    this.requestDraw();
  }

  readonly isVisible = (i: number): boolean => isShown(this.#flags, i);

  /** Schedules a frame; `points: false` when only the overlay (thumbnails, highlight) changed. */
  requestDraw(points = true): void {
    if (points) this.#pointsDirty = true;
    this.#frame ??= requestAnimationFrame((now) => this.#drawFrame(now));
  }

  get hooks(): ScatterHooks {
    return this.#hooks;
  }

  get canvas(): HTMLCanvasElement | null {
    return this.#canvas;
  }

  /** The settled index; null while the points move or before they are indexed. */
  get settledTree(): PointTree | null {
    return this.#tree;
  }

  /** The settled index, or mid-transition a one-off index of where the points are now. */
  pointTree(): PointTree | null {
    if (this.#tree) return this.#tree;
    const coords = this.#motion.shownAt(performance.now());
    return coords ? buildTree(coords) : null;
  }

  #drawFrame(now: number): void {
    this.#frame = null;
    const canvas = this.#canvas;
    const { width, height, dpr } = this.input();
    if (!canvas || width <= 0 || height <= 0) return;
    const motion = this.#motion;
    if (motion.moving) this.#pointsDirty = true;
    const t = motion.advance(now);
    const scales = this.scales();
    const gl = this.#gl;
    const drewPoints = gl !== null && this.#pointsDirty;
    if (gl && this.#pointsDirty)
      drawPoints(gl, canvas, scales, { width, height, dpr, t, radius: this.pointRadius() });
    this.#pointsDirty = false;
    if (motion.moving) this.requestDraw();
    else if (!this.#tree && motion.to) this.#indexWhenPainted(motion.to);
    const drewOverlay = this.#drawOverlay(scales, t);
    if (drewPoints || drewOverlay) this.report({ frameCount: this.#hooks.frameCount + 1 });
  }

  /**
   * Indexes the resting positions once, not every frame of a transition, and in a task of its own:
   * 100,000 points take tens of milliseconds, which the settled frame should not wait for.
   */
  #indexWhenPainted(settled: Float32Array): void {
    setTimeout(() => {
      if (this.#motion.to !== settled || this.#motion.moving || this.#tree) return;
      this.#tree = buildTree(settled);
      // Thumbnails need the index: the overlay may have something to show now.
      this.requestDraw(false);
    }, 0);
  }

  viewport(): Viewport {
    const { width, height } = this.input();
    return { width, height, padding: SCATTER_PADDING };
  }

  scales(): ScreenScales {
    return screenScales(this.viewport(), this.#hooks.transform, this.input().aspect);
  }

  pointRadius(): number {
    return pointRadius(this.#gl?.count ?? 0, this.#hooks.transform.k, this.input().radius);
  }

  /** The interactive layer: thumbnails when few points are in view, and the highlight. Says if it painted. */
  #drawOverlay(scales: ScreenScales, t: number): boolean {
    const overlay = this.#overlay;
    if (!overlay) return false;
    const { thumbnail, thumbnailLimit, highlight, colours, width, height } = this.input();
    const view = this.viewport();
    const tree = this.#tree;
    const { from, to, moving } = this.#motion;
    const settled = tree !== null && !moving;
    const inView =
      thumbnail && tree && settled
        ? pointsInView(tree, scales, view, thumbnailLimit, THUMBNAIL_MARGIN, this.isVisible)
        : null;
    // Too many in view: the user zoomed out, so the loaded images are stale.
    if (thumbnail && settled && !inView) this.#thumbnails.clear();
    const spot = highlight !== null && this.isVisible(highlight) ? highlight : null;
    if (!inView?.length && spot === null) {
      const wasDrawn = this.#overlayDrawn;
      if (wasDrawn) prepareCanvas(overlay, width, height);
      this.#overlayDrawn = false;
      this.report({ thumbnailCount: 0 });
      return wasDrawn;
    }
    const ctx = prepareCanvas(overlay, width, height);
    this.#overlayDrawn = true;
    if (!ctx) return false;
    const thumbnailCount =
      inView?.length && thumbnail && to
        ? drawThumbnails(ctx, scales, inView, {
            target: to,
            colours,
            flags: this.#flags,
            highlight,
            view,
            size: thumbnailSize(inView.length, view),
            anySelected: this.#hooks.selectedCount > 0,
            urlOf: thumbnail,
            image: (url) => this.#thumbnails.get(url),
          })
        : 0;
    this.report({ thumbnailCount });
    if (spot !== null && !(thumbnailCount && inView?.includes(spot)) && to) {
      drawRing(ctx, scales, spot, { from, target: to, t, colours, pointRadius: this.pointRadius() });
    }
    return true;
  }

  isFocused(): boolean {
    return this.#canvas !== null && document.activeElement === this.#canvas;
  }

  /** Back to the whole data set in view. */
  resetZoom(animated = true): void {
    this.zoomTo(zoomIdentity, animated);
  }

  /** Moves the view to `next` (d3 zoom transform over the element's CSS pixels). */
  zoomTo(next: ZoomTransform, animated = false): void {
    if (this.#canvas) zoomCanvas(this.zoom, this.#canvas, next, animated);
  }

  /** Moves the focus to the plot (its keys work, and the plain wheel zooms it). */
  focus(): void {
    this.#canvas?.focus();
  }
}
