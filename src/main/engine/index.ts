/** Entry of the engine process (utilityProcess under Electron, child_process.fork under Node). */
import os from 'node:os';
import path from 'node:path';
import { BACKEND_ENV, CACHE_DIR_ENV, parseBackendPreference, RUNS_DIR_ENV } from './backend-preference';
import { EngineHost } from './engine-host';
import { connectToParent } from './parent-port';

const link = connectToParent();
// Main passes where caches live; plain `node engine.js` runs (tests) fall back to a temp folder.
const cacheRoot = process.env[CACHE_DIR_ENV] ?? path.join(os.tmpdir(), 'latent-studio-cache');
const runsRoot = process.env[RUNS_DIR_ENV] ?? path.join(os.tmpdir(), 'latent-studio-runs');
const host = new EngineHost((message) => link.send(message), { cacheRoot, runsRoot });
const ready = host.start(parseBackendPreference(process.env[BACKEND_ENV]));
link.onMessage((message) => {
  void ready.then(() => host.receive(message));
});
