#!/bin/bash
# Latent Studio's training bench (bench/train.ts, bundled by bench/device/build.sh into .gpu/) on a borrowed GPU machine
# without Node: run from the repo root as `bash bench/device/run.sh`, with OUT set to a folder that comes back.
# The whole log goes to $OUT/bench.log as it is written, so whatever finished before a timeout is in it.
#
#   SIM=1   local simulation: no `dpkg -x` into /, tiny batch counts, webgpu only on the MLP (SwiftShader
#           takes about a minute per conv step). Set VK_ICD_FILENAMES yourself for SwiftShader.
#   BUDGET  seconds for the whole script (default 460): every step's timeout is cut to what is left.
#   ONLY_CHECK=1  diagnostics and the adapter check only (~30 s).
#   NOGPU_FULL=1  run the whole plan even when Dawn finds no hardware adapter (default: MLP table only).
set -o pipefail
OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$OUT"
HERE=$(cd "$(dirname "$0")/../../.gpu" && pwd)
B=/tmp/lsbench
BUDGET=${BUDGET:-460}

left() { echo $((BUDGET - SECONDS)); }
# step NAME CAP CMD...: runs CMD under timeout min(CAP, time left), says how it ended.
step() {
  local name=$1 cap=$2
  shift 2
  local t
  t=$(left)
  if [ "$t" -lt 20 ]; then
    echo "=== $name: skipped, ${t}s of the ${BUDGET}s budget left"
    return 0
  fi
  [ "$cap" -lt "$t" ] && t=$cap
  echo "=== $name (timeout ${t}s, at ${SECONDS}s): $*"
  local t0=$SECONDS
  timeout -k 10 "$t" "$@"
  local rc=$?
  echo "=== $name: exit $rc after $((SECONDS - t0))s$([ $rc = 124 ] || [ $rc = 137 ] && echo ' (TIMED OUT)')"
  return 0
}

