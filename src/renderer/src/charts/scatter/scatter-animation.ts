/**
 * The points' glide between position sets. The GPU does the per-frame `mix`; the CPU only keeps
 * the two framed arrays and the clock, so it can replay the shader's lerp where it needs to know
 * where a point is drawn now (picking mid-transition, the highlight ring, a new glide's start).
 */
import { easeCubic } from 'd3';
import { lerpInto } from '../../lib/latent-layout';

export const ANIMATION_MS = 600;

/** Eased progress, 0–1, of a glide that started at `startedAt`, as the shader's `mix` sees it. */
export function glideProgress(now: number, startedAt: number, duration = ANIMATION_MS): number {
  return easeCubic(Math.min(1, Math.max(0, (now - startedAt) / duration)));
}

/** Where point `index` is drawn at eased progress `t`, framed; `from` of another length: at `to`. */
export function pointAt(
  from: Float32Array | null,
  to: Float32Array,
  index: number,
  t: number,
): [number, number] | null {
  if (2 * index + 1 >= to.length) return null;
  const start = from && from.length === to.length ? from : to;
  const fx = start[2 * index]! + (to[2 * index]! - start[2 * index]!) * t;
  const fy = start[2 * index + 1]! + (to[2 * index + 1]! - start[2 * index + 1]!) * t;
  return [fx, fy];
}

/** The framed positions the points glide from and to, and the clock of the glide. */
export class PointMotion {
  /** Where the glide started (framed); the target itself when nothing moves. */
  from: Float32Array | null = null;
  /** Where the points come to rest (framed). */
  to: Float32Array | null = null;
  moving = false;
  #startedAt = 0;

  /** Sends the points to `framed`: gliding from where they are drawn now, or jumping there. */
  retarget(framed: Float32Array, glide: boolean, now: number): void {
    this.from = (glide ? this.shownAt(now) : null) ?? framed;
    this.to = framed;
    this.moving = glide;
    this.#startedAt = now;
  }

  /** The eased progress of the frame at `now`; the glide ends once it reaches the target. */
  advance(now: number): number {
    if (!this.moving) return 1;
    if ((now - this.#startedAt) / ANIMATION_MS >= 1) this.moving = false;
    return glideProgress(now, this.#startedAt);
  }

  /** Where the points are on screen at `now`, framed: mid-transition, the CPU replays the shader's lerp. */
  shownAt(now: number): Float32Array | null {
    const { from, to } = this;
    if (!to || !from || !this.moving) return to;
    const out = new Float32Array(to.length);
    lerpInto(from, to, glideProgress(now, this.#startedAt), out);
    return out;
  }
}
