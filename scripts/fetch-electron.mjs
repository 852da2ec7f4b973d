// Runs as the project's own postinstall. `allowScripts` denies electron's postinstall so that an
// offline `npm ci` (registry only) cannot fail on the binary download; this script does the same
// download itself and treats failure as a notice: the browser host, the CLI and every test except
// the Electron window work without the binary.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const TIMEOUT_MS = 120_000;

function electronDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const dir = electronDir();
if (!dir) process.exit(0); // production install without devDependencies
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('[latent-studio] ELECTRON_SKIP_BINARY_DOWNLOAD is set: not fetching the Electron binary.');
  process.exit(0);
}
if (existsSync(path.join(dir, 'path.txt'))) process.exit(0);

const child = spawn(process.execPath, [path.join(dir, 'install.js')], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (chunk) => (stderr += chunk));
const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
child.on('exit', (code) => {
  clearTimeout(timer);
  if (code === 0 && existsSync(path.join(dir, 'path.txt'))) {
    console.log('[latent-studio] Electron binary installed.');
  } else {
    const firstLine = stderr.split('\n').find((line) => line.trim()) ?? `exit code ${code}`;
    console.warn(
      `[latent-studio] Could not download the Electron binary (${firstLine.trim()}).\n` +
        '  The desktop window needs it; `npm run serve` (browser host), the CLI and the tests do not.\n' +
        '  With internet access, run `npm run postinstall` again to fetch it.',
    );
  }
  process.exit(0);
});
