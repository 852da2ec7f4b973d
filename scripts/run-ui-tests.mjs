// Runs the Playwright suite; on Linux without a display, under xvfb-run so the Electron window
// journeys can open a real window wherever the Electron binary exists.
import { spawnSync } from 'node:child_process';

const args = ['playwright', 'test', ...process.argv.slice(2)];
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY;
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const result =
  needsDisplay && hasXvfb
    ? spawnSync('xvfb-run', ['-a', '--server-args=-screen 0 1920x1080x24', npx, ...args], {
        stdio: 'inherit',
      })
    : spawnSync(npx, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
