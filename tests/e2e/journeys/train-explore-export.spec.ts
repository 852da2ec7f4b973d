/**
 * The main journey, on every host: first launch → built-in MNIST → train two epochs → the map
 * forms → hover and lasso → reconstructions → gallery (prior samples, interpolation, traversal) →
 * export → the test log-likelihood the engine estimated when training ended → quit. Exports are checked where they land, in the run's folder, because the desktop
 * saves a download through a native dialog that a test cannot click.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test } from '../fixtures/app-host';
import { distinctPaletteColours } from '../support/canvas-colours';
import {
  collectPageErrors,
  fillSettings,
  screenshotEveryView,
  showView,
  waitUntilReady,
} from '../support/journeys';
import { hoverAnyPoint, lassoMiddle, expectLoadedImage } from '../support/map-gestures';

const RUN = { trainLimit: 2_000, testLimit: 500, displayCount: 800, epochs: 2 };
const MNIST_SIZE = 28;

/** The exported file called `name` somewhere under the run's exports folder. */
async function exportedFile(dataDirectory: string, runId: string, name: string): Promise<string> {
  const root = path.join(dataDirectory, 'runs', runId, 'exports');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const match = entries.find((entry) => entry.isFile() && entry.name === name);
  expect(match, `${name} under ${root}`).toBeTruthy();
  return path.join(match!.parentPath, match!.name);
}

