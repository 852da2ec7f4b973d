/**
 * Comparing runs, on every host: two finished runs in the data directory (written as a run leaves
 * its folder; they differ in their latent dimension) → tick both in the Runs tab → Compare → both
 * curves drawn and told apart in the legend, by epoch and by training time; the figures table has
 * a row each with the best marked; the settings diff marks the latent dimension, alone when only
 * differences are shown; the comparison fits 1280×800 and 1440×900 without scrolling. In the
 * browser host the CSV and PNG downloads are read back (the desktop saves a download through a
 * native dialog that a test cannot click).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import sharp from 'sharp';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-host';
import { showView } from '../support/journeys';
import { writePreparedRun } from '../support/prepared-runs';

const SMALL = {
  runId: '20261205-100000-aaaa',
  settings: { latentDim: 2 },
  losses: [180, 150, 135, 128, 124],
  secondsPerEpoch: 6,
};
const LARGE = {
  runId: '20261205-101500-bbbb',
  settings: { latentDim: 16 },
  losses: [170, 130, 112, 104],
  secondsPerEpoch: 9,
};
/** Metrics a Bernoulli epoch with validation has (lib/comparison.ts's COMPARISON_METRICS). */
const METRICS_PER_EPOCH = 8;
const SHOTS = '/tmp/compare-shots';

