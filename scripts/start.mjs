// `npm start`: build, then open the desktop app. Where the Electron binary could not be installed
// (an offline machine), say so and start the browser host instead, so the command always leads to
// a running app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function electronBinaryInstalled() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    return existsSync(path.join(dir, 'path.txt'));
  } catch {
    return false;
  }
}

const build = spawnSync(npx, ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const passThrough = process.argv.slice(2);
const child = electronBinaryInstalled()
  ? spawn(npx, ['electron-vite', 'preview', '--', ...passThrough], { stdio: 'inherit' })
  : (console.warn(
      '[latent-studio] The Electron binary is not installed (no internet during install?).\n' +
        '  Starting the browser host instead: open the URL printed below.',
    ),
    // npm runs scripts in the package folder; INIT_CWD is where the user typed `npm start`, whose
    // images the host offers by default.
    spawn(process.execPath, [path.resolve('out/main/serve.js'), ...passThrough], {
      stdio: 'inherit',
      cwd: process.env.INIT_CWD ?? process.cwd(),
    }));
child.on('exit', (code) => process.exit(code ?? 0));
