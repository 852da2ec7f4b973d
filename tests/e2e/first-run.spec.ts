/** The foundation journey in the browser host, on Debian's Chromium. */
import { expect, test } from './fixtures/browser-host';
import { trainMnistAndWatchTheMapForm } from './support/journeys';

test('browser host: train MNIST for two epochs and watch the latent map form', async ({
  page,
  browserHost,
}) => {
  await page.goto(browserHost.url);
  // The token moved into an HttpOnly cookie and left the address bar.
  expect(page.url()).not.toContain('token=');
  await trainMnistAndWatchTheMapForm(page, 'browser-host-first-run');
});

test('browser host: URL parameters preset the training settings', async ({ page, browserHost }) => {
  await page.goto(`${browserHost.url}&epochs=7&latentDim=2&bogus=1&batchSize=-5`);
  await expect(page.getByTestId('setting-epochs')).toHaveValue('7');
  await expect(page.getByTestId('setting-latentDim')).toHaveValue('2');
  await expect(page.getByTestId('setting-batchSize')).toHaveValue('128');
});
