/**
 * The engine process dies (the test kills it with SIGKILL, as the out-of-memory killer would) in
 * the browser host: during training, during a folder scan, and again and again. The window stays
 * responsive, says what happened in plain words, the engine restarts, the run continues from its
 * newest checkpoint and the scan can be opened again; repeated crashes stop restarting and ask.
 */
import { execFileSync } from 'node:child_process';
import { link, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, launchBrowserHost, test } from './fixtures/browser-host';
import { fillSettings, showView, waitUntilReady } from './support/journeys';
import { BLUE, GREEN, RED, bands, makeTempDir } from '../support/image-fixtures';

/** The engine is the browser host's only child process (null between a crash and its restart). */
function enginePidOrNull(hostPid: number): number | null {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(hostPid)], { encoding: 'utf8' });
    const pids = out.split('\n').map(Number).filter(Boolean);
    expect(pids.length, 'at most one engine process under the host').toBeLessThanOrEqual(1);
    return pids[0] ?? null;
  } catch {
    // ps exits 1 when the host has no child.
    return null;
  }
}

function enginePid(hostPid: number): number {
  const pid = enginePidOrNull(hostPid);
  expect(pid, 'an engine process under the host').not.toBeNull();
  return pid!;
}

async function killEngine(page: Page, hostPid: number): Promise<number> {
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const pid = enginePid(hostPid);
  process.kill(pid, 'SIGKILL');
  return pid;
}

test('browser host: the engine dies mid-training; the window says so and the run continues', async ({
  page,
}) => {
  const { host, child } = await launchBrowserHost();
  try {
    await page.goto(host.url);
    await waitUntilReady(page);
    await fillSettings(page, { trainLimit: 4_000, testLimit: 500, displayCount: 500, epochs: 8 });
    await page.getByTestId('train-button').click();
    const map = page.getByTestId('latent-map');
    await expect(map).toHaveAttribute('data-epoch', /^([2-9]|\d\d)$/, { timeout: 120_000 });
    const killed = await killEngine(page, child.pid!);

    // Plain words, at once; the page goes on answering clicks while the engine restarts.
    await expect(page.getByTestId('train-state')).toHaveText('failed');
    await expect(page.getByTestId('error-message')).toContainText(
      /engine process was stopped by signal SIGKILL/,
    );
    await showView(page, 'runs');
    await showView(page, 'map');
    await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready', {
      timeout: 60_000,
    });
    expect(enginePid(child.pid!)).not.toBe(killed);
    await expect(page.locator('.status-bar')).toContainText('Restarted after the engine process was stopped');
    await page.screenshot({ path: 'test-results/screens/browser/engine-crash-training.png' });

    // Continue, as offered, to the run's planned 8 epochs from its newest checkpoint: the map and
    // the whole loss curve come back.
    await expect(page.getByTestId('continue-epochs')).toHaveValue('8');
    await page.getByTestId('continue-button').click();
    await expect(page.getByTestId('train-state')).toHaveText('completed', { timeout: 120_000 });
    await expect(map).toHaveAttribute('data-epoch', '8', { timeout: 60_000 });
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-epoch-points', '8');
  } finally {
    child.kill('SIGTERM');
  }
});

test('browser host: the engine dies mid-scan; the folder opens on the next try', async ({ page }) => {
  const parent = await makeTempDir('crash-scan');
  const photos = path.join(parent, 'photos');
  // Enough 256² images that the scan takes seconds: one file per label, hard-linked under
  // 2,000 names (each name is decoded on its own, like any file).
  for (const [label, colours] of [
    ['red', [RED, BLUE]],
    ['green', [GREEN, BLUE]],
  ] as const) {
    await mkdir(path.join(photos, label), { recursive: true });
    const source = path.join(parent, `${label}.png`);
    await bands(256, 256, colours).png().toFile(source);
    for (let i = 0; i < 2_000; i++) await link(source, path.join(photos, label, `${i}.png`));
  }
  const { host, child } = await launchBrowserHost(['--data-root', parent]);
  try {
    await page.goto(host.url);
    await waitUntilReady(page);
    await page.getByTestId('dataset-source').selectOption('folder');
    await page.getByTestId('folder-root').first().click();
    await page.getByTestId('folder-entry').filter({ hasText: 'photos' }).click();
    await page.getByTestId('use-folder-button').click();
    await page.getByTestId('pre-size').selectOption('64');
    await page.getByTestId('dataset-open-button').click();
    await expect(page.getByTestId('scan-progress')).toBeVisible();
    await killEngine(page, child.pid!);

    await expect(page.getByTestId('dataset-failure')).toContainText(
      /engine process was stopped by signal SIGKILL/,
    );
    await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready', {
      timeout: 60_000,
    });
    // Still said after the restart, until the user opens the folder again.
    await expect(page.getByTestId('dataset-failure')).toContainText(/engine process was stopped/);
    await page.screenshot({ path: 'test-results/screens/browser/engine-crash-scan.png' });
    await page.getByTestId('dataset-open-button').click();
    await expect(page.getByTestId('dataset-summary')).toHaveAttribute('data-count', '4000', {
      timeout: 120_000,
    });
    await expect(page.getByTestId('dataset-failure')).toHaveCount(0);
  } finally {
    child.kill('SIGTERM');
  }
});

test('browser host: repeated crashes stop restarting and ask the user', async ({ page }) => {
  const { host, child } = await launchBrowserHost();
  try {
    await page.goto(host.url);
    await waitUntilReady(page);
    // Three restarts within a minute, each after a longer pause; the fourth crash asks.
    let pid = await killEngine(page, child.pid!);
    for (let crash = 2; crash <= 4; crash++) {
      const killed = pid;
      // The killed process stays listed until it is reaped: wait for its successor.
      await expect
        .poll(
          () => {
            const next = enginePidOrNull(child.pid!);
            return next !== null && next !== killed;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      pid = enginePid(child.pid!);
      process.kill(pid, 'SIGKILL');
    }
    const state = page.getByTestId('engine-state');
    await expect(state).toHaveAttribute('data-state', 'crashed');
    await expect(page.locator('.status-bar [role="alert"]')).toContainText(/again \(4 times in a minute\)/);
    await page.screenshot({ path: 'test-results/screens/browser/engine-crash-repeated.png' });
    await page.getByRole('button', { name: 'Restart engine' }).click();
    await expect(state).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(page.getByTestId('train-button')).toBeEnabled();
  } finally {
    child.kill('SIGTERM');
  }
});