test('first launch → MNIST → train → map → lasso → gallery → export → quit', async ({ app }) => {
  test.setTimeout(240_000);
  const page = await app.launch();
  const pageErrors = collectPageErrors(page);

  // First launch: the built-in MNIST is chosen, nothing trained yet, the backend is named.
  await waitUntilReady(page);
  await expect(page.getByTestId('backend-label')).toContainText(/WebAssembly|TensorFlow|CPU/);
  await expect(page.getByTestId('dataset-source')).toHaveValue('mnist');
  await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
  await expect(page.getByTestId('train-state')).toHaveText('idle');
  await screenshotEveryView(page, app.kind, 'first-launch');

  // Train two epochs; the map follows the engine's layouts, epoch by epoch.
  await fillSettings(page, RUN);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-state')).toHaveText(/loading|running|completed/);
  const map = page.getByTestId('latent-map');
  const scatter = map.getByTestId('scatter');
  await expect(map).toHaveAttribute('data-epoch', /^[12]$/, { timeout: 120_000 });
  await expect(map).toHaveAttribute('data-epoch', '2', { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  await expect(map).toHaveAttribute('data-layout-final', 'true');
  await expect(scatter).toHaveAttribute('data-gl', 'ready');
  await expect(map).toHaveAttribute('data-point-count', String(RUN.displayCount));
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-epochs', '2');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-epoch-points', '2');
  expect(await distinctPaletteColours(scatter)).toBe(10);
  const runId = (await map.getAttribute('data-run-id'))!;
  expect(runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]+$/);

  // Hover: the point's image and its reconstruction; a click pins it for the gallery.
  const tooltip = page.getByTestId('map-tooltip');
  const spot = await hoverAnyPoint(page, scatter, tooltip);
  await expectLoadedImage(tooltip.getByTestId('point-image'));
  await expectLoadedImage(tooltip.getByTestId('point-reconstruction'));
  await page.mouse.click(spot.x, spot.y);
  const pinned = page.getByTestId('pinned-point');
  await expect(pinned).toBeVisible();
  await pinned.getByTestId('pinned-gallery-around').click();

  // Lasso the middle of the map and reconstruct what it caught.
  await lassoMiddle(page, scatter);
  const selected = Number(await page.getByTestId('selection-count').getAttribute('data-count'));
  expect(selected).toBeGreaterThan(0);
  await expect(scatter).toHaveAttribute('data-selected-count', String(selected));
  await page.getByTestId('reconstruct-selection').click();
  await expect(page.getByTestId('view-tab-gallery')).toHaveAttribute('aria-selected', 'true');
  const recon = page.getByTestId('gallery-reconstructions');
  await expect(recon).toHaveAttribute('data-source', 'selection');
  await expect(recon.getByTestId('recon-pair')).toHaveCount(Math.min(selected, 400));
  await recon.getByTestId('recon-back-to-sample').click();
  await expect(recon).toHaveAttribute('data-epoch', '2');
  await expect(recon.getByTestId('recon-pair')).toHaveCount(32);

  // Gallery: prior samples, an interpolation from the pinned point, a traversal around it.
  const samples = page.getByTestId('gallery-samples');
  await expect(samples.getByTestId('sample-grid')).toHaveAttribute('data-tile-count', '64');
  await samples.getByTestId('sample-size').selectOption('5');
  await expect(samples.getByTestId('sample-grid')).toHaveAttribute('data-tile-count', '25');
  const interpolation = page.getByTestId('gallery-interpolation');
  await interpolation.getByTestId('interp-start-pinned').click();
  await interpolation.getByTestId('interp-end-origin').click();
  await expect(interpolation.getByTestId('interpolation-strip')).toHaveAttribute('data-tile-count', '10');
  const traversal = page.getByTestId('gallery-traversal');
  await expect(traversal.getByTestId('traversal-around')).not.toHaveAttribute('data-anchor', 'origin');
  await expect(traversal.getByTestId('traversal-grid')).toHaveAttribute('data-tile-count', /^[1-9]\d*$/);
  await expect(page.getByTestId('gallery-error')).toHaveCount(0);

  // Export the 5 × 5 sample grid at 2×: a PNG of five 56-pixel tiles (and thin gaps) a side.
  await samples.getByTestId('gallery-export-scale').selectOption('2');
  await samples.getByTestId('gallery-export-grid').click();
  const gridLink = samples.getByTestId('gallery-export-file').first();
  await expect(gridLink).toBeVisible();
  const gridFile = await exportedFile(app.dataDirectory, runId, (await gridLink.textContent())!.trim());
  const { width = 0, height = 0 } = await sharp(gridFile).metadata();
  expect(width).toBe(height);
  expect(width).toBeGreaterThanOrEqual(5 * MNIST_SIZE * 2);
  expect(width).toBeLessThanOrEqual(5 * MNIST_SIZE * 2 + 4 * 8);

  // Export the map's codes as CSV: one row per point.
  await showView(page, 'map');
  await page.getByTestId('export-menu').click();
  await page.getByTestId('export-csv').click();
  const csvLink = page.getByTestId('export-file').first();
  await expect(csvLink).toBeVisible();
  const csvFile = await exportedFile(app.dataDirectory, runId, (await csvLink.textContent())!.trim());
  const rows = (await readFile(csvFile, 'utf8')).trim().split(/\r?\n/);
  expect(rows).toHaveLength(RUN.displayCount + 1);
  await page.keyboard.press('Escape');

  // The engine estimated the test log-likelihood when training ended (IWAE, K = 100 on the run's
  // 500 capped test images), for the best checkpoint by validation; the loss panel shows it.
  const likelihood = page.getByTestId('end-likelihood');
  await expect(likelihood).toBeVisible({ timeout: 60_000 });
  await expect(likelihood).toContainText(
    /Test NLL \(IWAE, K = 100, 500 test images, epoch [12], (best by validation|newest checkpoint)\) ≤ \d/,
  );
  await expect(likelihood.getByTestId('end-likelihood-nll')).toHaveText(/^\d+\.\d$/);
  await expect(likelihood.getByTestId('end-likelihood-bits')).toHaveText(/^0\.\d{3}$/);
  const nll = Number(await likelihood.getAttribute('data-nll'));
  // An MLP VAE after two short epochs: well below the 543 nats of a coin flip per pixel.
  expect(nll).toBeGreaterThan(50);
  expect(nll).toBeLessThan(400);
  const screens = path.join('test-results', 'screens', app.kind);
  await mkdir(screens, { recursive: true });
  await page.getByTestId('loss-panel').screenshot({ path: path.join(screens, 'trained-likelihood.png') });

  await screenshotEveryView(page, app.kind, 'trained');

  // The run opened in the Runs tab lists the estimates its folder kept, with K = 1,000 and 5,000 on offer.
  await showView(page, 'runs');
  await page.getByTestId('run-row').filter({ hasText: runId }).getByTestId('run-open-button').click();
  const details = page.getByTestId('run-details');
  const kept = details.getByTestId('likelihood-estimate');
  await expect(kept).toHaveCount(1);
  await expect(kept).toHaveAttribute('data-automatic', 'true');
  await expect(kept).toHaveAttribute('data-samples', '100');
  await expect(details.getByTestId('likelihood-compute')).toBeEnabled();
  await details
    .getByTestId('likelihood')
    .screenshot({ path: path.join(screens, 'trained-run-likelihood.png') });
  expect(pageErrors).toEqual([]);

  // Quit: the window closes and the app exits cleanly, leaving the run complete on disk.
  const exit = await app.quit();
  expect(exit).toEqual({ exitCode: 0, signal: null });
  const status = JSON.parse(
    await readFile(path.join(app.dataDirectory, 'runs', runId, 'status.json'), 'utf8'),
  );
  expect(status).toMatchObject({ state: 'completed' });
});
