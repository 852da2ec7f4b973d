/**
 * The 2-D layer over the points, drawn each frame from (context, scales, state): image thumbnails
 * once few enough points are in view, and the highlighted point's ring. Pure drawing: no state of
 * its own, so the controller decides what shows and these only paint it.
 */
import {
  linearCoefficients,
  thumbnailBox,
  type ScreenScales,
  type Viewport,
} from '../../lib/scatter-geometry';
import { FLAG_SELECTED } from '../../lib/scatter-gl';
import { pointAt } from './scatter-animation';

/** Room kept between a thumbnail and the plot's edge: the highlight's white frame is 4 px out. */
export const THUMBNAIL_INSET = 5;

/** Point `i`'s colour as CSS (mid grey past the end of the colours). */
export function rgbCss(colours: Uint8Array, i: number): string {
  const r = colours[4 * i] ?? 128;
  const g = colours[4 * i + 1] ?? 128;
  const b = colours[4 * i + 2] ?? 128;
  return `rgb(${r} ${g} ${b})`;
}

export interface ThumbnailState {
  /** Resting positions, framed. */
  target: Float32Array;
  colours: Uint8Array;
  flags: Uint8Array;
  highlight: number | null;
  view: Viewport;
  /** Thumbnail side in CSS pixels. */
  size: number;
  /** Some point is selected: the others' thumbnails fade. */
  anySelected: boolean;
  /** Point → image URL (null: none). */
  urlOf: (index: number) => string | null;
  /** URL → its decoded image, null while it loads. */
  image: (url: string) => CanvasImageSource | null;
}

/** Draws the thumbnails of the points `inView`; says how many it drew. */
export function drawThumbnails(
  ctx: CanvasRenderingContext2D,
  scales: ScreenScales,
  inView: number[],
  state: ThumbnailState,
): number {
  const { target, colours, flags, highlight, view, size, anySelected } = state;
  const [x0, xk] = linearCoefficients(scales.x);
  const [y0, yk] = linearCoefficients(scales.y);
  // The highlighted point's thumbnail goes last, on top.
  const order =
    highlight !== null && inView.includes(highlight)
      ? [...inView.filter((i) => i !== highlight), highlight]
      : inView;
  let drawn = 0;
  for (const i of order) {
    const url = state.urlOf(i);
    if (!url) continue;
    const box = thumbnailBox(
      x0 + xk * target[2 * i]!,
      y0 + yk * target[2 * i + 1]!,
      size,
      view,
      THUMBNAIL_INSET,
    );
    const x = box.left;
    const y = box.top;
    ctx.globalAlpha = anySelected && !((flags[i] ?? 0) & FLAG_SELECTED) ? 0.3 : 1;
    const image = state.image(url);
    if (image) {
      ctx.fillStyle = rgbCss(colours, i);
      ctx.fillRect(x - 1.5, y - 1.5, size + 3, size + 3);
      ctx.drawImage(image, x, y, size, size);
    } else {
      // Still loading: an outline in the point's colour, not a solid block that reads as data.
      ctx.fillStyle = 'rgba(13, 15, 19, 0.55)';
      ctx.fillRect(x, y, size, size);
      ctx.strokeStyle = rgbCss(colours, i);
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x - 0.75, y - 0.75, size + 1.5, size + 1.5);
    }
    if (i === highlight) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 4, y - 4, size + 8, size + 8);
    }
    drawn++;
  }
  ctx.globalAlpha = 1;
  return drawn;
}

export interface RingState {
  /** Where the points glide from and to (framed), and the eased progress between them. */
  from: Float32Array | null;
  target: Float32Array;
  t: number;
  colours: Uint8Array;
  /** The dot's radius in CSS pixels now. */
  pointRadius: number;
}

/** The highlighted point at full strength inside a white ring, mid-transition included. */
export function drawRing(
  ctx: CanvasRenderingContext2D,
  scales: ScreenScales,
  index: number,
  state: RingState,
): void {
  const framed = pointAt(state.from, state.target, index, state.t);
  if (!framed) return;
  const x = scales.x(framed[0]);
  const y = scales.y(framed[1]);
  const r = Math.max(state.pointRadius * 1.6, 2.5);
  ctx.fillStyle = rgbCss(state.colours, index);
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
  // A dark edge parts the point from same-coloured neighbours inside its ring.
  ctx.strokeStyle = 'rgba(13, 15, 19, 0.9)';
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(x, y, r + 3, 0, 2 * Math.PI);
  ctx.stroke();
}
