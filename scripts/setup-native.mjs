// Opt-in native TensorFlow backends. `npm run setup:native` installs @tensorflow/tfjs-node (CPU,
// libtensorflow); `npm run setup:native -- gpu` installs @tensorflow/tfjs-node-gpu (CUDA 11.2 +
// cuDNN 8.1 required). Both download libtensorflow from Google storage during install, which is
// why they are not default dependencies. --no-save keeps package.json and the lockfile unchanged.
import { spawnSync } from 'node:child_process';

const flavour = process.argv[2] ?? 'cpu';
if (flavour !== 'cpu' && flavour !== 'gpu') {
  console.error('usage: npm run setup:native -- [cpu|gpu]');
  process.exit(2);
}
const pkg = flavour === 'gpu' ? '@tensorflow/tfjs-node-gpu@4.22.0' : '@tensorflow/tfjs-node@4.22.0';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['install', '--no-save', pkg], { stdio: 'inherit' });
if (result.status === 0) {
  console.log(`[latent-studio] ${pkg} installed; the engine will pick it at next start.`);
}
process.exit(result.status ?? 1);
