// Runs the Playwright suite; on Linux without a display, under xvfb-run so the Electron window
// journeys can open a real window wherever the Electron binary exists. Ends with one summary line
// ("ui: N passed, N failed, N skipped") and the reason for every skipped test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const REPORT = 'test-results/playwright-report.json';
const args = ['playwright', 'test', ...process.argv.slice(2)];
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY;
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

rmSync(REPORT, { force: true });
const result =
  needsDisplay && hasXvfb
    ? spawnSync('xvfb-run', ['-a', '--server-args=-screen 0 1920x1080x24', npx, ...args], {
        stdio: 'inherit',
      })
    : spawnSync(npx, args, { stdio: 'inherit' });

function* specsOf(suite) {
  for (const spec of suite.specs ?? []) yield spec;
  for (const child of suite.suites ?? []) yield* specsOf(child);
}

if (existsSync(REPORT)) {
  const report = JSON.parse(readFileSync(REPORT, 'utf8'));
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats ?? {};
  for (const suite of report.suites ?? []) {
    for (const spec of specsOf(suite)) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue;
        const reason = test.annotations?.find((a) => a.type === 'skip')?.description ?? 'no reason given';
        console.log(`skipped [${test.projectName}]: ${spec.title} — ${reason}`);
      }
    }
  }
  console.log(`ui: ${expected + flaky} passed, ${unexpected} failed, ${skipped} skipped`);
}
process.exit(result.status ?? 1);
