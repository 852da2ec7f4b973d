/**
 * Cancel in the middle of an epoch, on every host: training stops within a few batches, before
 * the epoch ends, the run is listed as cancelled, and the app trains again right away.
 */
import { expect, test } from '../fixtures/app-host';
import { fillSettings, showView, screenshotEveryView, waitUntilReady } from '../support/journeys';

test('cancel mid-epoch stops the run before the epoch ends', async ({ app }) => {
  const page = await app.launch();
  await waitUntilReady(page);
  // 50,000 of the 55,022 training images (MNIST's others are validation): one epoch is 391 batches.
  await fillSettings(page, { trainLimit: 50_000, testLimit: 500, displayCount: 500, epochs: 3 });
  await page.getByTestId('train-button').click();
  const progress = page.getByTestId('progress');
  await expect(progress).toHaveAttribute('data-batch', /^([5-9]|\d\d+)$/, { timeout: 120_000 });
  // The batch on screen when the click lands, read in the page: Playwright's own checks before a
  // click can take hundreds of milliseconds, dozens of small batches.
  await page.evaluate(() => {
    const button = document.querySelector('[data-testid="cancel-button"]')!;
    const progressBar = document.querySelector('[data-testid="progress"]')!;
    button.addEventListener(
      'click',
      () => (document.body.dataset['batchAtCancel'] = progressBar.getAttribute('data-batch') ?? ''),
      { capture: true, once: true },
    );
  });
  await page.getByTestId('cancel-button').click();
  const before = Number(await page.locator('body').getAttribute('data-batch-at-cancel'));

  await expect(page.getByTestId('train-state')).toHaveText('cancelled');
  await expect(progress).toHaveAttribute('data-epoch', '1');
  const after = Number(await progress.getAttribute('data-batch'));
  // The engine stops within one batch of the request (tests/integration/engine-process); here the
  // page also sees the batches that were already on their way when the click landed.
  expect(after - before).toBeLessThan(20);
  expect(after).toBeLessThan(391);
  await showView(page, 'map');
  // No epoch ended, so there is no map: said so, not an endless "Loading".
  await expect(page.getByTestId('map-placeholder')).toContainText('No map for this run');
  await screenshotEveryView(page, app.kind, 'cancelled');

  await showView(page, 'runs');
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-state', 'cancelled');
  await fillSettings(page, { trainLimit: 2_000, epochs: 1 });
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-state')).toHaveText('completed', { timeout: 120_000 });
});
