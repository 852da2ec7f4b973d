/**
 * The soak's renderer part: the built browser host in Chromium, training built-in MNIST with the
 * latent map redrawn part-way every few batches, while the page's JS heap is read after a forced
 * GC through the Chrome DevTools protocol. Map updates are counted in the page: every change of
 * the map's `data-layout-hash` is one layout drawn.
 */
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../tests/e2e/support/chromium';
import { rm } from 'node:fs/promises';
import { chromium, type Page } from '@playwright/test';
import { launchBrowserHost } from '../../tests/e2e/fixtures/browser-host';
import { fillSettings, waitUntilReady } from '../../tests/e2e/support/journeys';
import { clock, leastSquares, mb, MB } from './soak-stats';

export interface RendererSoakOptions {
  seconds: number;
  /** Seconds between heap readings. */
  interval: number;
}

interface Sample {
  seconds: number;
  updates: number;
  epoch: number;
  heap: number;
  nodes: number;
  listeners: number;
}

export interface RendererSoakResult {
  samples: Sample[];
  slopePer100: number;
  noGrowth: boolean;
  lines: string[];
}

/**
 * "No growth" threshold, in MB of GC'd heap per 100 map updates. One leaked layout of the 5,000
 * displayed points is 40 KB of positions alone (4 MB per 100 updates), so 0.5 MB per 100 catches
 * anything that keeps an eighth of a layout (5 KB) per update. Below it is noise: after a forced
 * GC the used heap still moves by a few hundred KB with what is in flight (a layout message, a
 * progress event, the sprite and thumbnail caches filling), which over hundreds of updates moves
 * the fitted slope by well under 0.5.
 */
const NO_GROWTH_MB_PER_100 = 0.5;
/** Samples before this many map updates are warm-up (points, colours and GL buffers first allocated). */
const WARM_UP_UPDATES = 5;

const SETTINGS = {
  trainLimit: 20_000,
  testLimit: 1_000,
  displayCount: 5_000,
  epochs: 10_000,
  mapEveryBatches: 2,
};

declare global {
  interface Window {
    soakMapUpdates?: number;
  }
}

async function countMapUpdates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const map = document.querySelector('[data-testid="latent-map"]');
    if (!map) throw new Error('no latent map in the page');
    window.soakMapUpdates = 0;
    let last = map.getAttribute('data-layout-hash');
    new MutationObserver(() => {
      const hash = map.getAttribute('data-layout-hash');
      if (hash && hash !== last) window.soakMapUpdates = (window.soakMapUpdates ?? 0) + 1;
      last = hash;
    }).observe(map, { attributes: true, attributeFilter: ['data-layout-hash'] });
  });
}

export async function soakRenderer(options: RendererSoakOptions): Promise<RendererSoakResult> {
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  const { host, child } = await launchBrowserHost();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await waitUntilReady(page);
    await fillSettings(page, SETTINGS);
    await countMapUpdates(page);
    await page.getByTestId('view-tab-map').click();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const start = performance.now();
    const sample = async (): Promise<Sample> => {
      // Twice: the first pass can leave finalisable objects the second frees.
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const counters = await cdp.send('Memory.getDOMCounters');
      const updates = await page.evaluate(() => window.soakMapUpdates ?? 0);
      const epoch = Number(await page.getByTestId('latent-map').getAttribute('data-epoch'));
      return {
        seconds: (performance.now() - start) / 1000,
        updates,
        epoch,
        heap: usedSize,
        nodes: counters.nodes,
        listeners: counters.jsEventListeners,
      };
    };
    const show = (label: string, s: Sample) =>
      say(
        `${label.padEnd(6)} ${clock(s.seconds).padStart(5)}   ${String(s.updates).padStart(11)}   ` +
          `${s.epoch.toFixed(2).padStart(6)}   ${mb(s.heap, 2).padStart(11)}   ${String(s.nodes).padStart(9)}   ` +
          `${String(s.listeners).padStart(9)}`,
      );
    say(
      `browser host: MNIST, trainLimit ${SETTINGS.trainLimit}, display ${SETTINGS.displayCount} points, ` +
        `map every ${SETTINGS.mapEveryBatches} batches; heap read every ${options.interval} s after GC`,
    );
    say('         time   map updates    epoch   JS heap MB   DOM nodes   listeners');
    const samples: Sample[] = [];
    const before = await sample();
    samples.push(before);
    show('start', before);
    await page.getByTestId('train-button').click();
    while ((performance.now() - start) / 1000 + options.interval <= options.seconds) {
      await page.waitForTimeout(options.interval * 1000);
      const state = await page.getByTestId('train-state').textContent();
      if (state && /failed|diverged|cancelled|completed/.test(state)) {
        say(`training stopped early: ${state}`);
        break;
      }
      const s = await sample();
      samples.push(s);
      show('', s);
    }
    const end = await sample();
    samples.push(end);
    show('end', end);

    const fitted = samples.filter((s) => s.updates >= WARM_UP_UPDATES);
    const fit = leastSquares(
      fitted.map((s) => s.updates),
      fitted.map((s) => s.heap / MB),
    );
    const slopePer100 = fit.slope * 100;
    // Too short a stretch to tell a slope from noise: fewer than 5 readings or 100 updates.
    const span = fitted.length > 0 ? fitted.at(-1)!.updates - fitted[0]!.updates : 0;
    const judged = fitted.length >= 5 && span >= 100;
    const noGrowth = judged && slopePer100 <= NO_GROWTH_MB_PER_100;
    const first = fitted[0];
    say('');
    say(
      `renderer: ${end.updates} map updates over ${end.epoch.toFixed(2)} epochs in ${clock(end.seconds)}; JS heap after GC ` +
        `${mb(before.heap, 2)} MB before training, ${first ? mb(first.heap, 2) : '–'} MB after warm-up ` +
        `(${WARM_UP_UPDATES} updates), ${mb(end.heap, 2)} MB at the end (max ${mb(Math.max(...samples.map((s) => s.heap)), 2)} MB)`,
    );
    say(
      `  least-squares slope over ${fitted.length} samples: ${slopePer100.toFixed(3)} ± ` +
        `${(fit.slopeError * 100).toFixed(3)} MB per 100 map updates (no-growth threshold ` +
        `${NO_GROWTH_MB_PER_100}) → ${judged ? (noGrowth ? 'no growth' : 'GROWTH') : `too few readings or updates to judge (${fitted.length}, ${span})`}`,
    );
    say(
      `  DOM nodes ${before.nodes} → ${end.nodes}, JS event listeners ${before.listeners} → ${end.listeners}`,
    );
    return { samples, slopePer100, noGrowth, lines };
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await rm(host.dataDirectory, { recursive: true, force: true });
  }
}
