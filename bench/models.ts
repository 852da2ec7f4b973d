// Over 300 lines: one benchmark (ConvVae vs ResConvVae configurations) read top to bottom; its options parser and both phases share its state.
/**
 * `npx tsx bench/models.ts`: today's ConvVae against ResConvVae configurations on the wasm backend,
 * 64 px RGB, batch 32, discretized logistic likelihood (the photo default), in one process:
 *   1. training throughput (img/s), the models taking turns for several rounds, each keeping its best;
 *   2. quality at equal wall-clock time: each model trains for the same seconds on generated colour
 *      images (coloured shapes on gradient backgrounds, like a small folder of your own), then is
 *      measured on held-out images: PSNR of sigmoid(decodeLogits(μ)) as the gallery shows it, and
 *      the one-sample −ELBO in bits/dim. When throughput was measured, "the same seconds" means
 *      seconds × (its best img/s) / batch steps, so a busy moment on a shared machine during one
 *      model's turn does not cost that model training; otherwise each trains by the clock.
 *   --models LIST   comma-separated configurations, each `conv` or `res`, then `:` options
 *                   w<width> d<depth> l<latent> b<blocks> r<lr> f<0|1: fit the scale, default 1>
 *                   k<KL warm-up steps, default 0> n<batch, default 32>
 *                   (default: see DEFAULT_MODELS)
 *   --rounds R      throughput rounds (default 3; 0 skips it)
 *   --batches N     timed batches per round (default 5)
 *   --seconds S     training seconds per model for the quality comparison (default 90; 0 skips it)
 *   --train N       generated training images (default 600); --test N held out (default 100)
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/main/engine/backend';
import { batchTensor } from '../src/main/engine/data/batches';
import type { ImageSet } from '../src/main/engine/data/image-set';
import { applyFittedScale, vaeLoss } from '../src/main/engine/model/loss';
import { ConvVae } from '../src/main/engine/model/vae-conv';
import type { VaeModel } from '../src/main/engine/model/vae-model';
import { ResConvVae } from '../src/main/engine/model/vae-resconv';
import { mulberry32, shuffledIndices } from '../src/main/engine/random';
import { meanSquaredError8, psnrFromMse } from '../src/shared/psnr';
import { oneClassSet } from '../tests/support/toy-images';
import { benchOptions } from './support/options';

/** Today's 64 px RGB preset (presetFor(64, 3): width 32, depth 3, latent 32) and ResConv candidates. */
const DEFAULT_MODELS = 'conv:w32:d3:l32,res:w16:d4:l32,res:w24:d4:l32,res:w32:d4:l32';

const values = benchOptions({
  models: DEFAULT_MODELS,
  rounds: '3',
  batches: '5',
  seconds: '90',
  train: '600',
  test: '100',
});
const SIZE = 64;
const CHANNELS = 3;
const BATCH = 32;
const PIXELS = SIZE * SIZE * CHANNELS;

interface Config {
  label: string;
  kind: 'conv' | 'res';
  width: number;
  depth: number;
  latentDim: number;
  blocks: number;
  learningRate: number;
  /** Fit the likelihood scale to each batch (`f1`, what training does) rather than by Adam (`f0`). */
  fitScale: boolean;
  /** KL warm-up (`k<steps>`): β rises linearly from 0 to 1 over these steps. Default 0. */
  warmupSteps: number;
  /** Batch size (`n<size>`). Default 32. */
  batch: number;
}

function parseConfig(text: string): Config {
  const [kind, ...options] = text.split(':');
  if (kind !== 'conv' && kind !== 'res') throw new Error(`unknown model '${kind}' in '${text}'`);
  const config: Config = {
    label: text,
    kind,
    width: 32,
    depth: kind === 'conv' ? 3 : 4,
    latentDim: 32,
    blocks: 1,
    learningRate: 1e-3,
    fitScale: true,
    warmupSteps: 0,
    batch: BATCH,
  };
  for (const option of options) {
    const value = Number(option.slice(1));
    if (!Number.isFinite(value)) throw new Error(`bad option '${option}' in '${text}'`);
    if (option[0] === 'w') config.width = value;
    else if (option[0] === 'd') config.depth = value;
    else if (option[0] === 'l') config.latentDim = value;
    else if (option[0] === 'b') config.blocks = value;
    else if (option[0] === 'r') config.learningRate = value;
    else if (option[0] === 'f') config.fitScale = value !== 0;
    else if (option[0] === 'k') config.warmupSteps = value;
    else if (option[0] === 'n') config.batch = value;
    else throw new Error(`unknown option '${option}' in '${text}'`);
  }
  return config;
}

