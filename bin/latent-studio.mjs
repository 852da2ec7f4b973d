#!/usr/bin/env node
// The command line is bundled with the app by `npm run build` into out/main/cli.js (CommonJS,
// tfjs included); this launcher only finds it and says how to build it when it is missing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('latent-studio: the command line is not built yet; run `npm run build` first.\n');
  process.exit(1);
}
createRequire(import.meta.url)(cli);
