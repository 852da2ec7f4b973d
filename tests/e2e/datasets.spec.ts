/**
 * Datasets in the browser host: open a generated image folder with bad files through the folder
 * browser, read the per-label counts and the skipped list, save it as CSV, train one epoch on it;
 * and colour the sprites' latent map by a generative factor.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { launchBrowserHost, type BrowserHostHandle } from './fixtures/browser-host';
import { fillSettings } from './support/journeys';
import { BLUE, GREEN, RED, makeTempDir } from '../support/image-fixtures';
import { writeSolidClasses } from './support/class-folder';

/** A class folder whose name is markup: it must show as text and never run. */
const MARKUP_LABEL = '<img src=x onerror=alert(1)>';
let host: BrowserHostHandle;
let child: ChildProcess;

test.beforeAll(async () => {
  const parent = await makeTempDir('latent-studio-ui-datasets-');
  const pets = path.join(parent, 'pets');
  const classes = [
    ['cats', RED, 14],
    ['dogs', GREEN, 12],
    [MARKUP_LABEL, BLUE, 10],
  ] as const;
  await writeSolidClasses(pets, classes, 24);
  await writeFile(path.join(pets, 'cats', 'empty.png'), '');
  await writeFile(path.join(pets, 'cats', '=cmd|calc.png'), 'not an image at all');
  await writeFile(path.join(pets, 'dogs', 'notes.txt'), 'hello');
  ({ host, child } = await launchBrowserHost(['--data-root', parent]));
});
test.afterAll(() => child?.kill('SIGTERM'));

test('browser host: open a folder with bad files, read counts and skipped files, train one epoch', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // A small batch for a 33-image training split; the address presets it like any setting.
  await page.goto(host.address({ batchSize: 16 }));
  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  await page.getByTestId('dataset-source').selectOption('folder');
  await expect(page.getByTestId('folder-browser')).toBeVisible();
  await page.getByTestId('folder-root').first().click();
  await page.getByTestId('folder-entry').filter({ hasText: 'pets' }).click();
  await expect(page.getByTestId('folder-entry')).toHaveCount(3);
  // A label with markup is shown as text, not interpreted.
  await expect(page.getByTestId('folder-entry').filter({ hasText: MARKUP_LABEL })).toHaveCount(1);
  await page.getByTestId('use-folder-button').click();

  // The images are about 24 px and in colour: the fields move from the 64 px default to 28 px RGB,
  // and say why.
  await expect(page.getByTestId('pre-suggested')).toContainText('Suggested from the images: 28 px, RGB');
  await expect(page.getByTestId('pre-size')).toHaveValue('28');
  await expect(page.getByTestId('pre-channels')).toHaveValue('rgb');
  // Not stale: the tiles shown were prepared at the suggested format.
  await expect(page.getByTestId('preview-tiles')).toHaveAttribute('aria-busy', 'false');
  await page.screenshot({ path: 'test-results/browser-host-suggested-format.png' });

  await page.getByTestId('pre-size').selectOption('32');
  await expect(page.getByTestId('preview-tiles')).not.toHaveAttribute('data-count', '0');
  // Previewing again at the chosen size never puts the suggestion back.
  await expect(page.getByTestId('preview-tiles')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('pre-size')).toHaveValue('32');
  await page.getByTestId('dataset-open-button').click();

  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toHaveAttribute('data-count', '36', { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-classes', '3');
  await expect(summary).toHaveAttribute('data-skipped', '3');
  const counts = page.getByTestId('label-count');
  await expect(counts).toHaveCount(3);
  await expect(page.locator('[data-testid="label-count"][data-label="cats"]')).toHaveAttribute(
    'data-count',
    '14',
  );
  await expect(page.locator(`[data-testid="label-count"][data-label="${MARKUP_LABEL}"]`)).toHaveAttribute(
    'data-count',
    '10',
  );
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  const rows = page.getByTestId('skipped-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'cats/empty.png' })).toContainText('empty file (0 bytes)');
  await expect(rows.filter({ hasText: 'dogs/notes.txt' })).toContainText('unsupported file type (.txt)');
  await expect(rows.filter({ hasText: '=cmd|calc.png' })).toContainText('not a readable image');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('skipped-csv-button').click(),
  ]);
  const csv = await readFile((await download.path())!, 'utf8');
  expect(csv).toContain('cats/empty.png');
  // A path starting with "=" could run as a spreadsheet formula: it must be neutralised.
  expect(csv).not.toMatch(/(^|,)"?=cmd/m);
  await page.screenshot({ path: 'test-results/browser-host-dataset-view.png' });

  await fillSettings(page, { epochs: 1 });
  await page.getByTestId('train-button').click();
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  await expect(map).toHaveAttribute('data-class-count', '3');
  await page.screenshot({ path: 'test-results/browser-host-folder-trained.png' });
  expect(dialogs).toEqual([]);
});

test('browser host: sprites colour the latent map by a generative factor', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  await page.getByTestId('dataset-source').selectOption('sprites');
  // Opened, not still "Opening Sprites…": opening clamps the limits to the dataset, and typing into
  // a field as it is clamped would mix the two values.
  await expect(page.getByTestId('dataset-status')).toContainText(/Training uses.*Sprites/, {
    timeout: 60_000,
  });
  await fillSettings(page, { trainLimit: 1_024, testLimit: 512, displayCount: 500, epochs: 1, latentDim: 4 });
  await page.getByTestId('train-button').click();
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 120_000 });
  await page.getByTestId('color-by').selectOption('x');
  await expect(map).toHaveAttribute('data-color-by', 'x');
  await expect(page.getByTestId('gradient-legend')).toHaveAttribute('data-max', /1/);
  await page.screenshot({ path: 'test-results/browser-host-sprites-colour-by-x.png' });
});
