/**
 * Restarting the browser host, as a person does it: Ctrl-C in its terminal, then `npm run serve`
 * again on the same port, which prints a new token. The tab left open stops retrying and says to
 * open the new address, with a link that works; nothing claims a run was stopped when none was
 * training; and a tab opened from the new address starts on the run trained last.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-host';
import { launchBrowserHost } from '../fixtures/browser-host';
import { startTraining, trainMnistRun, waitUntilReady } from '../support/journeys';

const RUN = { trainLimit: 1_000, testLimit: 200, displayCount: 200, epochs: 1 };
const SHOTS = process.env['SESSIONS_SHOTS'] ?? path.join('test-results', 'screens', 'browser');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Ctrl-C in the terminal: SIGINT to the host's whole process group, its engine included. */
function pressCtrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

/** No words about a stopped or interrupted run anywhere on the page, and no offer to continue one. */
async function expectNoStoppedRunMessage(page: Page): Promise<void> {
  await expect(page.locator('body')).not.toContainText(/run in progress was stopped|was training/i);
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
}

test('host restarted with a new token: the old tab says so and links the new address; a new tab opens the last run', async ({
  app,
  browser,
}) => {
  test.skip(app.kind !== 'browser', 'browser host only: the desktop window has no token');
  test.setTimeout(240_000);
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-sessions-'));
  const port = await freePort();
  const start = () => launchBrowserHost(['--port', String(port)], dataDirectory, { detached: true });

  const first = await start();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  let second: Awaited<ReturnType<typeof start>> | null = null;
  try {
    const oldTab = await context.newPage();
    const { map } = await trainMnistRun(oldTab, first.host.url, RUN);
    const runId = (await map.getAttribute('data-run-id'))!;
    expect(runId).toMatch(/^\d{8}-\d{6}-[a-z0-9]{4}$/);
    let sockets = 0;
    oldTab.on('websocket', () => sockets++);

    expect(await pressCtrlC(first.child)).toBe(0);
    await expect(oldTab.getByTestId('connection-banner')).toContainText('Reconnecting');

    second = await start();
    expect(second.host.token).not.toBe(first.host.token);
    expect(new URL(second.host.url).port).toBe(String(port));
    // The tab retries with a growing delay (at most 10 s) until the host answers.
    const stale = oldTab.getByTestId('stale-token');
    await expect(stale).toHaveText(
      'This tab was opened from an earlier start of Latent Studio. Open the new address the host printed.',
      { timeout: 30_000 },
    );
    const link = oldTab.getByTestId('stale-token-link');
    await expect(link).toHaveAttribute('href', second.host.url);
    await expect(oldTab.getByTestId('connection-state')).toHaveText('Disconnected');
    await expectNoStoppedRunMessage(oldTab);
    // Requests the host's stop cut off are not reported on top of the banner.
    await expect(oldTab.getByTestId('error-message')).toHaveCount(0);
    await mkdir(SHOTS, { recursive: true });
    await oldTab.mouse.move(1, 1);
    await oldTab.screenshot({ path: path.join(SHOTS, 'stale-tab.png') });
    // No endless retry: longer than the longest retry delay, and not one new socket.
    const socketsWhenTold = sockets;
    await oldTab.waitForTimeout(12_000);
    expect(sockets).toBe(socketsWhenTold);

    // A tab opened from the new address starts on the run trained last.
    const newTab = await context.newPage();
    await newTab.goto(second.host.url);
    await waitUntilReady(newTab);
    await expect(newTab.getByTestId('latent-map')).toHaveAttribute('data-run-id', runId, { timeout: 30_000 });
    await expect(newTab.getByTestId('latent-map')).toHaveAttribute('data-epoch', String(RUN.epochs));
    await expectNoStoppedRunMessage(newTab);
    await expect(newTab.getByTestId('error-message')).toHaveCount(0);
    await newTab.screenshot({ path: path.join(SHOTS, 'new-tab-last-run.png') });

    // The link works: the old tab loads the new address, connects, and shows the same run.
    await link.click();
    await expect(oldTab.getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });
    await expect(oldTab.getByTestId('connection-banner')).toHaveCount(0);
    await expect(oldTab.getByTestId('latent-map')).toHaveAttribute('data-run-id', runId, { timeout: 30_000 });
    await expectNoStoppedRunMessage(oldTab);
  } finally {
    await context.close();
    first.child.kill('SIGKILL');
    if (second) await pressCtrlC(second.child);
  }
});

test('the app starts on the run trained last, on every host', async ({ app }) => {
  test.setTimeout(200_000);
  let page = await app.launch();
  await waitUntilReady(page);
  const map = await startTraining(page, RUN);
  await expect(map).toHaveAttribute('data-epoch', String(RUN.epochs), { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  const runId = (await map.getAttribute('data-run-id'))!;
  expect((await app.quit()).exitCode).toBe(0);

  page = await app.launch();
  await waitUntilReady(page);
  await expect(page.getByTestId('latent-map')).toHaveAttribute('data-run-id', runId, { timeout: 30_000 });
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-epoch-points', String(RUN.epochs));
  await expectNoStoppedRunMessage(page);

  // Unreadable since (its config damaged), then gone: the app starts empty, without a word.
  expect((await app.quit()).exitCode).toBe(0);
  const runDirectory = path.join(app.dataDirectory, 'runs', runId);
  await writeFile(path.join(runDirectory, 'config.json'), '{"runId": ');
  page = await app.launch();
  await waitUntilReady(page);
  // The launch asks for the last run after the dataset opens: give that one round trip time to fail.
  await page.waitForTimeout(2_000);
  await expect(page.getByTestId('latent-map')).toHaveAttribute('data-run-id', '');
  await expect(page.getByTestId('error-message')).toHaveCount(0);
  expect((await app.quit()).exitCode).toBe(0);
  await rm(runDirectory, { recursive: true });
  page = await app.launch();
  await waitUntilReady(page);
  // The launch asks for the last run after the dataset opens: give that one round trip time to fail.
  await page.waitForTimeout(2_000);
  await expect(page.getByTestId('latent-map')).toHaveAttribute('data-run-id', '');
  await expect(page.getByTestId('error-message')).toHaveCount(0);
});
