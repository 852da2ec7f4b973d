/**
 * The Runs table in the windows a new user has, in the browser host: at 1440×900 every column fits
 * beside the sidebar, no figure hidden under a row's buttons; at 1280×800 the table may scroll
 * sideways with the buttons pinned to its right edge, and then they cast a shadow over what lies
 * beneath, and scrolling to the end shows every figure. Two finished runs are written into the
 * data directory, one with a name, tags, a note and a long folder name.
 * Screenshots land in test-results/screens/runs-fit-<width>x<height>*.png for a person to look at.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures/browser-host';
import type { Locator } from '@playwright/test';
import { openApp, showView } from './support/journeys';
import { writePreparedRun } from './support/prepared-runs';

const SHOTS = path.join('test-results', 'screens');
const MLP_RUN = { runId: '20261205-100000-aaaa', settings: {}, losses: [180, 150, 135], secondsPerEpoch: 6 };
const CONV_RUN = {
  runId: '20261205-101500-bbbb',
  settings: { model: 'conv' as const, latentDim: 64, beta: 0.5, width: 64, depth: 3 },
  losses: [170, 130, 112, 104],
  secondsPerEpoch: 9,
  datasetName: 'holiday-photos-2026-cropped',
  meta: { name: 'β ½, wide conv', note: 'Sharper faces than the MLP', tags: ['baseline', 'faces'] },
};

async function box(locator: Locator): Promise<{ x: number; width: number }> {
  const found = await locator.boundingBox();
  expect(found, 'on the page').not.toBeNull();
  return found!;
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
]) {
  const tag = `${size.width}x${size.height}`;

  test(`browser host at ${tag}: every figure of the runs table is in view`, async ({ page, browserHost }) => {
    test.setTimeout(60_000);
    await writePreparedRun(browserHost.dataDirectory, MLP_RUN);
    await writePreparedRun(browserHost.dataDirectory, CONV_RUN);
    await page.setViewportSize(size);
    await openApp(page, browserHost.url);
    await showView(page, 'runs');
    const rows = page.getByTestId('run-row');
    await expect(rows).toHaveCount(2);

    const scroller = page.getByRole('region', { name: 'Training runs' });
    const overflow = await scroller.evaluate((el) => el.scrollWidth - el.clientWidth);
    const headers = await page
      .locator('.runs-view thead th')
      .evaluateAll((cells) =>
        cells.map((c) => `${c.textContent?.trim() || '·'} ${Math.round(c.getBoundingClientRect().width)}`),
      );
    console.log(`runs table at ${tag}: overflow ${overflow} px; columns ${headers.join(', ')}`);
    if (size.width >= 1440) {
      expect(overflow, 'the table does not scroll sideways').toBeLessThanOrEqual(0);
      await expect(scroller).not.toHaveClass(/more-right/);
    } else if (overflow > 0) {
      // Narrower, the table may scroll: the pinned buttons then cast a shadow over what lies
      // beneath them, and scrolling to the end shows every figure beside them.
      await expect(scroller).toHaveClass(/more-right/);
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `runs-fit-${tag}-scrolls.png`) });
      await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      await expect(scroller).not.toHaveClass(/more-right/);
    }

    for (const row of await rows.all()) {
      const figures = [row.getByTestId('run-best-validation'), row.getByTestId('run-bits-per-dim')];
      const actions = await box(row.locator('td.actions'));
      for (const figure of figures) {
        const cell = await box(figure);
        expect(cell.x + cell.width, 'the figure ends before the buttons').toBeLessThanOrEqual(actions.x + 1);
        await expect(figure).toHaveText(/^\d+\.\d+$/);
      }
    }
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `runs-fit-${tag}.png`) });
  });
}
