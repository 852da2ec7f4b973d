/**
 * Exporting a model as ONNX from the Runs tab, in the browser host: after a short MNIST run the
 * header offers TF.js or ONNX; ONNX lists the six files as downloads, and the downloaded
 * decoder.onnx runs in onnxruntime-node to images in [0, 1] of the run's shape. TF.js still writes
 * model.json afterwards.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { expect, test } from '../fixtures/browser-host';
import { trainMnistRun } from '../support/journeys';
import { ONNX_EXPORT_FILES } from '../../support/onnx-export-files';

const RUN = { trainLimit: 1_000, testLimit: 200, displayCount: 200, epochs: 1, latentDim: 5 };

test('browser host: export a run’s model as ONNX and decode with onnxruntime', async ({
  page,
  browserHost,
}) => {
  test.setTimeout(180_000);
  const { map, pageErrors } = await trainMnistRun(page, browserHost.url, RUN);
  const runId = await map.getAttribute('data-run-id');

  await page.getByTestId('view-tab-runs').click();
  const choice = page.getByTestId('model-export-format');
  await expect(choice.getByTestId('model-export-format-tfjs')).toHaveAttribute('aria-checked', 'true');
  await choice.getByTestId('model-export-format-onnx').click();
  await expect(choice.getByTestId('model-export-format-onnx')).toHaveAttribute('aria-checked', 'true');
  const row = page.getByTestId('run-row').filter({ hasText: runId! });
  await row.getByTestId('run-more-button').click();
  await expect(row.getByTestId('run-export-model')).toHaveAttribute('title', /ONNX/);
  await row.getByTestId('run-export-model').click();

  const files = page.getByTestId('model-file');
  await expect(files).toHaveCount(6);
  for (const name of ONNX_EXPORT_FILES) {
    await expect(files.filter({ hasText: new RegExp(`/${name.replace('.', '\\.')}$`) })).toHaveCount(1);
  }
  await expect(page.getByTestId('model-files')).toContainText('ONNX model of run');
  await page.getByTestId('model-files').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/onnx-shots/runs-onnx-export.png' });

  // The downloaded decoder, run outside the app: z = 0 and one more code give two 28×28×1 images.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    files.filter({ hasText: /decoder\.onnx$/ }).click(),
  ]);
  const bytes = await readFile((await download.path())!);
  const decoder = await ort.InferenceSession.create(new Uint8Array(bytes));
  const z = Float32Array.from({ length: 2 * RUN.latentDim }, (_, i) => (i < RUN.latentDim ? 0 : 1));
  const { pixels } = await decoder.run({ z: new ort.Tensor('float32', z, [2, RUN.latentDim]) });
  await decoder.release();
  expect(pixels!.dims).toEqual([2, 28, 28, 1]);
  const decoded = pixels!.data;
  if (!(decoded instanceof Float32Array)) throw new Error(`decoder output is ${pixels!.type}, not float32`);
  const values = Array.from(decoded);
  expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
  // A trained decoder draws a digit-like image: some ink, mostly background.
  expect(Math.max(...values)).toBeGreaterThan(0.5);

  // Back to TF.js: the next export writes model.json again, in its own folder.
  await choice.getByTestId('model-export-format-tfjs').click();
  await row.getByTestId('run-more-button').click();
  await row.getByTestId('run-export-model').click();
  await expect(files.filter({ hasText: /model\.json$/ })).toHaveCount(1);
  await expect(page.getByTestId('model-files')).toContainText('TF.js model of run');
  expect(pageErrors).toEqual([]);
});
