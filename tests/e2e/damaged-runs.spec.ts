/**
 * Browser host: run folders damaged on disk never hide the other runs. A copy of a trained run whose
 * config.json asks for `width: 100000` is listed as unreadable (its reason shown, Open and Continue
 * disabled, nothing built from it), and a `null` line in a run's metrics.jsonl is skipped and
 * counted while the run still opens.
 */
import { appendFile, cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures/browser-host';
import { trainMnistRun } from './support/journeys';

const RUN = { trainLimit: 1_000, testLimit: 200, displayCount: 200, epochs: 1 };
const BROKEN_ID = '20260101-000000-dead';

test('browser host: damaged run folders are listed with their reasons', async ({ page, browserHost }) => {
  test.setTimeout(180_000);
  await trainMnistRun(page, browserHost.url, RUN);
  const runs = path.join(browserHost.dataDirectory, 'runs');
  await page.getByRole('tab', { name: /Runs/ }).click();
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  const runId = (await row.first().getAttribute('data-run-id'))!;

  const broken = path.join(runs, BROKEN_ID);
  await cp(path.join(runs, runId), broken, { recursive: true });
  const config = JSON.parse(await readFile(path.join(broken, 'config.json'), 'utf8')) as {
    runId: string;
    settings: { width: number };
  };
  config.runId = BROKEN_ID;
  config.settings.width = 100_000;
  await writeFile(path.join(broken, 'config.json'), JSON.stringify(config));
  await appendFile(path.join(runs, runId, 'metrics.jsonl'), 'null\n');

  await page.reload();
  await page.getByRole('tab', { name: /Runs/ }).click();
  await expect(row).toHaveCount(2);
  const brokenRow = page.locator(`[data-testid="run-row"][data-run-id="${BROKEN_ID}"]`);
  await expect(brokenRow.getByTestId('run-unreadable')).toHaveAttribute('title', /width/);
  await expect(brokenRow.getByTestId('run-open-button')).toBeDisabled();
  await expect(brokenRow.getByTestId('run-continue-button')).toBeDisabled();
  const goodRow = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(goodRow.getByTestId('run-skipped-metric-lines')).toHaveText(/1 damaged metric line/);
  await page.screenshot({ path: 'test-results/screens/browser/damaged-runs.png' });
  await goodRow.getByTestId('run-open-button').click();
  await expect(goodRow).toHaveAttribute('data-explored', 'true');
});
