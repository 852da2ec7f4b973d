/**
 * The pointer and keys over the scatter: hover and click picking, reporting empty space in data
 * coordinates, the Shift+drag lasso, the wheel hint and keyboard pan and zoom. Reads where the
 * points are from the controller, and reports the lasso and the hint through it.
 */
import { unframe, type Aspect } from '../../lib/scatter-geometry';
import { pickNearest, type PointTree } from '../../lib/scatter-tree';
import { wheelZooms } from '../../lib/wheel-zoom';
import type { ScatterController } from './scatter-controller';
import { keyMove } from './scatter-keyboard';
import { extendLasso, lassoHits } from './scatter-lasso';
import { localPoint, pickRadius } from './scatter-picking';
import { applyKeyMove } from './scatter-zoom';

/** How long the "Ctrl + scroll" hint stays after the last plain wheel over the unfocused plot. */
const HINT_MS = 1600;

type Back = ReturnType<typeof unframe>;

export class ScatterGestures {
  readonly #scatter: ScatterController;
  /** The pointer is over empty space and `onempty` was told where. */
  #overEmpty = false;
  #hintTimer: ReturnType<typeof setTimeout> | null = null;
  /** Framed → data coordinates of the positions given, worked out when the pointer first asks. */
  #back: { positions: Float32Array; aspect: Aspect; back: Back } | null = null;

  constructor(scatter: ScatterController) {
    this.#scatter = scatter;
  }

  dispose(): void {
    if (this.#hintTimer !== null) clearTimeout(this.#hintTimer);
  }

  #local(event: MouseEvent): [number, number] {
    const element = this.#scatter.canvas ?? event.currentTarget;
    const rect = element instanceof Element ? element.getBoundingClientRect() : { left: 0, top: 0 };
    return localPoint(rect, event);
  }

  #pickAt(event: MouseEvent, index: PointTree | null): number | null {
    if (!index) return null;
    const scatter = this.#scatter;
    const [px, py] = this.#local(event);
    const radius = pickRadius(scatter.hooks.thumbnailCount, scatter.viewport(), scatter.pointRadius());
    return pickNearest(index, scatter.scales(), px, py, radius, scatter.isVisible);
  }

  pointerMove(event: PointerEvent): void {
    const scatter = this.#scatter;
    const { lasso } = scatter.hooks;
    if (lasso) {
      scatter.report({ lasso: extendLasso(lasso, this.#local(event)) });
      return;
    }
    const tree = scatter.settledTree;
    // Mid-transition the hover stays as it is: indexing moving points on every move costs too much.
    if (event.buttons !== 0 || !tree) return;
    const index = this.#pickAt(event, tree);
    if (index !== scatter.hovered) {
      scatter.hovered = index;
      scatter.input().onhover?.(index, event.clientX, event.clientY);
    }
    if (scatter.input().onempty) this.#reportEmpty(index === null ? event : null);
  }

  /** Framed → data coordinates of the positions shown, null without finite positions. */
  #backToData(): Back {
    const { positions, aspect } = this.#scatter.input();
    const memo = this.#back;
    if (memo && memo.positions === positions && memo.aspect === aspect) return memo.back;
    const back = unframe(positions, Math.floor(positions.length / 2), aspect);
    this.#back = { positions, aspect, back };
    return back;
  }

  /** Tells `onempty` where the pointer is in data coordinates, or that it is not over empty space. */
  #reportEmpty(event: PointerEvent | null): void {
    const { onempty } = this.#scatter.input();
    const back = event ? this.#backToData() : null;
    if (!event || !back) {
      if (this.#overEmpty) onempty?.(null);
      this.#overEmpty = false;
      return;
    }
    const [px, py] = this.#local(event);
    const scales = this.#scatter.scales();
    const [x, y] = back(scales.x.invert(px), scales.y.invert(py));
    this.#overEmpty = true;
    onempty?.({ x, y, clientX: event.clientX, clientY: event.clientY });
  }

  pointerLeave(event: PointerEvent): void {
    const scatter = this.#scatter;
    if (this.#overEmpty) this.#reportEmpty(null);
    if (scatter.hovered === null || scatter.hooks.lasso) return;
    scatter.hovered = null;
    scatter.input().onhover?.(null, event.clientX, event.clientY);
  }

  pointerDown(event: PointerEvent): void {
    const canvas = this.#scatter.canvas;
    if (!event.shiftKey || event.button !== 0 || !canvas) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    this.#scatter.report({ lasso: [this.#local(event)] });
  }

  pointerUp(): void {
    const scatter = this.#scatter;
    const polygon = scatter.hooks.lasso;
    if (!polygon) return;
    scatter.report({ lasso: null });
    if (polygon.length < 3) return;
    const index = scatter.pointTree();
    if (!index) return;
    const hits = lassoHits(index, scatter.scales(), polygon, scatter.isVisible);
    if (hits) scatter.input().onlasso?.(hits);
  }

  pointerCancel(): void {
    this.#scatter.report({ lasso: null });
  }

  click(event: MouseEvent): void {
    // A Shift+click is a lasso too short to count, not a pick.
    if (event.shiftKey) return;
    this.#scatter.input().onclick?.(this.#pickAt(event, this.#scatter.pointTree()));
  }

  /** A wheel over the plot that will not zoom it (the page scrolls): show how to zoom, briefly. */
  wheel(event: WheelEvent): void {
    const scatter = this.#scatter;
    if (wheelZooms(event, scatter.isFocused())) {
      scatter.report({ showWheelHint: false });
      return;
    }
    scatter.report({ showWheelHint: true });
    if (this.#hintTimer !== null) clearTimeout(this.#hintTimer);
    this.#hintTimer = setTimeout(() => {
      scatter.report({ showWheelHint: false });
      this.#hintTimer = null;
    }, HINT_MS);
  }

  focused(): void {
    this.#scatter.report({ showWheelHint: false });
  }

  keyDown(event: KeyboardEvent): void {
    const scatter = this.#scatter;
    const canvas = scatter.canvas;
    if (!canvas) return;
    if (event.key === 'Escape' && scatter.hooks.lasso) {
      scatter.report({ lasso: null });
      return;
    }
    const move = keyMove(event.key, scatter.hooks.transform.k);
    if (!move) return;
    event.preventDefault();
    if (move.kind === 'reset') scatter.resetZoom();
    else applyKeyMove(scatter.zoom, canvas, move);
  }
}
