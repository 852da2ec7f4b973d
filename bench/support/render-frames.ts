/**
 * Frame times of Scatter.webgl.svelte under a scripted pan/zoom, in headless Chromium: builds the
 * bench page (bench/render) with vite into a temporary folder, serves it on 127.0.0.1 and drives
 * it with Playwright. A frame time is the interval between the animation frame that drew and the
 * next one, v-synced as on screen, so it holds everything a user waits for: script, GL, compositing.
 * Headless Chromium has no GPU here: WebGL2 runs on SwiftShader (ANGLE's CPU rasteriser), whose cost
 * grows with every point on screen; `drawMs` isolates that part.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type {} from '../render/bench-api';

export interface RenderFramesOptions {
  /** Synthetic points on the map (default 100,000). */
  points?: number;
  /** Where to save a PNG of the whole map and one zoomed in until thumbnails show. */
  screenshots?: { overview?: string; zoomed?: string };
  /** Chromium binary (default `CHROMIUM_PATH` or /usr/bin/chromium). */
  executablePath?: string;
}

export interface RenderFramesResult {
  points: number;
  /** Frames the scatter drew during the pan/zoom script. */
  frames: number;
  medianMs: number;
  p95Ms: number;
  /** The GL renderer string, e.g. `ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …))`. */
  renderer: string;
  /** Median GPU time to draw every point in full view, waited for with a pixel read-back. */
  drawMs: number;
}

const CONFIG = path.resolve(__dirname, '../render/vite.config.mts');
const VIEWPORT = { width: 1280, height: 800 };
const STEPS = 60;

export async function measureRenderFrames(options: RenderFramesOptions = {}): Promise<RenderFramesResult> {
  const points = options.points ?? 100_000;
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'scatter-bench-'));
  let server: Server | null = null;
  try {
    // Imported, not required: under tsx this file is CommonJS, and a required vite is a second copy
    // beside the one the Svelte plugin imports, which breaks the build (.svelte.ts, preload polyfill).
    const { build } = await import('vite');
    await build({ configFile: CONFIG, build: { outDir }, logLevel: 'warn' });
    server = await serve(outDir);
    const { port } = server.address() as AddressInfo;
    const browser = await chromium.launch({
      executablePath: options.executablePath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      // WebGL2 without a GPU: ANGLE on SwiftShader (Chromium wants the opt-in since v137).
      args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    try {
      const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`http://127.0.0.1:${port}/index.html?points=${points}`);
      await page.waitForFunction(
        (count) => {
          const element = document.querySelector<HTMLElement>('[data-testid="scatter"]');
          return element?.dataset['pointCount'] === String(count) && Number(element.dataset['frame']) > 0;
        },
        points,
        { timeout: 60_000 },
      );
      if ((await page.getByTestId('scatter').getAttribute('data-gl')) !== 'ready') {
        throw new Error('the scatter has no WebGL2 context');
      }
      const renderer = await page.evaluate(() => window.renderBench!.renderer);
      if (options.screenshots?.overview) await page.screenshot({ path: options.screenshots.overview });

      await page.evaluate(() => window.renderBench!.startRecording());
      await panAndZoom(page);
      const intervals = await page.evaluate(() => window.renderBench!.stopRecording());
      const drawMs = await page.evaluate(() => window.renderBench!.measureDraw(10));

      if (options.screenshots?.zoomed) {
        await zoomUntilThumbnails(page);
        await page.screenshot({ path: options.screenshots.zoomed });
      }
      if (errors.length) throw new Error(`the bench page failed: ${errors.join('; ')}`);
      return {
        points,
        frames: intervals.length,
        medianMs: quantile(intervals, 0.5),
        p95Ms: quantile(intervals, 0.95),
        renderer,
        drawMs,
      };
    } finally {
      await browser.close();
    }
  } finally {
    server?.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

/** 60 steps: wheel zooms in towards a cluster and back out, with drags in between. */
async function panAndZoom(page: Page): Promise<void> {
  const cx = VIEWPORT.width / 2;
  const cy = VIEWPORT.height / 2;
  await page.mouse.move(cx, cy);
  for (let step = 0; step < STEPS; step++) {
    if (step % 3 === 2) {
      const dx = 120 * Math.cos(step);
      const dy = 80 * Math.sin(step);
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx + dx, cy + dy, { steps: 6 });
      await page.mouse.up();
    } else {
      await page.mouse.move(cx + 200 * Math.sin(step / 7), cy + 120 * Math.cos(step / 5));
      // Zoom in for the first half, out for the second: the view ends near where it began.
      await page.mouse.wheel(0, step < STEPS / 2 ? -150 : 150);
    }
    await nextFrame(page);
  }
}

/**
 * Wheels in where two clusters meet (the synthetic layout is the same for any point count) until
 * few enough points are in view for thumbnails; d3-zoom keeps that spot under the cursor.
 */
async function zoomUntilThumbnails(page: Page): Promise<void> {
  const scatter = page.getByTestId('scatter');
  await page.evaluate(() => window.renderBench!.resetZoom());
  await page.mouse.move(VIEWPORT.width * 0.2, VIEWPORT.height * 0.6);
  for (let i = 0; i < 40; i++) {
    if (Number(await scatter.getAttribute('data-thumbnail-count')) > 0) break;
    await page.mouse.wheel(0, -300);
    await nextFrame(page);
  }
  // Thumbnails decode asynchronously; give them a few frames to arrive.
  for (let i = 0; i < 10; i++) await nextFrame(page);
}

function nextFrame(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** A static file server for the built page; nothing outside `root` is reachable. */
function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    const notFound = () => response.writeHead(404).end();
    if (!file.startsWith(root + path.sep)) return notFound();
    stat(file).then((info) => {
      if (!info.isFile()) return notFound();
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(response);
    }, notFound);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
