/**
 * The same journey in the real desktop window, through Playwright's Electron driver. Runs wherever
 * the Electron binary is installed; skipped with the reason printed where it is not (offline
 * installs cannot download it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { trainMnistAndWatchTheMapForm } from './support/journeys';

const ROOT = path.resolve(__dirname, '../..');

function electronBinary(): { path: string | null; reason: string } {
  const dir = path.join(ROOT, 'node_modules/electron');
  if (!existsSync(path.join(dir, 'path.txt'))) {
    return {
      path: null,
      reason: 'Electron binary not installed (offline install; run `npm run postinstall` with internet)',
    };
  }
  if (process.platform === 'linux' && !process.env['DISPLAY']) {
    return {
      path: null,
      reason: 'no X display (run the UI tests through `npm run test:ui`, which uses xvfb-run)',
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { path: require(dir) as string, reason: '' };
}

const binary = electronBinary();
if (!binary.path) console.log(`[electron] skipping the desktop-window journeys: ${binary.reason}`);

test.describe('desktop app (Electron)', () => {
  test.skip(!binary.path, binary.reason);

  test('electron: train MNIST for two epochs and watch the latent map form', async () => {
    const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-electron-'));
    const app = await electron.launch({
      executablePath: binary.path!,
      args: [path.join(ROOT, 'out/main/index.js')],
      env: { ...process.env, LATENT_STUDIO_DATA_DIR: dataDirectory },
    });
    try {
      const window = await app.firstWindow();
      // The sandboxed page sees the bridge and nothing of Node.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
        'undefined',
      );
      expect(
        await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort()),
      ).toEqual(['invoke', 'mediaUrl', 'on']);
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0]!.webContents;
        // getLastWebPreferences is available on the main side for exactly this check.
        return (
          wc as unknown as { getLastWebPreferences(): Record<string, unknown> }
        ).getLastWebPreferences();
      });
      expect(prefs).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
      });
      await trainMnistAndWatchTheMapForm(window, 'electron-first-run');
    } finally {
      await app.close();
    }
  });
});
