/**
 * Browser host: managing runs in the Runs tab. One run is trained through the UI and two more are
 * prepared as copies of its folder (other datasets' names, other validation figures, one named in
 * its run-meta.json). The journey names, tags and notes the trained run (kept across a reload),
 * finds runs by text and state, sorts them by name and by best validation −ELBO, duplicates a run's
 * settings into the training form, and deletes the opened run after a confirmation: it leaves the
 * list, its details close, and its folder is in runs/.trash, as the page says.
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '../fixtures/browser-host';
import { showView, trainMnistRun } from '../support/journeys';

const RUN = { trainLimit: 1_000, testLimit: 200, displayCount: 200, epochs: 1 };
const COPIES = [
  { id: '20260101-090000-aaaa', datasetName: 'Sprites copy', epochs: 7, shift: -20, name: 'Zebra sweep' },
  { id: '20260102-090000-bbbb', datasetName: 'Faces copy', epochs: 4, shift: 15, name: null },
];
const SHOTS = '/tmp/runs-shots';

/** A copy of a run folder under another id, another dataset name, plan and validation figures. */
async function prepareCopy(runs: string, runId: string, copy: (typeof COPIES)[number]): Promise<void> {
  const directory = path.join(runs, copy.id);
  await cp(path.join(runs, runId), directory, { recursive: true });
  const config = JSON.parse(await readFile(path.join(directory, 'config.json'), 'utf8')) as {
    runId: string;
    datasetName: string;
    settings: { epochs: number };
  };
  config.runId = copy.id;
  config.datasetName = copy.datasetName;
  config.settings.epochs = copy.epochs;
  await writeFile(path.join(directory, 'config.json'), JSON.stringify(config));
  const lines = (await readFile(path.join(directory, 'metrics.jsonl'), 'utf8')).trim().split('\n');
  const shifted = lines.map((line) => {
    const metrics = JSON.parse(line) as { validationLoss: number };
    return JSON.stringify({ ...metrics, validationLoss: metrics.validationLoss + copy.shift });
  });
  await writeFile(path.join(directory, 'metrics.jsonl'), shifted.join('\n') + '\n');
  if (copy.name) {
    await writeFile(
      path.join(directory, 'run-meta.json'),
      JSON.stringify({ version: 1, name: copy.name, note: '', tags: ['sweep'] }),
    );
  }
}

