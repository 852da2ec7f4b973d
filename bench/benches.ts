/** What each benchmark measures, by its name: the name of its file in bench/, imported as it is chosen. */
export const BENCHES: Record<string, string> = {
  train:
    'MLP, conv and 64 px colour conv VAE img/s per backend (--backends webgpu,wasm,…) vs PyTorch cpu/cuda; ' +
    'held-out −ELBO, mean ± sd over 3 seeds a side',
  decode: 'decode + resize img/s: sharp vs Pillow',
  kernels: 'wasm kernel GFLOP/s: stock vs ours',
  'dataset-cache': 'first open of a 10k-image folder vs cached reopen',
  'big-folder':
    '100,000-image folder: scan memory, cancel and resume, cached reopen, training from the cache',
  soak: '30-minute soak: tensors per epoch, engine RSS, renderer heap over repeated map updates',
  responsiveness: 'main event-loop delay and progress cadence while training, desktop and browser host',
  projection: 't-SNE / UMAP of 10k MNIST codes vs scikit-learn and umap-js; 100k-point rendering',
  'map-cost':
    'training img/s with the live map off vs PCA, UMAP and t-SNE layouts every epoch (target ≥ 0.9×)',
  quality: 'held-out PSNR and bits/dim at equal wall-clock time on a colour folder vs a PyTorch σ-VAE',
};
