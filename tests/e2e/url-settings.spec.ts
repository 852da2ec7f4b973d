/** Browser host only: the address presets the training settings, and refuses what is not a setting. */
import { expect, test } from './fixtures/browser-host';
import { openApp } from './support/journeys';

test('browser host: URL parameters preset the training settings', async ({ page, browserHost }) => {
  await page.goto(browserHost.address({ epochs: 7, latentDim: 2, bogus: 1, batchSize: -5 }));
  // The token moved into this origin's storage and left the address bar.
  await expect.poll(() => page.url()).not.toContain('token=');
  expect(page.url()).toContain('epochs=7');
  await expect(page.getByTestId('setting-epochs')).toHaveValue('7');
  await expect(page.getByTestId('setting-latentDim')).toHaveValue('2');
  await expect(page.getByTestId('setting-batchSize')).toHaveValue('128');
});

test('browser host: the preset chooses the epochs, and the form says the steps and minutes', async ({
  page,
  browserHost,
}) => {
  await openApp(page, browserHost.url);
  // MNIST keeps the classic recipe: 10 epochs of about 430 batches of 128.
  await expect(page.getByTestId('setting-epochs')).toHaveValue('10');
  const estimate = page.getByTestId('run-estimate');
  await expect(estimate).toHaveText(/≈ 4,3\d\d steps/);
  // Once the engine has timed a few steps of this model, the minutes on its backend.
  await expect(estimate).toHaveText(
    /≈ 4,3\d\d steps, (under a minute|≈ \d+ minutes?|≈ [\d.]+ hours) on (WebAssembly|TensorFlow|JavaScript)/,
    { timeout: 60_000 },
  );
  await page.getByTestId('setting-epochs').fill('2');
  await expect(estimate).toHaveText(/≈ 86\d steps/);
  await expect(page.getByTestId('model-preset')).toHaveAttribute('data-matches', 'false');
  await page.getByTestId('apply-preset-button').click();
  await expect(page.getByTestId('setting-epochs')).toHaveValue('10');
});

test('browser host: the token is kept by this origin only, and a page without it says where to find it', async ({
  page,
  browser,
  browserHost,
}) => {
  await page.goto(browserHost.url);
  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  // A new tab on the same origin (no token in its address) still connects…
  const again = await page.context().newPage();
  await again.goto(`${browserHost.origin}/`);
  await expect(again.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  expect(await page.context().cookies()).toEqual([]);
  // …while a browser that never saw the address is told what to open.
  const stranger = await browser.newContext();
  const lost = await stranger.newPage();
  await lost.goto(`${browserHost.origin}/`);
  await expect(lost.getByTestId('missing-token')).toContainText(/#token=/);
  await lost.screenshot({ path: 'test-results/screens/browser/missing-token.png' });
  await stranger.close();
});
