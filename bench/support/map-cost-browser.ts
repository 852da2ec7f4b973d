/**
 * The map-cost bench through the whole app: the built browser host (`npm run build` first) in
 * Chromium at 1440×900, trained as a person would — settings typed, Train pressed, and once the
 * first epoch's map is drawn, the method chosen in the projection controls and Compute pressed.
 * Everything the map costs is in the figure: the engine's layouts on its worker, the frames sent
 * over the socket, and the page drawing them (software GL here) on the same cores as training.
 * Per-epoch training img/s come from the run's metrics.jsonl.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../tests/e2e/support/chromium';
import { fillSettings, waitUntilReady } from '../../tests/e2e/support/journeys';
import { startBuiltBrowserHost } from './built-browser-host';

export interface BrowserRunOptions {
  mode: 'off' | 'pca' | 'umap' | 'tsne';
  epochs: number;
  trainLimit: number;
  displayCount: number;
}

async function metricsOf(dataDirectory: string): Promise<number[]> {
  const runsRoot = path.join(dataDirectory, 'runs');
  const [runId] = await readdir(runsRoot);
  const text = await readFile(path.join(runsRoot, runId!, 'metrics.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { imagesPerSecond: number }).imagesPerSecond);
}

async function chooseMethod(page: Page, method: 'pca' | 'umap' | 'tsne'): Promise<void> {
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 180_000 });
  if (method === 'pca') return;
  await page.getByTestId('projection-method').selectOption(method);
  await page.getByTestId('projection-compute').click();
}

/** Per-epoch training img/s of one run in the browser host, and its wall time. */
export async function browserRun(options: BrowserRunOptions): Promise<{ perEpoch: number[]; wall: number }> {
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-map-cost-'));
  const { child, url } = await startBuiltBrowserHost(dataDirectory, 'ignore');
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await waitUntilReady(page);
    await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
    await fillSettings(page, {
      trainLimit: options.trainLimit,
      epochs: options.epochs,
      displayCount: options.mode === 'off' ? 10 : options.displayCount,
    });
    const start = performance.now();
    await page.getByTestId('train-button').click();
    if (options.mode !== 'off') await chooseMethod(page, options.mode);
    await expect(page.getByTestId('train-state')).toHaveText('completed', {
      timeout: options.epochs * 300_000,
    });
    const wall = (performance.now() - start) / 1000;
    return { perEpoch: await metricsOf(dataDirectory), wall };
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await rm(dataDirectory, { recursive: true, force: true }).catch(() => undefined);
  }
}
