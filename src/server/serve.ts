/**
 * `npm run serve`: the browser host. Options:
 *   --port N        port to listen on (default 5317; 0 picks a free one)
 *   --host ADDR     address to bind (default 127.0.0.1; anything else is reachable from outside)
 *   --data-dir DIR  where settings, caches and runs live (default LATENT_STUDIO_DATA_DIR, else
 *                   ~/.latent-studio: the command line's default too)
 *   --data-root DIR a folder whose image folders may be opened as datasets (repeatable); the
 *                   browser's folder browser never goes outside these. Without it: ~/Pictures,
 *                   and the current folder when it has images (see default-data-roots.ts)
 *   Folders uploaded from the browser go to <data dir>/uploads, offered as the root "Uploads".
 *   --allowed-host NAME  a host name the browser may reach this host by, besides loopback, IP
 *                   addresses and this machine's name (repeatable; e.g. behind a reverse proxy)
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../../package.json';
import { createAppCore } from '../main/core/app-core';
import { defaultDataRoots } from '../main/core/default-data-roots';
import { forkLauncher } from '../main/core/fork-launcher';
import { defaultDataDirectory } from '../main/engine/data-directory';
import { newAccessToken } from './access-token';
import { startBrowserHost } from './browser-host';
import { dataRootsMessage } from './data-roots-message';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5317' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'data-root': { type: 'string', multiple: true, default: [] },
      'allowed-host': { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0–65535, got "${values.port}"`);
  const dataDirectory = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDirectory();
  if (!LOOPBACK.has(values.host)) {
    console.warn(
      `WARNING: binding ${values.host} makes Latent Studio reachable from other machines; anyone with the ` +
        'token can train and read your data. Prefer 127.0.0.1 with an SSH tunnel.',
    );
  }
  const given = values['data-root'].map((root) => path.resolve(root));
  const defaults =
    given.length === 0
      ? await defaultDataRoots({
          home: os.homedir(),
          cwd: process.cwd(),
          appFolder: path.resolve(__dirname, '../..'),
        })
      : [];
  const dataRoots = given.length > 0 ? given : defaults;
  const core = await createAppCore({
    launcher: forkLauncher({ entry: path.join(__dirname, 'engine.js') }),
    dataDirectory,
    info: {
      name: 'Latent Studio',
      version: packageJson.version,
      host: 'browser',
      platform: process.platform,
    },
    backendOverride: process.env['LATENT_STUDIO_BACKEND'],
    dataRoots,
    uploadsDirectory: path.join(dataDirectory, 'uploads'),
  });
  const host = await startBrowserHost({
    core,
    staticDirectory: path.join(__dirname, '../renderer'),
    host: values.host,
    port,
    token: newAccessToken(),
    allowedHostNames: values['allowed-host'],
  });
  console.log(`Latent Studio browser host: ${host.url}`);
  console.log(`Data directory: ${dataDirectory}`);
  console.log(dataRootsMessage(given, defaults, path.join(dataDirectory, 'uploads')));
  let stopping = false;
  const stop = () => {
    // A second Ctrl-C does not wait for the batch.
    if (stopping) process.exit(130);
    stopping = true;
    if (core.engine.runningJob) {
      console.log(
        'Stopping: the run stops after this batch; continue it next time from its newest checkpoint.',
      );
    }
    void core
      .shutdown()
      .then(() => host.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`latent-studio serve: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