main() {
  echo "=== diagnostics $(date -u +%FT%TZ) SIM=${SIM:-0}"
  uname -srm
  grep -h PRETTY_NAME /etc/os-release 2>/dev/null
  ldd --version 2>&1 | head -1
  echo "cpus: $(nproc)"
  nvidia-smi -L 2>&1
  echo "--- /usr/local/nvidia/share/vulkan/icd.d/:"
  ls -la /usr/local/nvidia/share/vulkan/icd.d/ 2>&1
  echo "--- vulkan in ldconfig (before the loader debs):"
  ldconfig -p | grep -i vulkan
  echo "--- python3 candidates:"
  PY=
  for p in $(command -v python3) /opt/torch/.venv/bin/python3 /usr/bin/python3; do
    [ -x "$p" ] || continue
    v=$("$p" -c "import torch; print(torch.__version__, torch.cuda.is_available())" 2>&1 | tail -1)
    echo "$p: $v"
    if [ -z "$PY" ] && "$p" -c "import torch" 2>/dev/null; then PY=$p; fi
  done
  export PYTHON=${PY:-/usr/bin/python3} PYTHONUNBUFFERED=1
  echo "PYTHON=$PYTHON (the bench's PyTorch reference)"

  if [ "${SIM:-0}" = 1 ]; then
    echo "=== SIM=1: not unpacking .gl/*.deb into /"
  else
    echo "=== Vulkan loader from .gl"
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    ldconfig -p | grep -i vulkan
    local found=
    for d in /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d; do
      ls "$d"/*.json >/dev/null 2>&1 && found="$found $(ls "$d"/*.json)"
    done
    echo "system Vulkan ICDs:${found:- none}"
    local nv=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    if ! echo "$found" | grep -qi nvidia && [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
      if [ -f "$nv" ]; then
        export VK_DRIVER_FILES=$nv __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
        echo "no NVIDIA ICD in the system folders: VK_DRIVER_FILES=$VK_DRIVER_FILES"
      else
        echo "WARNING: no NVIDIA Vulkan ICD found anywhere; Dawn will likely find no adapter"
      fi
    fi
    [ -f "$nv" ] && cat "$nv"
    # The ICD names its library (libGLX_nvidia.so.0) bare: it must be on the loader's path.
    if ! ldconfig -p | grep -q libGLX_nvidia; then
      for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
        [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      done
      echo "libGLX_nvidia not in ldconfig; LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
      ls /usr/local/nvidia/lib64 2>/dev/null | grep -i 'glx_nvidia\|vulkan' | head
    else
      ldconfig -p | grep -i 'libGLX_nvidia\|libnvidia-vulkan' | head -3
    fi
  fi

  echo "=== unpacking node and the bundle into $B"
  rm -rf "$B" && mkdir -p "$B" || return 1
  if command -v xz >/dev/null; then
    xz -dc "$HERE/node.xz" > "$B/node" && xz -dc "$HERE/payload.tar.xz" | tar -C "$B" -xf - || return 1
  else
    "$PYTHON" - "$HERE" "$B" <<'EOF' || return 1
import lzma, shutil, sys, tarfile
here, b = sys.argv[1], sys.argv[2]
with lzma.open(f"{here}/node.xz") as src, open(f"{b}/node", "wb") as dst:
    shutil.copyfileobj(src, dst)
with tarfile.open(f"{here}/payload.tar.xz") as t:
    t.extractall(b)
EOF
  fi
  chmod +x "$B/node"
  NODE=$B/node
  echo "node: $NODE $("$NODE" --version) ($(uname -m)); bundle built from $(head -1 "$B/BUILT_FROM")"
  sed -n '2,$p' "$B/BUILT_FROM" | sed 's/^/  uncommitted at build: /'
  if [ -f bench/reference/torch_vae.py ] && ! cmp -s bench/reference/torch_vae.py "$B/bench/reference/torch_vae.py"; then
    echo "NOTE: the repo's bench/reference/torch_vae.py differs from the bundle's (the bundle's is used)"
  fi
  # Dawn's Vulkan/Wayland probing complains without one.
  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

  cd "$B" || return 1
  step "WebGPU adapter check" 90 env VK_LOADER_DEBUG=error "$NODE" bench/adapter-check.js | tee "$B/adapter.txt"
  local gpu=0
  if grep -q '^\[auto\] backend: WebGPU' "$B/adapter.txt"; then gpu=1
  elif [ "${SIM:-0}" = 1 ] && grep -q '^\[webgpu\] backend: WebGPU' "$B/adapter.txt"; then gpu=1
  fi
  if [ "${ONLY_CHECK:-0}" = 1 ]; then echo "=== ONLY_CHECK=1: stopping after the adapter check"; return 0; fi
  if [ $gpu = 0 ] && [ "${NOGPU_FULL:-0}" != 1 ]; then
    echo "=== WARNING: NO HARDWARE WebGPU ADAPTER (see above). Running only the MLP table (PyTorch vs wasm,"
    echo "    webgpu's reason listed) so that a rerun fits; NOGPU_FULL=1 runs the whole plan anyway."
    step "train mlp (no GPU adapter)" 120 "$NODE" bench/train.js --models mlp --backends webgpu,wasm --batches 100 --epochs 0
    echo "=== done at ${SECONDS}s"
    return 0
  fi

  local T="$NODE bench/train.js"
  if [ "${SIM:-0}" = 1 ]; then
    step "train mlp" 300 $T --models mlp --backends webgpu,wasm --batches 2 --epochs 0 --seeds 1
    step "train conv" 200 $T --models conv --backends wasm --batches 2 --epochs 0 --seeds 1
    step "train conv64" 200 $T --models conv64 --backends wasm --batches 2 --epochs 0 --seeds 1
    step "quality mlp" 300 $T --models mlp --backends wasm --batches 2 --epochs 1 --seeds 1
  else
    # Throughput first, one process per model (a native crash costs one table, not all three):
    # webgpu and wasm against PyTorch on cuda (which times twice the batches). The MLP gets 200
    # batches, as its GPU steps take a few ms; wasm's conv64 (~100 img/s) bounds the others at 100.
    step "train mlp" 120 $T --models mlp --backends webgpu,wasm --batches 200 --epochs 0
    step "train conv" 150 $T --models conv --backends webgpu,wasm --batches 100 --epochs 0
    step "train conv64" 180 $T --models conv64 --backends webgpu,wasm --batches 100 --epochs 0
    # Then, with what is left, the −ELBO comparison on the MLP: wasm (single-threaded, ~15 s an
    # epoch) against PyTorch on cuda, 1 epoch, 3 seeds a side. The conv's (~1 min an epoch on wasm)
    # does not fit, and wasm's figures do not depend on the machine anyway.
    step "quality mlp" 150 $T --models mlp --backends wasm --batches 20 --epochs 1 --seeds 3
  fi
  echo "=== done at ${SECONDS}s"
}

main 2>&1 | tee "$OUT/bench.log"
