/**
 * The text written beside encoder.onnx and decoder.onnx: a README with the graphs' exact inputs and
 * outputs, and two runnable samples (Python with onnxruntime, Node with onnxruntime-node) that
 * draw z ~ N(0, I), decode it and save a grid. Sizes come from model-config.json at run time, so
 * a sample keeps working if the folder's files are replaced by another export.
 */
import { ONNX_NAMES } from './vae-onnx';

export interface SnippetFacts {
  latentDim: number;
  size: number;
  channels: 1 | 3;
  likelihood: string;
  model: string;
  epoch: number;
  datasetName: string;
}

export const SAMPLE_PY = `"""Decode random latent codes with a Latent Studio decoder.onnx and save them as a PNG grid.

pip install onnxruntime numpy pillow
python sample.py [count] [out.png]
"""
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

here = Path(__file__).resolve().parent
config = json.loads((here / "model-config.json").read_text())
latent, size, channels = config["latentDim"], config["imageSize"], config["channels"]
count = int(sys.argv[1]) if len(sys.argv) > 1 else 16
out = sys.argv[2] if len(sys.argv) > 2 else "samples.png"

decoder = ort.InferenceSession(str(here / "decoder.onnx"))
z = np.random.default_rng(0).standard_normal((count, latent)).astype(np.float32)  # z ~ N(0, I)
pixels = decoder.run(["${ONNX_NAMES.pixels}"], {"${ONNX_NAMES.z}": z})[0]  # [count, size, size, channels] in [0, 1]

columns = int(np.ceil(np.sqrt(count)))
rows = -(-count // columns)
grid = np.zeros((rows * size, columns * size, channels), np.float32)
for i, image in enumerate(pixels):
    r, c = divmod(i, columns)
    grid[r * size : (r + 1) * size, c * size : (c + 1) * size] = image
grid = (grid * 255).round().clip(0, 255).astype(np.uint8)
Image.fromarray(grid[..., 0] if channels == 1 else grid).save(out)

# The encoder reads images the same way: NHWC float32 in [0, 1] (byte / 255).
encoder = ort.InferenceSession(str(here / "encoder.onnx"))
mean, logvar = encoder.run(["${ONNX_NAMES.mean}", "${ONNX_NAMES.logvar}"], {"${ONNX_NAMES.x}": pixels})
print(f"wrote {out}: {count} samples; re-encoded, mean |z| {np.abs(mean).mean():.3f}")
`;

export const SAMPLE_MJS = `// Decode random latent codes with a Latent Studio decoder.onnx and save them as a grid (PGM/PPM).
//
// npm install onnxruntime-node
// node sample.mjs [count] [out.pnm]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const { latentDim, imageSize: size, channels } = JSON.parse(readFileSync(here('model-config.json'), 'utf8'));
const count = Number(process.argv[2] ?? 16);
const out = process.argv[3] ?? (channels === 1 ? 'samples.pgm' : 'samples.ppm');

// z ~ N(0, I) by Box–Muller.
const z = Float32Array.from({ length: count * latentDim }, () =>
  Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()),
);
const decoder = await ort.InferenceSession.create(here('decoder.onnx'));
const result = await decoder.run({ ${ONNX_NAMES.z}: new ort.Tensor('float32', z, [count, latentDim]) });
const pixels = result.${ONNX_NAMES.pixels}.data; // [count, size, size, channels] in [0, 1], NHWC

const columns = Math.ceil(Math.sqrt(count));
const rows = Math.ceil(count / columns);
const width = columns * size;
const grid = new Uint8Array(rows * size * width * channels);
for (let i = 0; i < count; i++) {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size * channels; x++) {
      const gridRow = Math.floor(i / columns) * size + y;
      const gridColumn = (i % columns) * size * channels + x;
      const value = pixels[(i * size + y) * size * channels + x];
      grid[gridRow * width * channels + gridColumn] = Math.min(255, Math.max(0, Math.round(value * 255)));
    }
  }
}
const header = \`\${channels === 1 ? 'P5' : 'P6'}\\n\${width} \${rows * size}\\n255\\n\`;
writeFileSync(out, Buffer.concat([Buffer.from(header, 'ascii'), grid]));
console.log(\`wrote \${out}: \${count} samples\`);
`;

export function readme(facts: SnippetFacts): string {
  const { latentDim, size, channels } = facts;
  return `# ${facts.datasetName} VAE as ONNX

Exported by Latent Studio: a ${facts.model} VAE, epoch ${facts.epoch}, ${facts.likelihood} likelihood,
${size}×${size} ${channels === 1 ? 'greyscale' : 'RGB'} images, ${latentDim} latent dimensions. ONNX opset 13.

| File | Input | Output |
| --- | --- | --- |
| \`encoder.onnx\` | \`${ONNX_NAMES.x}\`: float32 [N, ${size}, ${size}, ${channels}] | \`${ONNX_NAMES.mean}\`, \`${ONNX_NAMES.logvar}\`: float32 [N, ${latentDim}] |
| \`decoder.onnx\` | \`${ONNX_NAMES.z}\`: float32 [N, ${latentDim}] | \`${ONNX_NAMES.pixels}\`: float32 [N, ${size}, ${size}, ${channels}] |

- Images are NHWC (rows, columns, channels; channels last), pixel values in [0, 1]: byte / 255,
  exactly as the app feeds its model. Greyscale images have one channel.
- \`${ONNX_NAMES.mean}\` and \`${ONNX_NAMES.logvar}\` are q(z | x) = N(mean, exp(logvar)); a sample is
  \`mean + exp(logvar / 2) * ε\`, ε ~ N(0, I). The prior is N(0, I).
- \`${ONNX_NAMES.pixels}\` is what the app draws: sigmoid of the decoder's outputs, the pixel
  ${facts.likelihood === 'bernoulli' ? 'probabilities (Bernoulli)' : 'means'}. Multiply by 255 and round for 8-bit images.
- \`model-config.json\` has the same sizes, the run's settings and any learned likelihood scale.

## Python (onnxruntime + numpy + Pillow)

\`pip install onnxruntime numpy pillow\`, then \`python sample.py 16 samples.png\`:

\`\`\`python
${SAMPLE_PY.trim()}
\`\`\`

## Node (onnxruntime-node)

\`npm install onnxruntime-node\`, then \`node sample.mjs 16\` (writes a PGM/PPM grid):

\`\`\`js
${SAMPLE_MJS.trim()}
\`\`\`

## A web page (onnxruntime-web)

Serve this folder (e.g. \`python -m http.server\`) and open a page with:

\`\`\`html
<canvas id="out" width="${size}" height="${size}"></canvas>
<script src="https://cdn.jsdelivr.net/npm/onnxruntime-web/dist/ort.min.js"></script>
<script type="module">
  const decoder = await ort.InferenceSession.create('decoder.onnx');
  const z = Float32Array.from({ length: ${latentDim} }, () =>
    Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()));
  const { ${ONNX_NAMES.pixels} } = await decoder.run({ ${ONNX_NAMES.z}: new ort.Tensor('float32', z, [1, ${latentDim}]) });
  const image = new ImageData(${size}, ${size});
  for (let p = 0; p < ${size * size}; p++) {
    for (let c = 0; c < 3; c++) image.data[p * 4 + c] = 255 * ${ONNX_NAMES.pixels}.data[${channels === 1 ? 'p' : 'p * 3 + c'}];
    image.data[p * 4 + 3] = 255;
  }
  document.getElementById('out').getContext('2d').putImageData(image, 0, 0);
</script>
\`\`\`
`;
}
