/**
 * Visual baselines of the main views in the browser host, compared with a tolerance: a broken
 * layout, a lost style sheet or a view that no longer renders fails here, while anti-aliasing
 * does not. What changes from run to run (the scatter's points, the loss curve, timings) is masked.
 * Baselines live next to this file; after an intended change, look at the diff in the report and
 * refresh them with `npx playwright test tests/e2e/visual.spec.ts --update-snapshots`.
 */
import { expect, test } from './fixtures/browser-host';
import { fillSettings, openApp, showView, VIEWS } from './support/journeys';

const TOLERANCE = { maxDiffPixelRatio: 0.02, threshold: 0.3 } as const;

test('browser host: the main views look as they should', async ({ page, browserHost }) => {
  await openApp(page, browserHost.url);
  await page.mouse.move(1, 1);
  for (const view of VIEWS) {
    await showView(page, view);
    // The minutes under the epochs depend on how fast this machine trained a few steps.
    await expect(page).toHaveScreenshot(`${view}-first-launch.png`, {
      ...TOLERANCE,
      mask: [page.getByTestId('run-estimate')],
    });
  }

  await fillSettings(page, { trainLimit: 1_000, testLimit: 500, displayCount: 500, epochs: 1 });
  await page.getByTestId('train-button').click();
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 120_000 });
  await expect(map).toHaveAttribute('data-layout-final', 'true');
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  await showView(page, 'map');
  await page.mouse.move(1, 1);
  await expect(page).toHaveScreenshot('map-trained.png', {
    ...TOLERANCE,
    mask: [
      map.getByTestId('scatter'),
      page.getByTestId('loss-panel'),
      page.getByTestId('progress'),
      page.locator('.elapsed'),
      page.getByTestId('legend-item'),
      page.getByTestId('run-estimate'),
    ],
  });
});
