/**
 * Open your own folder, on every host: an ImageFolder tree with an empty file, a text file and a
 * file that only pretends to be a PNG. The good images open with their per-label counts, the bad
 * ones are listed with the reason each was skipped, and a run trains on what was kept.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '../fixtures/app-host';
import { fillSettings, screenshotEveryView, waitUntilReady } from '../support/journeys';
import { BLUE, GREEN, RED, makeTempDir } from '../../support/image-fixtures';
import { writeSolidClasses } from '../support/class-folder';

const CLASSES = [
  ['circles', RED, 12],
  ['squares', GREEN, 10],
  ['stars', BLUE, 8],
] as const;

test('open a folder with bad files → skipped list → train on the rest', async ({ app }) => {
  const parent = await makeTempDir('journey-folder');
  const shapes = path.join(parent, 'shapes');
  await writeSolidClasses(shapes, CLASSES, 20);
  await writeFile(path.join(shapes, 'circles', 'empty.png'), '');
  await writeFile(path.join(shapes, 'squares', 'truncated.png'), 'not an image at all');
  await writeFile(path.join(shapes, 'stars', 'readme.txt'), 'notes');

  const page = await app.launch({ dataRoots: [parent] });
  await waitUntilReady(page);
  await app.chooseFolder(shapes, parent);
  await page.getByTestId('pre-size').selectOption('32');
  await page.getByTestId('dataset-open-button').click();

  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toHaveAttribute('data-count', '30', { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-classes', '3');
  await expect(summary).toHaveAttribute('data-skipped', '3');
  for (const [label, , count] of CLASSES) {
    await expect(page.locator(`[data-testid="label-count"][data-label="${label}"]`)).toHaveAttribute(
      'data-count',
      String(count),
    );
  }
  const skipped = page.getByTestId('skipped-row');
  await expect(skipped).toHaveCount(3);
  await expect(skipped.filter({ hasText: 'circles/empty.png' })).toContainText('empty file (0 bytes)');
  await expect(skipped.filter({ hasText: 'squares/truncated.png' })).toContainText('not a readable image');
  await expect(skipped.filter({ hasText: 'stars/readme.txt' })).toContainText('unsupported file type (.txt)');

  await fillSettings(page, { epochs: 1, batchSize: 8 });
  await page.getByTestId('train-button').click();
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  await expect(map).toHaveAttribute('data-class-count', '3');
  await screenshotEveryView(page, app.kind, 'bad-folder');
});
