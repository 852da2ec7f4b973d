/** `npm run bench -- <name> [options]`: runs one benchmark from bench/, or lists them. */
const BENCHES: Record<string, { what: string; load: () => Promise<unknown> }> = {
  train: {
    what:
      'MLP, conv and 64 px colour conv VAE img/s per backend (--backends webgpu,wasm,…) vs PyTorch cpu/cuda; ' +
      'held-out −ELBO, mean ± sd over 3 seeds a side',
    load: () => import('./train'),
  },
  decode: { what: 'decode + resize img/s: sharp vs Pillow', load: () => import('./decode') },
  kernels: { what: 'wasm kernel GFLOP/s: stock vs ours', load: () => import('./kernels') },
  'dataset-cache': {
    what: 'first open of a 10k-image folder vs cached reopen',
    load: () => import('./dataset-cache'),
  },
  'big-folder': {
    what: '100,000-image folder: scan memory, cancel and resume, cached reopen, training from the cache',
    load: () => import('./big-folder'),
  },
  soak: {
    what: '30-minute soak: tensors per epoch, engine RSS, renderer heap over repeated map updates',
    load: () => import('./soak'),
  },
  responsiveness: {
    what: 'main event-loop delay and progress cadence while training, desktop and browser host',
    load: () => import('./responsiveness'),
  },
  projection: {
    what: 't-SNE / UMAP of 10k MNIST codes vs scikit-learn and umap-js; 100k-point rendering',
    load: () => import('./projection'),
  },
  'map-cost': {
    what: 'training img/s with the live map off vs PCA, UMAP and t-SNE layouts every epoch (target ≥ 0.9×)',
    load: () => import('./map-cost'),
  },
  quality: {
    what: 'held-out PSNR and bits/dim at equal wall-clock time on a colour folder vs a PyTorch σ-VAE',
    load: () => import('./quality'),
  },
};

const [benchName, ...rest] = process.argv.slice(2);
const bench = benchName ? BENCHES[benchName] : undefined;
if (!bench) {
  console.log('usage: npm run bench -- <name> [options]\n');
  for (const [key, { what }] of Object.entries(BENCHES)) console.log(`  ${key.padEnd(12)} ${what}`);
  process.exit(benchName ? 2 : 0);
}
process.argv = [process.argv[0]!, process.argv[1]!, ...rest];
void bench.load();
export {};
