/** Browser host only: the address presets the training settings, and refuses what is not a setting. */
import { expect, test } from './fixtures/browser-host';

test('browser host: URL parameters preset the training settings', async ({ page, browserHost }) => {
  await page.goto(`${browserHost.url}&epochs=7&latentDim=2&bogus=1&batchSize=-5`);
  // The token moved into an HttpOnly cookie and left the address bar.
  expect(page.url()).not.toContain('token=');
  await expect(page.getByTestId('setting-epochs')).toHaveValue('7');
  await expect(page.getByTestId('setting-latentDim')).toHaveValue('2');
  await expect(page.getByTestId('setting-batchSize')).toHaveValue('128');
});
