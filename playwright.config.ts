import { defineConfig } from '@playwright/test';
import type { HostKind } from './tests/e2e/fixtures/app-host';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './tests/e2e/support/chromium';

export default defineConfig<{ hostKind: HostKind }>({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  timeout: 240_000,
  expect: { timeout: 15_000 },
  workers: 1,
  // The JSON report feeds the summary line scripts/run-ui-tests.mjs prints (passed, failed, skipped and why).
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright-report.json' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    // Debian's Chromium (no browser download on these machines); override with CHROMIUM_PATH.
    launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  // The journeys (tests/e2e/journeys) run on both hosts; the other specs go deeper in the browser
  // host only. The Electron project skips, with the reason, where the binary is missing.
  projects: [
    { name: 'browser', use: { hostKind: 'browser' } },
    { name: 'electron', testMatch: 'journeys/**/*.spec.ts', use: { hostKind: 'electron' } },
  ],
});