function build(config: Config, seed: number): VaeModel {
  const common = {
    size: SIZE,
    channels: CHANNELS,
    latentDim: config.latentDim,
    width: config.width,
    depth: config.depth,
    learnedScale: true,
    seed,
  } as const;
  return config.kind === 'conv' ? new ConvVae(common) : new ResConvVae({ ...common, blocks: config.blocks });
}

/**
 * Coloured shapes (discs, squares, triangles) of random size, place and colour on a two-colour
 * gradient background, with a little pixel noise: what a small folder of simple colour pictures
 * asks of a model (flat colours, edges, smooth backgrounds), reproducible from the seed.
 */
function colourShapes(count: number, seed: number): ImageSet {
  const random = mulberry32(seed);
  const pixels = new Uint8Array(count * PIXELS);
  const colour = () => [random() * 255, random() * 255, random() * 255];
  for (let n = 0; n < count; n++) {
    const image = pixels.subarray(n * PIXELS, (n + 1) * PIXELS);
    const [from, to] = [colour(), colour()];
    const angle = random() * 2 * Math.PI;
    const [gx, gy] = [Math.cos(angle) / SIZE, Math.sin(angle) / SIZE];
    const shapes = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      kind: Math.floor(random() * 3),
      cx: 8 + random() * (SIZE - 16),
      cy: 8 + random() * (SIZE - 16),
      r: 5 + random() * 14,
      rgb: colour(),
    }));
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const t = Math.min(1, Math.max(0, 0.5 + (x - SIZE / 2) * gx + (y - SIZE / 2) * gy));
        let rgb = from.map((f, c) => f + (to[c]! - f) * t);
        for (const s of shapes) {
          const [dx, dy] = [x + 0.5 - s.cx, y + 0.5 - s.cy];
          const inside =
            s.kind === 0
              ? dx * dx + dy * dy <= s.r * s.r
              : s.kind === 1
                ? Math.abs(dx) <= s.r * 0.8 && Math.abs(dy) <= s.r * 0.8
                : dy <= s.r * 0.7 && dy >= -s.r && Math.abs(dx) <= (dy + s.r) * 0.6;
          if (inside) rgb = s.rgb;
        }
        for (let c = 0; c < 3; c++) {
          const noisy = rgb[c]! + (random() - 0.5) * 8;
          image[(y * SIZE + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(noisy)));
        }
      }
    }
  }
  return oneClassSet(pixels, count, SIZE, CHANNELS, 'shapes');
}

/** One Adam step on a batch; the loss read back, as training does each step. */
function step(
  model: VaeModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor2D,
  seed: number,
  fitScale: boolean,
  beta = 1,
): number {
  const noise = tf.randomNormal<tf.Rank.R2>([x.shape[0], model.latentDim], 0, 1, 'float32', seed);
  let fitted: tf.Tensor | undefined;
  const cost = optimizer.minimize(
    () => {
      const terms = vaeLoss(model, x, noise, { likelihood: 'discretized-logistic', fitScale, beta });
      if (terms.fittedScale) fitted = tf.keep(terms.fittedScale);
      return terms.objective;
    },
    true,
    model.variables,
  );
  if (fitted) applyFittedScale(model, fitted);
  const value = cost!.dataSync()[0]!;
  tf.dispose([noise, cost!, ...(fitted ? [fitted] : [])]);
  return value;
}

/** Best img/s over rounds, the models taking turns so a busy moment on the machine hits all alike. */
function throughput(configs: Config[], rounds: number, batches: number): Map<string, number> {
  const set = colourShapes(BATCH, 99);
  const x = batchTensor(
    set,
    Uint32Array.from({ length: BATCH }, (_, i) => i),
  );
  const best = new Map<string, number>();
  const models = configs.map((c) => ({ config: c, model: build(c, 1), optimizer: tf.train.adam(1e-3) }));
  for (const m of models) for (let b = 0; b < 2; b++) step(m.model, m.optimizer, x, b, m.config.fitScale);
  for (let round = 0; round < rounds; round++) {
    for (const m of models) {
      const t0 = performance.now();
      for (let b = 0; b < batches; b++) step(m.model, m.optimizer, x, b, m.config.fitScale);
      const ips = (batches * BATCH) / ((performance.now() - t0) / 1000);
      best.set(m.config.label, Math.max(best.get(m.config.label) ?? 0, ips));
    }
  }
  for (const m of models) {
    m.optimizer.dispose();
    m.model.dispose();
  }
  x.dispose();
  return best;
}

