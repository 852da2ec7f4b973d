/**
 * Issue 18, data in: `npm start` with no `--data-root` offers the user's Pictures folder. The host
 * starts with a home folder whose Pictures holds class folders of small images; the folder
 * browser shows that root and says it is the default, and a folder in it opens and trains.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir } from '../../support/image-fixtures';
import { expect, test } from '../fixtures/app-host';
import { writeClassFolder } from '../support/class-folder';
import { expectTrainedTo, openChosenFolder, startTraining, waitUntilReady } from '../support/journeys';

test('no --data-root: ~/Pictures is offered by default, and a folder in it trains', async ({ app }) => {
  test.skip(app.kind !== 'browser', 'the desktop opens any folder through its native dialog');
  const home = await makeTempDir('journey-home');
  const count = await writeClassFolder(path.join(home, 'Pictures', 'pets'));
  await mkdir(path.join(home, 'Pictures', '.thumbnails'));

  // Started in the home folder, which is never offered whole: only Pictures (and the uploads).
  const page = await app.launch({ home, cwd: home });
  await waitUntilReady(page);
  await page.getByTestId('dataset-source').selectOption('folder');
  const browser = page.getByTestId('folder-browser');
  await expect(browser).toBeVisible();
  await expect(browser.getByTestId('default-roots-note')).toHaveText(
    `Folders from ~${path.sep}Pictures (default — start with --data-root DIR to choose others).`,
  );
  const roots = browser.getByTestId('folder-root');
  await expect(roots).toHaveCount(2);
  await expect(roots.nth(0)).toHaveAttribute('data-origin', 'pictures');
  await expect(roots.nth(1)).toHaveAttribute('data-origin', 'uploads');
  await page.screenshot({ path: 'test-results/default-pictures-roots.png' });

  await roots.nth(0).click();
  await expect(browser.getByTestId('folder-entry')).toHaveText(['pets']);
  await browser.getByTestId('folder-entry').click();
  await expect(browser.getByTestId('folder-entry')).toHaveText(['cats', 'dogs']);
  await browser.getByTestId('use-folder-button').click();
  await expect(page.getByTestId('preview-tiles')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await openChosenFolder(page, count, 2);
  const map = await startTraining(page, { epochs: 1, batchSize: 8 });
  await expectTrainedTo(page, map, '1');
  await expect(map).toHaveAttribute('data-class-count', '2');
});