/** The part lies inside the window: no scrolling needed to see it. */
async function expectOnScreen(page: Page, part: Locator, name: string): Promise<void> {
  // The window's own size: the desktop window has no emulated viewport.
  const { width, height } = await page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
  const box = await part.boundingBox();
  expect(box, `${name} is drawn`).not.toBeNull();
  expect(box!.y, `${name}'s top is on screen`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${name}'s bottom is on screen`).toBeLessThanOrEqual(height);
  expect(box!.x + box!.width, `${name} is not off to the right`).toBeLessThanOrEqual(width);
}

test('tick two runs → compare: curves, figures, settings diff, CSV and PNG', async ({ app }) => {
  test.setTimeout(180_000);
  await writePreparedRun(app.dataDirectory, SMALL);
  await writePreparedRun(app.dataDirectory, LARGE);
  const page = await app.launch();
  await showView(page, 'runs');
  await expect(page.getByTestId('run-row')).toHaveCount(2);

  const compare = page.getByTestId('compare-button');
  await expect(compare).toBeDisabled();
  for (const run of [SMALL, LARGE]) {
    await page
      .locator(`[data-testid="run-row"][data-run-id="${run.runId}"]`)
      .getByTestId('run-compare-checkbox')
      .check();
  }
  await expect(compare).toHaveText(/Compare 2 runs/);
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `compare-${app.kind}-runs-ticked.png`) });
  await compare.click();

  const comparison = page.getByTestId('run-comparison');
  const curves = comparison.getByTestId('comparison-curve');
  await expect(curves).toHaveCount(2);
  for (const [i, run] of [SMALL, LARGE].entries()) {
    await expect(curves.nth(i)).toHaveAttribute('data-run-id', run.runId);
    await expect(curves.nth(i)).toHaveAttribute('data-points', String(run.losses.length));
    expect(await curves.nth(i).getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
  }
  const colours = await curves.evaluateAll((paths) => paths.map((p) => getComputedStyle(p).stroke));
  expect(new Set(colours).size, 'each run its own colour').toBe(2);
  await expect(comparison.getByTestId('comparison-legend-item')).toHaveCount(2);

  const rows = comparison.getByTestId('comparison-row');
  await expect(rows).toHaveCount(2);
  // The larger latent space reached the lower validation −ELBO (104 + 1, at epoch 4): marked best.
  const bestValidation = (runId: string) =>
    comparison
      .locator(`[data-testid="comparison-row"][data-run-id="${runId}"]`)
      .getByTestId('comparison-best-validation');
  await expect(bestValidation(LARGE.runId)).toHaveClass(/\bbest\b/);
  await expect(bestValidation(LARGE.runId)).toContainText('105.0');
  await expect(bestValidation(SMALL.runId)).not.toHaveClass(/\bbest\b/);

  const latentDim = comparison.locator('[data-testid="comparison-setting"][data-setting="Latent dimension"]');
  await expect(latentDim).toHaveAttribute('data-differs', 'true');
  await expect(latentDim).toContainText('2');
  await expect(latentDim).toContainText('16');
  await comparison.getByTestId('comparison-only-differences').check();
  await expect(comparison.getByTestId('comparison-setting')).toHaveCount(1);

  // By training time: the same curves, on the seconds axis.
  await comparison.getByTestId('comparison-axis-wall').check();
  await expect(comparison.getByTestId('comparison-chart')).toHaveAttribute('data-axis', 'wall');
  await expect(curves).toHaveCount(2);
  await comparison.getByTestId('comparison-log').check();
  await expect(comparison.getByTestId('comparison-chart')).toHaveAttribute('data-log', 'true');
  await expect(curves).toHaveCount(2);
  await page.screenshot({ path: path.join(SHOTS, `compare-${app.kind}-wall-time-log.png`) });
  await comparison.getByTestId('comparison-log').uncheck();
  await comparison.getByTestId('comparison-axis-epoch').check();

  // The browser host is sized like a new user's window; the desktop window keeps the size it opens at.
  const sizes =
    app.kind === 'browser'
      ? [
          { width: 1280, height: 800 },
          { width: 1440, height: 900 },
        ]
      : [await page.evaluate(() => ({ width: innerWidth, height: innerHeight }))];
  for (const size of sizes) {
    if (app.kind === 'browser') await page.setViewportSize(size);
    const tag = `${size.width}x${size.height}`;
    await expect(curves).toHaveCount(2);
    await expectOnScreen(page, comparison, `${tag}: the comparison`);
    await expectOnScreen(page, comparison.getByTestId('comparison-chart'), `${tag}: the chart`);
    await expectOnScreen(page, rows.last(), `${tag}: the last figures row`);
    await expectOnScreen(page, latentDim, `${tag}: the differing setting`);
    const chart = await comparison.getByTestId('comparison-chart').boundingBox();
    expect(chart!.height, `${tag}: the chart keeps a usable height`).toBeGreaterThanOrEqual(220);
    await page.screenshot({ path: path.join(SHOTS, `compare-${app.kind}-${tag}.png`) });
  }
  await comparison.getByTestId('comparison-only-differences').uncheck();
  await page.screenshot({ path: path.join(SHOTS, `compare-${app.kind}-all-settings.png`) });
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="run-comparison"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  const blocking = axe.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking, 'no critical or serious WCAG violation in the comparison').toEqual([]);

  if (app.kind === 'browser') {
    const [curvesFile] = await Promise.all([
      page.waitForEvent('download'),
      comparison.getByTestId('comparison-export-curves').click(),
    ]);
    const lines = (await readFile((await curvesFile.path())!, 'utf8'))
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('"run_id","run_label","epoch","wall_seconds","metric","value"');
    expect(lines).toHaveLength(1 + METRICS_PER_EPOCH * (SMALL.losses.length + LARGE.losses.length));
    expect(lines.filter((l) => l.includes('"test_neg_elbo"'))).toHaveLength(9);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^"${LARGE.runId}",".*",4,36,"test_neg_elbo",104$`)),
    );

    const [summaryFile] = await Promise.all([
      page.waitForEvent('download'),
      comparison.getByTestId('comparison-export-summary').click(),
    ]);
    const summary = (await readFile((await summaryFile.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(summary).toHaveLength(3);
    expect(summary[2]).toContain(`"${LARGE.runId}"`);

    const svgBox = await comparison.locator('[data-testid="comparison-chart"] svg').boundingBox();
    const [pngFile] = await Promise.all([
      page.waitForEvent('download'),
      comparison.getByTestId('comparison-export-png').click(),
    ]);
    expect(pngFile.suggestedFilename()).toMatch(/\.png$/);
    const png = await readFile((await pngFile.path())!);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const meta = await sharp(png).metadata();
    expect(meta.width).toBe(Math.round(svgBox!.width * 2));
    expect(meta.height).toBe(Math.round(svgBox!.height * 2));
    // Not a blank image: the curves' colours are in it.
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const distinct = new Set<number>();
    for (let i = 0; i < data.length; i += info.channels * 7)
      distinct.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    expect(distinct.size).toBeGreaterThan(20);
    await mkdir(SHOTS, { recursive: true });
    await pngFile.saveAs(path.join(SHOTS, 'exported-chart.png'));
  }

  // A compared run that trained on (its folder gained an epoch) shows it after Refresh.
  const metricsFile = path.join(app.dataDirectory, 'runs', SMALL.runId, 'metrics.jsonl');
  const lastLine = (await readFile(metricsFile, 'utf8')).trimEnd().split('\n').at(-1)!;
  const next = { ...(JSON.parse(lastLine) as { epoch: number; wallSeconds: number }) };
  await appendFile(
    metricsFile,
    JSON.stringify({ ...next, epoch: next.epoch + 1, wallSeconds: next.wallSeconds + 6 }) + '\n',
  );
  await comparison.getByTestId('comparison-refresh').click();
  await expect(curves.first()).toHaveAttribute('data-points', String(SMALL.losses.length + 1));

  await comparison.getByTestId('comparison-close').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('compare-bar')).toHaveAttribute('data-selected', '2');
});

test('twelve runs at most: each its own line style, the legend and tables fit 1280×800', async ({ app }) => {
  test.setTimeout(120_000);
  test.skip(
    app.kind !== 'browser',
    'window sizes are set in the browser host; the first journey covers the desktop',
  );
  const runs = Array.from({ length: 13 }, (_, i) => ({
    runId: `20261205-11${String(i).padStart(2, '0')}00-r${String(i).padStart(3, '0')}`,
    settings: { latentDim: 2 + i, learningRate: i % 2 ? 1e-3 : 5e-4 },
    losses: Array.from({ length: 6 + (i % 4) }, (_, e) => 150 - i * 2 - 30 * Math.log1p(e)),
    secondsPerEpoch: 3 + i,
  }));
  for (const run of runs) await writePreparedRun(app.dataDirectory, run);
  const page = await app.launch();
  await page.setViewportSize({ width: 1280, height: 800 });
  await showView(page, 'runs');
  const boxes = page.getByTestId('run-compare-checkbox');
  await expect(boxes).toHaveCount(13);
  for (let i = 0; i < 12; i++) await boxes.nth(i).check();
  await expect(boxes.nth(12)).toBeDisabled();
  await page.getByTestId('compare-button').click();

  const comparison = page.getByTestId('run-comparison');
  const curves = comparison.getByTestId('comparison-curve');
  await expect(curves).toHaveCount(12);
  const styles = await curves.evaluateAll((paths) =>
    paths.map((p) => `${getComputedStyle(p).stroke} ${p.getAttribute('stroke-dasharray') ?? ''}`),
  );
  expect(new Set(styles).size, 'twelve runs, twelve line styles').toBe(12);
  await expect(comparison.getByTestId('comparison-row')).toHaveCount(12);
  const chart = (await comparison.getByTestId('comparison-chart').boundingBox())!;
  for (const item of await comparison.getByTestId('comparison-legend-item').all()) {
    const box = (await item.boundingBox())!;
    expect(box.x + box.width, 'legend item inside the chart').toBeLessThanOrEqual(chart.x + chart.width);
  }
  await expectOnScreen(page, comparison, 'the comparison of twelve');
  // Twelve rows scroll inside the table's region, which stays on screen.
  await expectOnScreen(
    page,
    comparison.getByRole('region', { name: 'Compared runs in figures' }),
    'the figures table',
  );
  expect(chart.height, 'the chart keeps a usable height').toBeGreaterThanOrEqual(220);
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `compare-${app.kind}-twelve-1280x800.png`) });
});
