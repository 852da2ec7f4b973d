/**
 * Quit while a run trains and start the app again, on every host: the run is listed as
 * interrupted with the epochs it finished, and Continue trains it on from its newest checkpoint,
 * its history intact.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '../fixtures/app-host';
import { fillSettings, screenshotEveryView, showView, waitUntilReady } from '../support/journeys';

const RUN = { trainLimit: 4_000, testLimit: 500, displayCount: 500, epochs: 60 };

test('quit mid-run → start again → the interrupted run continues from its checkpoint', async ({ app }) => {
  test.setTimeout(200_000);
  let page = await app.launch();
  await waitUntilReady(page);
  await fillSettings(page, RUN);
  await page.getByTestId('train-button').click();
  const map = page.getByTestId('latent-map');
  // The map shows epoch 2 only after it ended, so epoch 1's checkpoint is surely on disk.
  await expect(map).toHaveAttribute('data-epoch', /^([2-9]|\d\d)$/, { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('running');
  const runId = (await map.getAttribute('data-run-id'))!;

  await app.quit();
  const checkpoints = (await readdir(path.join(app.dataDirectory, 'runs', runId, 'checkpoints'))).filter(
    (name) => /^epoch-\d+$/.test(name),
  );
  expect(checkpoints.length).toBeGreaterThan(0);

  page = await app.launch();
  await waitUntilReady(page);
  await showView(page, 'runs');
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(row).toHaveAttribute('data-state', 'interrupted');
  const done = Number(await row.getAttribute('data-epochs-done'));
  expect(done).toBeGreaterThanOrEqual(1);
  await screenshotEveryView(page, app.kind, 'interrupted');

  await row.getByTestId('run-continue-button').click();
  const form = page.getByTestId('run-continue-form');
  await form.getByTestId('run-continue-epochs').fill(String(done + 2));
  await form.getByTestId('run-continue-submit').click();
  await expect(page.getByTestId('train-state')).toHaveText('completed', { timeout: 120_000 });
  await showView(page, 'map');
  const reopened = page.getByTestId('latent-map');
  await expect(reopened).toHaveAttribute('data-run-id', runId);
  await expect(reopened).toHaveAttribute('data-epoch', String(done + 2), { timeout: 60_000 });
  // The curve keeps the epochs trained before the restart.
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-epoch-points', String(done + 2));
  await showView(page, 'runs');
  await expect(row).toHaveAttribute('data-state', 'completed');
  await screenshotEveryView(page, app.kind, 'resumed');
});
