/**
 * What the page may do, on every host: it sees nothing of Node (on the desktop, only the narrow
 * bridge), the content
 * security policy refuses inline scripts, eval and images from elsewhere, and (desktop) the window
 * is sandboxed, cannot navigate away and cannot open windows.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-host';
import { waitUntilReady } from '../support/journeys';

/** Runs `attempt` in the page and resolves with the CSP directive it violated, if any. */
function violatedDirective(page: Page, attempt: 'inline-script' | 'eval' | 'remote-image'): Promise<string> {
  return page.evaluate((kind) => {
    return new Promise<string>((resolve) => {
      document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), {
        once: true,
      });
      if (kind === 'inline-script') {
        const script = document.createElement('script');
        script.textContent = 'document.documentElement.dataset.inlineRan = "yes"';
        document.head.append(script);
        // Inline scripts run as they are inserted: had it run, this would be the answer.
        if (document.documentElement.dataset['inlineRan'] === 'yes') resolve('none: it ran');
      } else if (kind === 'eval') {
        // Later, from the page's own task: DevTools lets code it evaluates itself use eval.
        setTimeout(() => {
          try {
            new Function('return 1')();
            resolve('none: it ran');
          } catch {
            // The violation event says which directive refused it.
          }
        });
      } else {
        const image = new Image();
        image.onload = () => resolve('none: it loaded');
        image.src = 'https://example.com/pixel.png';
      }
    });
  }, attempt);
}

test('the page sees only the bridge, and the CSP refuses what it must', async ({ app }) => {
  const page = await app.launch();
  await waitUntilReady(page);

  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  // The desktop's preload exposes exactly the bridge; the browser host's page talks over its socket.
  const bridge = await page.evaluate(() => {
    const api = (window as unknown as { api?: object }).api;
    return api ? Object.keys(api).sort() : null;
  });
  expect(bridge).toEqual(app.kind === 'electron' ? ['invoke', 'mediaUrl', 'on'] : null);

  expect(await violatedDirective(page, 'inline-script')).toBe('script-src-elem');
  expect(await violatedDirective(page, 'eval')).toBe('script-src');
  expect(await violatedDirective(page, 'remote-image')).toBe('img-src');
  // Refusals are quiet: the app goes on working.
  await page.getByTestId('view-tab-runs').click();
  await expect(page.getByTestId('runs-empty')).toBeVisible();

  const electronApp = app.electronApp;
  if (!electronApp) return;
  // Desktop only: the window's settings, navigation and new windows, asked of the main process.
  const prefs = await electronApp.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]!.webContents;
    return (
      contents as unknown as { getLastWebPreferences(): Record<string, unknown> }
    ).getLastWebPreferences();
  });
  expect(prefs).toMatchObject({
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webSecurity: true,
    disableBlinkFeatures: 'Auxclick',
  });

  const navigationBlocked = electronApp.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]!.webContents;
    // The app's own handler was added first, so by now it has had its say.
    return new Promise<boolean>((resolve) =>
      contents.once('will-navigate', (event) => resolve(event.defaultPrevented)),
    );
  });
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  expect(await navigationBlocked).toBe(true);

  expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
  expect(await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  await waitUntilReady(page);
});