interface Quality {
  steps: number;
  psnr: number;
  bitsPerDim: number;
}

/**
 * Trains for `steps` steps, or for `seconds` of wall-clock time (whole steps) when steps is null,
 * then measures the held-out images.
 */
function quality(
  config: Config,
  train: ImageSet,
  test: ImageSet,
  seconds: number,
  steps: number | null,
): Quality {
  const model = build(config, 1);
  const optimizer = tf.train.adam(config.learningRate);
  const random = mulberry32(7);
  let order = shuffledIndices(train.count, random);
  let position = 0;
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  while (steps === null ? performance.now() < deadline : done < steps) {
    if (position + config.batch > train.count) {
      order = shuffledIndices(train.count, random);
      position = 0;
    }
    const x = batchTensor(train, order, position, position + config.batch);
    const beta = config.warmupSteps > 0 ? Math.min(1, done / config.warmupSteps) : 1;
    step(model, optimizer, x, 1000 + done, config.fitScale, beta);
    x.dispose();
    position += config.batch;
    done++;
  }
  const all = Uint32Array.from({ length: test.count }, (_, i) => i);
  let squaredError = 0;
  let nats = 0;
  for (let start = 0; start < test.count; start += BATCH) {
    const end = Math.min(test.count, start + BATCH);
    const x = batchTensor(test, all, start, end);
    const reconstructed = tf.tidy(() => {
      const mean = tf.sigmoid(model.decodeLogits(model.encode(x).mean));
      return tf.cast(tf.clipByValue(tf.round(tf.mul(mean, 255)), 0, 255), 'int32');
    });
    const pixels = Uint8Array.from(reconstructed.dataSync());
    const originals = test.pixels.subarray(start * PIXELS, end * PIXELS);
    squaredError += meanSquaredError8(originals, pixels) * (end - start);
    const noise = tf.randomNormal<tf.Rank.R2>([end - start, model.latentDim], 0, 1, 'float32', start);
    const terms = vaeLoss(model, x, noise, { likelihood: 'discretized-logistic' });
    nats += terms.loss.dataSync()[0]! * (end - start);
    tf.dispose([x, reconstructed, noise, terms.objective, terms.loss, terms.reconstruction, terms.kl]);
  }
  optimizer.dispose();
  model.dispose();
  return {
    steps: done,
    psnr: psnrFromMse(squaredError / test.count),
    bitsPerDim: nats / test.count / (PIXELS * Math.LN2),
  };
}

function parameters(config: Config): number {
  const model = build(config, 1);
  const count = model.variables.reduce((total, v) => total + v.size, 0);
  model.dispose();
  return count;
}

async function main(): Promise<void> {
  const backend = await selectBackend('wasm');
  if (backend.name !== 'wasm') throw new Error(`wasm backend did not load: ${JSON.stringify(backend)}`);
  const configs = values.models.split(',').map(parseConfig);
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  console.log(`wasm (${backend.label}), ${SIZE} px RGB, batch ${BATCH}, discretized logistic\n`);
  const ips = rounds > 0 ? throughput(configs, rounds, Number(values.batches)) : new Map<string, number>();
  const train = colourShapes(Number(values.train), 1);
  const test = colourShapes(Number(values.test), 2);
  const header = ['model', 'params', 'train img/s', 'steps', 'held-out PSNR dB', '−ELBO bits/dim'];
  console.log(header.join(' | '));
  for (const config of configs) {
    const rate = ips.get(config.label);
    const steps = rate === undefined ? null : Math.round((seconds * rate) / config.batch);
    const q = seconds > 0 ? quality(config, train, test, seconds, steps) : null;
    const cells = [
      config.label,
      (parameters(config) / 1e6).toFixed(2) + 'M',
      ips.has(config.label) ? ips.get(config.label)!.toFixed(0) : '',
      q ? String(q.steps) : '',
      q ? q.psnr.toFixed(2) : '',
      q ? q.bitsPerDim.toFixed(3) : '',
    ];
    console.log(cells.join(' | '));
  }
  if (seconds > 0) {
    const how = rounds > 0 ? 'as steps at its measured img/s' : 'by the clock';
    console.log(`\n${seconds} s of training each (${how}), ${train.count} train / ${test.count} held-out`);
  }
}

void main();
