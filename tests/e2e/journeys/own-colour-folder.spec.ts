/**
 * Issue 15's acceptance journey, on every host: a folder of 300 colour pictures of shapes (64 px
 * RGB, circles / squares / triangles in class folders, generated from a seed by the quality bench's
 * own generator), opened and trained with the app's defaults for it and a 3-minute time budget,
 * as a user with a few minutes would. The reconstructions must recognisably match their pictures
 * (each one nearer its own original than any other shown, and PSNR well above painting every
 * image its own mean colour), and the run must end with the verdict its validation curve calls for.
 */
import path from 'node:path';
import sharp from 'sharp';
import { writeQualityFolder } from '../../../bench/support/quality-folder';
import { RunStore } from '../../../src/main/engine/train/run-store';
import { makeTempDir } from '../../support/image-fixtures';
import { expect, test } from '../fixtures/app-host';
import { fillSettings, screenshotEveryView, showView, waitUntilReady } from '../support/journeys';

const IMAGES = 300;
const BUDGET_MINUTES = 3;
/** Side of the thumbnails the pairs are compared at: robust to the tiles' scaling and borders. */
const THUMB = 12;

/** One gallery pair's canvas as two thumbnails (original, reconstruction), RGB in [0, 255]. */
async function pairThumbnails(png: Buffer): Promise<[Float32Array, Float32Array]> {
  const { width, height } = await sharp(png).metadata();
  const half = Math.floor(width! / 2);
  const thumb = async (left: number) =>
    Float32Array.from(
      await sharp(png)
        .extract({ left, top: 0, width: half - 4, height: height! })
        .removeAlpha()
        .resize(THUMB, THUMB, { fit: 'fill' })
        .raw()
        .toBuffer(),
    );
  return [await thumb(0), await thumb(width! - half + 4)];
}

function meanSquare(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum / a.length;
}

test('your own colour folder: 300 shapes with the defaults and a 3-minute budget', async ({ app }) => {
  test.setTimeout(420_000);
  const parent = await makeTempDir('journey-colour-folder');
  const folder = path.join(parent, 'shapes');
  await writeQualityFolder(folder, IMAGES, 15);

  const page = await app.launch({ dataRoots: [parent] });
  await waitUntilReady(page);
  await app.chooseFolder(folder, parent);
  // The format comes from the images: 64 px, colour.
  await expect(page.getByTestId('pre-suggested')).toContainText('64 px, RGB');
  await expect(page.getByTestId('pre-size')).toHaveValue('64');
  await expect(page.getByTestId('pre-channels')).toHaveValue('rgb');
  await page.getByTestId('dataset-open-button').click();
  await expect(page.getByTestId('dataset-summary')).toHaveAttribute('data-count', String(IMAGES), {
    timeout: 60_000,
  });
  // The defaults for a small colour folder: a conv VAE, a step target, PCA start; nothing changed.
  await expect(page.getByTestId('run-estimate')).toContainText(/≈ [\d,]+ steps/);
  await page.screenshot({ path: 'test-results/colour-folder-settings.png' });
  await fillSettings(page, { timeBudgetMinutes: BUDGET_MINUTES });
  await page.getByTestId('train-button').click();

  const state = page.getByTestId('train-state');
  await expect(state).toHaveText(/completed|stopped/i, { timeout: (BUDGET_MINUTES * 60 + 120) * 1000 });
  const verdict = page.getByTestId('run-verdict');
  await expect(verdict).toBeVisible();
  const kind = await verdict.getAttribute('data-kind');

  // The verdict against the run's own validation curve, read from its folder.
  const runId = await page.getByTestId('latent-map').getAttribute('data-run-id');
  const metrics = await RunStore.openAt(path.join(app.dataDirectory, 'runs', runId!)).readMetrics();
  const validation = metrics.map((m) => m.validationLoss!);
  const best = validation.indexOf(Math.min(...validation));
  const last = validation.length - 1;
  if (kind === 'still-improving') expect(best).toBeGreaterThanOrEqual(last - 2);
  else if (kind === 'over-fitting') expect(best).toBeLessThan(last);
  else expect(kind).toBe('converged');
  console.log(
    `verdict ${kind}; ${metrics.length} epochs; validation −ELBO ${validation[0]!.toFixed(0)} → ` +
      `${validation[last]!.toFixed(0)} (best at epoch ${best + 1})`,
  );

  // The loss axis's figures (tens of thousands of nats at 64×64×3) stay clear of its rotated name.
  const valueAxis = page.getByTestId('loss-chart').locator('g.axis').first();
  const name = (await valueAxis.locator('.axis-label').boundingBox())!;
  const figures = await valueAxis
    .locator('text:not(.axis-label)')
    .evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect().left));
  expect(figures.length).toBeGreaterThan(1);
  expect(Math.min(...figures), 'the figures begin right of the axis name').toBeGreaterThan(
    name.x + name.width,
  );

  // Five-figure losses fit their tiles (the caption above them names the unit).
  await expect(page.getByTestId('metric-readout')).toContainText('nats per image');
  for (const key of ['train-loss', 'validation-loss', 'test-loss']) {
    const tile = page.getByTestId(`metric-${key}`);
    const box = (await tile.boundingBox())!;
    // The drawn text of the figure (and its unit, where shown), not the box it sits in.
    const text = await tile.locator('.value').evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect();
    });
    expect(text.x + text.width, `the ${key} figure lies inside its tile`).toBeLessThanOrEqual(
      box.x + box.width,
    );
  }

  // Reconstructions of the held-out sample: each nearer its own original than any other's.
  await showView(page, 'gallery');
  const pairs = page.getByTestId('recon-pair');
  await expect(pairs.first()).toBeVisible({ timeout: 30_000 });
  const count = await pairs.count();
  expect(count).toBeGreaterThanOrEqual(16);
  const thumbnails: [Float32Array, Float32Array][] = [];
  for (let i = 0; i < count; i++)
    thumbnails.push(await pairThumbnails(await pairs.nth(i).locator('canvas').screenshot()));
  let recognised = 0;
  thumbnails.forEach(([, reconstruction], i) => {
    const distances = thumbnails.map(([original]) => meanSquare(original, reconstruction));
    if (distances.indexOf(Math.min(...distances)) === i) recognised++;
  });
  const meanPsnr = Number(await page.getByTestId('recon-mean-psnr').getAttribute('data-psnr'));
  console.log(
    `${recognised} of ${count} reconstructions nearest their own original; mean PSNR ${meanPsnr} dB`,
  );
  expect(recognised / count).toBeGreaterThanOrEqual(0.9);
  // Painting each picture its own mean colour scores about 16 dB on these shapes (bench/models.ts).
  expect(meanPsnr).toBeGreaterThan(18);
  await page
    .getByTestId('gallery-reconstructions')
    .screenshot({ path: 'test-results/colour-folder-reconstructions.png' });
  await screenshotEveryView(page, app.kind, 'colour-folder');
});
