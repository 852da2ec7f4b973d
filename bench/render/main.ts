/**
 * The render bench page: Scatter.webgl.svelte alone with `?points=N` (default 100,000) seeded
 * synthetic points in ten classes, coloured with the app's palette. Hover rings a point, click pins
 * it, Shift+drag lassoes. `window.renderBench` is the driver's handle (bench/support/render-frames.ts).
 */
import { median, rgb, zoomIdentity, type ZoomTransform } from 'd3';
import { mount } from 'svelte';
import '../../src/renderer/src/styles/app.css';
import Scatter from '../../src/renderer/src/charts/Scatter.webgl.svelte';
import {
  SCATTER_PADDING,
  autoOpacity,
  framePositions,
  linearCoefficients,
  pointRadius,
  screenScales,
} from '../../src/renderer/src/lib/scatter-geometry';
import { ScatterGl, packFlags, rendererName } from '../../src/renderer/src/lib/scatter-gl';
import { categoricalColour } from '../../src/renderer/src/lib/point-colours';
import { formatInt } from '../../src/renderer/src/lib/format';
import type { RenderBench } from './bench-api';
import { reactiveProps } from './reactive-props.svelte';
import { CLASSES, nextEpoch, syntheticPoints } from './synthetic-points';

interface ScatterExports {
  resetZoom(animated?: boolean): void;
  zoomTransform(): ZoomTransform;
}

const count = Number(new URLSearchParams(location.search).get('points') ?? 100_000);
const points = syntheticPoints(count);
const colours = new Uint8Array(count * 4);
const palette = Array.from({ length: CLASSES }, (_, c) => rgb(categoricalColour(c)));
for (let i = 0; i < count; i++) {
  const colour = palette[points.labels[i]!]!;
  colours.set([colour.r, colour.g, colour.b, 255], 4 * i);
}

const root = document.querySelector<HTMLElement>('#bench')!;
const plot = root.querySelector<HTMLElement>('.plot')!;
root.querySelector('.caption')!.textContent =
  `${formatInt(count)} points · ${CLASSES} classes · Scatter.webgl.svelte`;
root.querySelector('.legend')!.append(
  ...palette.map((colour, c) => {
    const item = document.createElement('li');
    item.style.setProperty('--swatch', colour.formatHex());
    item.textContent = String(c);
    return item;
  }),
);

let pinned: number | null = null;
const props = reactiveProps({
  positions: points.positions,
  colours,
  selected: null as Uint8Array | null,
  highlight: null as number | null,
  thumbnail,
  onhover: (index: number | null) => {
    if (pinned === null) props.highlight = index;
  },
  onclick: (index: number | null) => {
    pinned = index;
    props.highlight = index;
  },
  onlasso: (indices: Uint32Array) => {
    const mask = new Uint8Array(count);
    for (const i of indices) mask[i] = 1;
    props.selected = indices.length ? mask : null;
  },
});
let current = points.positions;
let epoch = 0;
const scatter = mount(Scatter, { target: plot, props }) as unknown as ScatterExports;

/**
 * Stand-in images: the class digit, white on black and tilted like MNIST, in a few variants each.
 * Made up front: an app's thumbnail URLs are cheap to name, and encoding PNGs mid-frame would time
 * this page rather than the scatter.
 */
const VARIANTS = 6;
const images = Array.from({ length: CLASSES * VARIANTS }, (_, k) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 28;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, 28, 28);
  ctx.translate(14, 15);
  ctx.rotate(((k % VARIANTS) / (VARIANTS - 1) - 0.5) * 0.6);
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${19 + (k % 3) * 2}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(Math.floor(k / VARIANTS)), 0, 0);
  return canvas.toDataURL();
});
function thumbnail(index: number): string | null {
  return images[points.labels[index]! * VARIANTS + (index % VARIANTS)] ?? null;
}

// Frame timing: the interval after each rAF in which the scatter drew (its data-frame moved).
const element = plot.querySelector<HTMLElement>('[data-testid="scatter"]')!;
let samples: number[] = [];
let recording = false;
function tick(now: number, last: number, lastFrame: number): void {
  if (!recording) return;
  const drawn = Number(element.dataset['frame']);
  if (drawn !== lastFrame && last > 0) samples.push(now - last);
  requestAnimationFrame((next) => tick(next, now, drawn));
}

const canvas = element.querySelector('canvas')!;
// The same canvas hands back the context the scatter created.
const gl = canvas.getContext('webgl2');

const bench: RenderBench = {
  points: count,
  renderer: gl ? rendererName(gl) : 'WebGL2 unavailable',
  startRecording() {
    samples = [];
    recording = true;
    requestAnimationFrame((now) => tick(now, 0, Number(element.dataset['frame'])));
  },
  stopRecording() {
    recording = false;
    return samples;
  },
  measureDraw(repeats) {
    return measureDraw(repeats);
  },
  pointOnScreen(index) {
    const rect = canvas.getBoundingClientRect();
    const framed = framePositions(current, count);
    const view = { width: rect.width, height: rect.height, padding: SCATTER_PADDING };
    const { x, y } = screenScales(view, scatter.zoomTransform());
    return [rect.left + x(framed[2 * index]!), rect.top + y(framed[2 * index + 1]!)];
  },
  transition() {
    current = nextEpoch(points, ++epoch);
    props.positions = current;
  },
  resetZoom() {
    scatter.resetZoom(false);
  },
};
window.renderBench = bench;

function measureDraw(repeats: number): number {
  const rect = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const offscreen = document.createElement('canvas');
  offscreen.width = Math.round(rect.width * dpr);
  offscreen.height = Math.round(rect.height * dpr);
  const context = offscreen.getContext('webgl2', { antialias: false, premultipliedAlpha: true });
  if (!context) return NaN;
  const layer = new ScatterGl(context);
  const framed = framePositions(current, count);
  layer.setPositions(framed, framed);
  layer.setColours(colours);
  layer.setFlags(packFlags(count, null, null));
  const { x, y } = screenScales(
    { width: rect.width, height: rect.height, padding: SCATTER_PADDING },
    zoomIdentity,
  );
  const [x0, xk] = linearCoefficients(x);
  const [y0, yk] = linearCoefficients(y);
  const frame = {
    width: offscreen.width,
    height: offscreen.height,
    scale: [(2 * xk) / rect.width, (-2 * yk) / rect.height] as const,
    offset: [(2 * x0) / rect.width - 1, 1 - (2 * y0) / rect.height] as const,
    t: 1,
    radius: pointRadius(count, 1) * dpr,
    opacity: autoOpacity(count),
    dim: 1,
    dpr,
  };
  const pixel = new Uint8Array(4);
  const times: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const start = performance.now();
    layer.draw(frame);
    // Reading a pixel back waits for the GPU (here SwiftShader) to finish the draw.
    context.readPixels(0, 0, 1, 1, context.RGBA, context.UNSIGNED_BYTE, pixel);
    // The first draw also compiles and uploads: leave it out.
    if (i > 0) times.push(performance.now() - start);
  }
  layer.dispose();
  context.getExtension('WEBGL_lose_context')?.loseContext();
  return median(times) ?? NaN;
}
