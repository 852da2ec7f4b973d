/**
 * Desktop only: a second copy of the app on the same data directory never runs beside the first
 * (both would write the same runs/ folder); it quits at once and the first window comes forward.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { electronBinary, expect, test } from '../fixtures/app-host';
import { waitUntilReady } from '../support/journeys';

test('a second copy on the same data directory quits and leaves the first running', async ({ app }) => {
  test.skip(app.kind !== 'electron', 'desktop only: the browser host is one process per port');
  const page = await app.launch();
  await waitUntilReady(page);
  const binary = electronBinary().path!;
  const second = spawn(binary, [path.resolve(__dirname, '../../../out/main/index.js')], {
    env: { ...process.env, LATENT_STUDIO_DATA_DIR: app.dataDirectory },
    stdio: 'ignore',
  });
  const exitCode = await new Promise<number | null>((resolve) =>
    second.once('exit', (code) => resolve(code)),
  );
  expect(exitCode).toBe(0);
  // The first copy still answers.
  const pong = await page.evaluate(async () => {
    const api = (window as unknown as { api: { invoke(n: string, a: object): Promise<{ ok: boolean }> } })
      .api;
    return (await api.invoke('app:ping', {})).ok;
  });
  expect(pong).toBe(true);
});
