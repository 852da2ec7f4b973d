/**
 * Quit while a run trains and start the app again, on every host: quitting stops the run cleanly
 * (the desktop asks first; the test agrees), the next launch offers to continue it, and Continue
 * trains it on from its newest checkpoint to its planned epochs, its history intact.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '../fixtures/app-host';
import { screenshotEveryView, showView, startTraining, waitUntilReady } from '../support/journeys';

const RUN = { trainLimit: 4_000, testLimit: 500, displayCount: 500, epochs: 12 };

test('quit mid-run → start again → the interrupted run continues from its checkpoint', async ({ app }) => {
  test.setTimeout(200_000);
  let page = await app.launch();
  await waitUntilReady(page);
  const map = await startTraining(page, RUN);
  // The map shows epoch 2 only after it ended, so epoch 1's checkpoint is surely on disk.
  await expect(map).toHaveAttribute('data-epoch', /^([2-9]|\d\d)$/, { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('running');
  const runId = (await map.getAttribute('data-run-id'))!;

  const exit = await app.quit();
  expect(exit).toEqual({ exitCode: 0, signal: null });
  const runDirectory = path.join(app.dataDirectory, 'runs', runId);
  // Stopped on purpose, between batches: marked interrupted, not left "running".
  expect(JSON.parse(await readFile(path.join(runDirectory, 'status.json'), 'utf8'))).toMatchObject({
    state: 'interrupted',
  });
  const checkpoints = (await readdir(path.join(runDirectory, 'checkpoints'))).filter((name) =>
    /^epoch-\d+$/.test(name),
  );
  expect(checkpoints.length).toBeGreaterThan(0);

  page = await app.launch();
  await waitUntilReady(page);
  const offer = page.getByTestId('resume-offer');
  await expect(offer).toHaveAttribute('data-run-id', runId);
  const checkpoint = Number(await offer.getAttribute('data-checkpoint'));
  expect(checkpoint).toBeGreaterThanOrEqual(1);
  await expect(offer).toContainText(`epoch ${checkpoint} of ${RUN.epochs}`);
  await screenshotEveryView(page, app.kind, 'interrupted');
  await showView(page, 'runs');
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(row).toHaveAttribute('data-state', 'interrupted');

  await offer.getByTestId('resume-offer-continue').click();
  await expect(offer).toHaveCount(0);
  await expect(page.getByTestId('train-state')).toHaveText('completed', { timeout: 120_000 });
  await showView(page, 'map');
  const reopened = page.getByTestId('latent-map');
  await expect(reopened).toHaveAttribute('data-run-id', runId);
  await expect(reopened).toHaveAttribute('data-epoch', String(RUN.epochs), { timeout: 60_000 });
  // The curve keeps the epochs trained before the restart.
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-epoch-points', String(RUN.epochs));
  await showView(page, 'runs');
  await expect(row).toHaveAttribute('data-state', 'completed');
  await screenshotEveryView(page, app.kind, 'resumed');
});