test('browser host: rename, tag, find, sort, duplicate and delete runs', async ({ page, browserHost }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await mkdir(SHOTS, { recursive: true });
  await trainMnistRun(page, browserHost.url, RUN);
  const runs = path.join(browserHost.dataDirectory, 'runs');
  await showView(page, 'runs');
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(1);
  const runId = (await rows.first().getAttribute('data-run-id'))!;
  for (const copy of COPIES) await prepareCopy(runs, runId, copy);
  await page.getByTestId('runs-refresh-button').click();
  await expect(rows).toHaveCount(3);

  // Name, tags and note of the trained run.
  const trained = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await trained.getByTestId('run-more-button').click();
  await page.screenshot({ path: path.join(SHOTS, 'runs-menu.png') });
  await page.getByTestId('run-actions-menu').getByTestId('run-edit-button').filter({ visible: true }).click();
  const form = page.getByTestId('run-meta-form');
  await form.getByTestId('run-meta-name').fill('Baseline digits');
  await form.getByTestId('run-meta-tags').fill('baseline, mnist, Baseline');
  await form.getByTestId('run-meta-note').fill('first try\nlr 1e-3');
  await page.screenshot({ path: path.join(SHOTS, 'runs-edit.png') });
  await form.getByTestId('run-meta-save').click();
  await expect(form).toHaveCount(0);
  await expect(trained.getByTestId('run-name')).toHaveText('Baseline digits');
  await expect(trained.getByTestId('run-tag')).toHaveText(['baseline', 'mnist']);
  await expect(trained.getByTestId('run-note')).toHaveAttribute('title', 'first try\nlr 1e-3');
  expect(JSON.parse(await readFile(path.join(runs, runId, 'run-meta.json'), 'utf8'))).toEqual({
    version: 1,
    name: 'Baseline digits',
    note: 'first try\nlr 1e-3',
    tags: ['baseline', 'mnist'],
  });
  // Kept in the run's folder: a reload shows it.
  await page.reload();
  await showView(page, 'runs');
  await expect(trained.getByTestId('run-name')).toHaveText('Baseline digits');

  // Find by words in a tag, the dataset, a name; by state.
  const filter = page.getByTestId('runs-filter-text');
  await filter.fill('sweep');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-run-id', COPIES[0]!.id);
  await filter.fill('copy');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('runs-shown-count')).toHaveText('2 of 3');
  await filter.fill('nothing like this');
  await expect(page.getByTestId('runs-none-match')).toBeVisible();
  await filter.fill('');
  await page.getByTestId('runs-filter-state').selectOption('completed');
  await expect(rows).toHaveCount(3);
  await page.getByTestId('runs-filter-state').selectOption('failed');
  await expect(rows).toHaveCount(0);
  await page.getByTestId('runs-filter-state').selectOption('all');

  // Sort: by name A–Z (a run without a name goes by its dataset and date), by best validation −ELBO.
  const order = () => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-run-id')));
  await page.getByTestId('runs-sort').selectOption('name');
  await expect.poll(order).toEqual([runId, COPIES[1]!.id, COPIES[0]!.id]);
  await page.getByTestId('runs-sort').selectOption('best');
  await expect.poll(order).toEqual([COPIES[0]!.id, runId, COPIES[1]!.id]);
  await page.getByTestId('runs-sort-direction').click();
  await expect.poll(order).toEqual([COPIES[1]!.id, runId, COPIES[0]!.id]);
  await page.getByTestId('runs-sort').selectOption('epochs');
  await expect(page.getByTestId('runs-sort-direction')).toContainText('Most first');
  await page.getByTestId('runs-sort').selectOption('best');
  await page.getByTestId('runs-sort-direction').click();
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(SHOTS, 'runs-sorted.png') });
  await filter.fill('copy');
  await page.screenshot({ path: path.join(SHOTS, 'runs-filtered.png') });
  await filter.fill('');

  // Duplicate settings: the training form takes the copy's planned epochs.
  const sprites = page.locator(`[data-testid="run-row"][data-run-id="${COPIES[0]!.id}"]`);
  await expect(sprites.locator('td.right.num').first()).toHaveText('1 / 7');
  await sprites.getByTestId('run-more-button').click();
  await page.getByTestId('run-duplicate-button').filter({ visible: true }).click();
  await expect(page.getByTestId('view-tab-dataset')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('setting-epochs')).toHaveValue('7');
  await showView(page, 'runs');

  // Delete the opened run: asked first; Cancel keeps it.
  await trained.getByTestId('run-open-button').click();
  await expect(trained).toHaveAttribute('data-explored', 'true');
  await expect(page.getByTestId('run-details')).toBeVisible();
  await trained.getByTestId('run-more-button').click();
  await page.getByTestId('run-delete-button').filter({ visible: true }).click();
  const dialog = page.getByTestId('run-delete-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Baseline digits');
  await expect(dialog).toContainText('.trash');
  await page.screenshot({ path: path.join(SHOTS, 'runs-delete-dialog.png') });
  await dialog.getByTestId('run-delete-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(rows).toHaveCount(3);
  await trained.getByTestId('run-more-button').click();
  await page.getByTestId('run-delete-button').filter({ visible: true }).click();
  await page.getByTestId('run-delete-confirm').click();
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('run-details')).toHaveCount(0);
  await expect(page.getByTestId('runs-deleted')).toContainText(`.trash/${runId}`);
  expect(await readdir(path.join(runs, '.trash'))).toEqual([runId]);
  expect((await readdir(runs)).sort()).toEqual(['.trash', COPIES[0]!.id, COPIES[1]!.id].sort());
  await page.screenshot({ path: path.join(SHOTS, 'runs-after-delete.png') });
  // The app stays usable: the map no longer shows the deleted run, another run opens.
  await sprites.getByTestId('run-open-button').click();
  await expect(sprites).toHaveAttribute('data-explored', 'true');
  await page.reload();
  await showView(page, 'runs');
  await expect(rows).toHaveCount(2);
});
