/**
 * `npm run bench -- responsiveness`: main-process event-loop delay and progress cadence while the
 * app trains MNIST on the CPU, in the desktop window (Electron, where its binary is installed) and
 * in the browser host (always). Prints the figures next to the targets: p99 delay < 50 ms, progress
 * at ≥ 1 Hz and evenly spaced. `npm test` asserts the browser host's; this prints both.
 *   --epochs N   epochs of all 60,000 training images to measure over (default 2)
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, chromium, type Page } from '@playwright/test';
import type { AppHealth } from '../src/shared/contract';
import { electronBinary } from '../tests/e2e/fixtures/app-host';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../tests/e2e/support/chromium';
import { fillSettings } from '../tests/e2e/support/journeys';
import { startBuiltBrowserHost } from './support/built-browser-host';
import {
  describeResponsiveness,
  progressCadence,
  readHealthOverSocket,
  readHealthThroughBridge,
  recordProgressTimes,
} from '../tests/e2e/support/responsiveness';
import { benchOptions } from './support/options';

const values = benchOptions({ epochs: '2' });
const EPOCHS = Number(values.epochs);
const ROOT = path.resolve(__dirname, '..');

async function waitForText(page: Page, testId: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: pattern }).waitFor({ timeout: timeoutMs });
}

/** Trains in `page` and returns the figures over the whole run. */
async function measure(page: Page, readHealth: () => Promise<AppHealth>): Promise<string> {
  await waitForText(page, 'engine-state', /ready/i, 60_000);
  await fillSettings(page, { trainLimit: 50_000, testLimit: 1_000, displayCount: 2_000, epochs: EPOCHS });
  await recordProgressTimes(page);
  await readHealth();
  await page.getByTestId('train-button').click();
  await waitForText(page, 'train-state', /^completed$/, EPOCHS * 120_000);
  const health = await readHealth();
  const cadence = await progressCadence(page);
  const verdict = [
    health.eventLoopDelayMs.p99 < 50 ? 'p99 < 50 ms: yes' : 'p99 < 50 ms: NO',
    cadence.maxGapMs < 1_000 ? '≥ 1 Hz: yes' : '≥ 1 Hz: NO',
    cadence.p90GapMs < 2 * cadence.medianGapMs ? 'even: yes' : 'even: NO',
  ].join(', ');
  return `${describeResponsiveness(health, cadence)}\n  ${verdict}`;
}

async function browserHost(): Promise<string> {
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-bench-resp-'));
  const { child, url } = await startBuiltBrowserHost(dataDirectory, 'inherit');
  const parsed = new URL(url);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    return await measure(page, () =>
      readHealthOverSocket(parsed.origin, parsed.searchParams.get('token') ?? ''),
    );
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}

async function desktop(): Promise<string> {
  const binary = electronBinary();
  if (!binary.path) return `skipped: ${binary.reason}`;
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-bench-resp-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [path.join(ROOT, 'out/main/index.js')],
    env: { ...process.env, LATENT_STUDIO_DATA_DIR: dataDirectory },
  });
  try {
    const page = await app.firstWindow();
    return await measure(page, () => readHealthThroughBridge(page));
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `\nresponsiveness while training MNIST on the CPU (${EPOCHS} epoch${EPOCHS === 1 ? '' : 's'} of 60,000 images)`,
  );
  console.log(`desktop (Electron): ${await desktop()}`);
  console.log(`browser host:       ${await browserHost()}`);
}

void main();
