/**
 * A run that diverges, on every host: a wide MLP VAE (2,048 units) with a fixed-σ Gaussian
 * likelihood at learning rate 1 blows up within its first batches (`latent-studio train` with
 * these settings: "diverged … at epoch 1, batch 4"). The app stops it, says "diverged" in plain words, and
 * the run is listed as diverged; the app goes on working.
 */
import { expect, test } from '../fixtures/app-host';
import { fillSettings, screenshotEveryView, showView, waitUntilReady } from '../support/journeys';

test('a diverging run stops and says "diverged"', async ({ app }) => {
  const page = await app.launch();
  await waitUntilReady(page);
  await page.getByTestId('setting-model').selectOption('mlp');
  await page.getByTestId('setting-likelihood').selectOption('gaussian-fixed');
  await fillSettings(page, {
    width: 2_048,
    trainLimit: 2_000,
    testLimit: 500,
    displayCount: 500,
    epochs: 2,
    learningRate: 1,
  });
  await page.getByTestId('train-button').click();

  await expect(page.getByTestId('train-state')).toHaveText('diverged', { timeout: 120_000 });
  const panel = page.getByTestId('diverged-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('diverged-message')).toContainText(/NaN or infinite at epoch 1, batch \d+/);
  await screenshotEveryView(page, app.kind, 'diverged');

  await showView(page, 'runs');
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-state', 'diverged');
  // Still usable: the next run, at a sane rate, trains.
  await fillSettings(page, { learningRate: 0.001, width: 400, epochs: 1 });
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-state')).toHaveText('completed', { timeout: 120_000 });
});
