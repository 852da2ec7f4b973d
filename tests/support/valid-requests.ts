/** One valid argument object for every request in the contract (tests fuzz around these). */
import { DEFAULT_PROJECTION_SETTINGS } from '../../src/shared/projection-types';
import type { RequestArgs, RequestName } from '../../src/shared/contract';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';

export const VALID_ARGS: { [K in RequestName]: RequestArgs<K> } = {
  'app:ping': {},
  'app:get-info': {},
  'app:get-health': {},
  'app:get-last-run': {},
  'engine:get-status': {},
  'engine:restart': { backend: 'cpu' },
  'dataset:list-builtin': {},
  'dataset:list-roots': {},
  'dataset:choose-folder': {},
  'dataset:browse': { rootId: 'abc123', relativePath: 'cats/siamese' },
  'dataset:preview': {
    source: { kind: 'folder', rootId: 'abc123', relativePath: '' },
    preprocessing: { size: 32, channels: 'rgb', fit: 'contain', background: '#ffffff' },
  },
  'dataset:open': {
    source: { kind: 'builtin', id: 'sprites' },
    preprocessing: { size: 64, channels: 'grayscale', fit: 'crop', background: '#000000' },
  },
  'dataset:upload-begin': { name: 'pets' },
  'dataset:upload-files': {
    uploadId: 'a1b2c3d4-0000-4000-8000-000000000000',
    files: [{ relativePath: 'cats/a.png', bytes: new Uint8Array([137, 80, 78, 71]) }],
  },
  'dataset:upload-finish': { uploadId: 'a1b2c3d4-0000-4000-8000-000000000000' },
  'dataset:upload-cancel': { uploadId: 'a1b2c3d4-0000-4000-8000-000000000000' },
  'train:start': { ...DEFAULT_TRAIN_SETTINGS, trainLimit: 256, testLimit: 128, displayCount: 64, epochs: 1 },
  'train:estimate-speed': {
    model: 'conv',
    likelihood: 'discretized-logistic',
    latentDim: 32,
    width: 32,
    depth: 3,
    batchSize: 64,
    size: 64,
    channels: 'rgb',
  },
  'train:pause': { jobId: 'a1b2c3d4-0000-4000-8000-000000000000' },
  'train:resume': { jobId: 'a1b2c3d4-0000-4000-8000-000000000000' },
  'job:cancel': { jobId: 'a1b2c3d4-0000-4000-8000-000000000000' },
  'train:set-learning-rate': { jobId: 'a1b2c3d4-0000-4000-8000-000000000000', learningRate: 5e-4 },
  'train:continue': { runId: '20261121-043000-ab12', epochs: 20 },
  'runs:list': {},
  'runs:open': { runId: '20261121-043000-ab12' },
  'runs:update': { runId: '20261121-043000-ab12', name: 'Baseline' },
  'runs:delete': { runId: '20261121-043000-ab12' },
  'run:evaluate': { runId: '20261121-043000-ab12', samples: 100 },
  'runs:get-histories': { runIds: ['20261121-043000-ab12', '20261121-050000-cd34'] },
  'latent:get-points': { runId: '20261121-043000-ab12' },
  'latent:get-epoch': { runId: '20261121-043000-ab12', epoch: 1, method: 'pca' },
  'latent:project': {
    runId: '20261121-043000-ab12',
    epoch: null,
    settings: { ...DEFAULT_PROJECTION_SETTINGS, method: 'tsne' },
  },
  'latent:export': { runId: '20261121-043000-ab12', epoch: 1, method: 'pca', format: 'projector' },
  'latent:get-scores': { runId: '20261121-043000-ab12' },
  'latent:place-images': {
    runId: '20261121-043000-ab12',
    images: [{ name: 'holiday photo.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) }],
  },
  'latent:list-bookmarks': { runId: '20261121-043000-ab12' },
  'latent:save-bookmark': {
    runId: '20261121-043000-ab12',
    bookmark: {
      name: 'Sevens by the ones',
      epoch: 3,
      method: 'umap',
      view: { x: -120.5, y: 40, k: 2.5 },
      colourBy: 'label',
      pinned: 7,
      selection: [1, 7, 12],
      hidden: [3],
    },
  },
  'latent:delete-bookmark': { runId: '20261121-043000-ab12', id: '9b2f4c1e-6a3d-4e8b-9c7a-2d5e1f0a3b6c' },
  'gallery:reconstructions': { runId: '20261121-043000-ab12', epoch: 2 },
  'gallery:reconstruct-points': { runId: '20261121-043000-ab12', points: [0, 5, 9] },
  'gallery:sample': { runId: '20261121-043000-ab12', count: 16, temperature: 1, seed: 7 },
  'gallery:interpolate': {
    runId: '20261121-043000-ab12',
    from: { kind: 'point', point: 3 },
    to: { kind: 'origin' },
    steps: 8,
    mode: 'spherical',
  },
  'gallery:traverse': {
    runId: '20261121-043000-ab12',
    around: { kind: 'origin' },
    dimensions: 4,
    steps: 7,
    range: 3,
  },
  'gallery:decode-at': {
    runId: '20261121-043000-ab12',
    spot: { epoch: 1, method: 'tsne', x: 0.5, y: -1.25 },
  },
  'gallery:decode': { runId: '20261121-043000-ab12', latents: new Float32Array([0.5, -1, 0, 2]) },
  'gallery:decode-grid': {
    runId: '20261121-043000-ab12',
    spots: [
      { epoch: 2, method: 'umap', x: 0, y: 0 },
      { epoch: 2, method: 'umap', x: 1.5, y: -0.25 },
    ],
  },
  'gallery:export': {
    runId: '20261121-043000-ab12',
    kind: 'grid',
    latents: new Float32Array([0.1, -0.2, 0.3, 0.4]),
    columns: 2,
    scale: 2,
    format: 'gif',
    label: 'samples',
    details: { seed: 7, temperature: 1 },
  },
  'gallery:export-points': {
    runId: '20261121-043000-ab12',
    points: [1, 2, 3],
    kind: 'grid',
    columns: 2,
    scale: 3,
  },
  'model:export': { runId: '20261121-043000-ab12' },
  'model:import': { rootId: 'root-1', relativePath: 'models/mnist' },
};

/** Keys whose value may legitimately be null (so the null variant is valid for them). */
export const NULLABLE_KEYS: Partial<Record<RequestName, string[]>> = {
  'latent:project': ['epoch'],
  'runs:update': ['name'],
  'gallery:reconstructions': ['epoch'],
};

/** Payloads every channel must refuse: wrong shapes, extra keys, prototype pollution, huge or NaN values. */
export function invalidVariants(valid: object, nullable: readonly string[] = []): unknown[] {
  const withExtra = { ...valid, injectedKey: 1 };
  const polluted = JSON.parse(
    `{${JSON.stringify(valid).slice(1, -1)}${Object.keys(valid).length ? ',' : ''}"__proto__":{"admin":true}}`,
  );
  const variants: unknown[] = [
    null,
    undefined,
    42,
    'text',
    [],
    [valid],
    withExtra,
    polluted,
    { constructor: { prototype: {} } },
  ];
  let depth: Record<string, unknown> = {};
  const deep = depth;
  for (let i = 0; i < 200; i++) depth = depth['x'] = {};
  variants.push(deep);
  for (const key of Object.keys(valid)) {
    variants.push({ ...valid, [key]: Number.NaN });
    variants.push({ ...valid, [key]: 'x'.repeat(10 * 1024 * 1024) });
    if (!nullable.includes(key)) variants.push({ ...valid, [key]: null });
    variants.push({ ...valid, [key]: { nested: true } });
    variants.push(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)));
  }
  return variants;
}

/** `train:start` arguments with these settings (a test's run sizes, say), the rest valid as above. */
export function trainArgs(settings: Partial<RequestArgs<'train:start'>>): RequestArgs<'train:start'> {
  return { ...VALID_ARGS['train:start'], ...settings };
}
