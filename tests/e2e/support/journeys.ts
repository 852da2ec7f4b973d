/** User journeys written once and run against every host (browser host, Electron window). */
import { mkdir } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { distinctPaletteColours } from './canvas-colours';

export const SMALL_MNIST = { trainLimit: 2_000, testLimit: 1_000, displayCount: 1_000, epochs: 2 };

/** Types the settings into the sidebar the way a person would. */
export async function fillSettings(page: Page, settings: Record<string, number>): Promise<void> {
  for (const [field, value] of Object.entries(settings)) {
    const input = page.getByTestId(`setting-${field}`);
    await input.fill(String(value));
    await expect(input).toHaveValue(String(value));
  }
}

/** Opens the app, trains built-in MNIST with `settings` and waits for the last epoch's map. */
export async function trainMnistRun(page: Page, url: string, settings: Record<string, number>) {
  await page.goto(url);
  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
  await fillSettings(page, settings);
  await page.getByTestId('train-button').click();
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', String(settings['epochs']), { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  return { map, scatter: map.getByTestId('scatter') };
}

/** First launch → built-in MNIST → train 2 epochs → loss chart and latent map formed. */
export async function trainMnistAndWatchTheMapForm(page: Page, screenshotName: string): Promise<void> {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  await expect(page.getByTestId('backend-label')).toContainText(/WebAssembly|TensorFlow|CPU/);
  await expect(page.getByTestId('dataset-source')).toHaveValue('mnist');
  await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
  await expect(page.getByTestId('latent-map')).toHaveAttribute('data-epoch', '0');
  await expect(page.getByTestId('train-state')).toHaveText('idle');
  await fillSettings(page, SMALL_MNIST);

  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-state')).toHaveText(/loading|running/);
  // data-epoch changes only once the engine's layout of an epoch is on the map: no sleeps. Epoch 1
  // may be on screen for less than a poll of this check; the timeline shows it was kept.
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', /^[12]$/, { timeout: 120_000 });
  await expect(map).toHaveAttribute('data-epoch', '2', { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-epochs', '2');

  await expect(map).toHaveAttribute('data-point-count', String(SMALL_MNIST.displayCount));
  await expect(map).toHaveAttribute('data-class-count', '10');
  // Pixels, not just attributes: the WebGL scatter shows all ten class colours.
  await expect(map.getByTestId('scatter')).toHaveAttribute(
    'data-point-count',
    String(SMALL_MNIST.displayCount),
  );
  expect(await distinctPaletteColours(map.getByTestId('scatter'))).toBe(10);

  const chart = page.getByTestId('loss-chart');
  await expect(chart).toHaveAttribute('data-epoch-points', '2');
  expect(Number(await chart.getAttribute('data-batch-points'))).toBeGreaterThan(2);
  expect(pageErrors).toEqual([]);

  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/${screenshotName}.png` });
}
