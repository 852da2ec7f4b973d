"""Reference VAEs in PyTorch, timed the same way as ours (`npm run bench -- train`).

mlp:  784-400-20-400-784 (PyTorch examples/vae). Bernoulli likelihood.
conv: --depth 3x3 stride-2 convs of --width, 2*width, ... channels (ReLU), dense to (mu, logvar) of
      --latent; dense back (ReLU), 3x3 stride-2 transposed convs back to the image ("same" sizes:
      padding 1, output_padding 1), no activation on the output. The defaults are our MNIST conv VAE:
      1 -> 32 -> 64 at 28 px, latent 20, Bernoulli likelihood.
      --linear-path adds our PCA-start path (bench: the photo presets' `pcaStart`): mu gains a
      bias-ful dense map of the pixels times 1/sqrt(D), the output logits a dense map of z, both
      starting at zero, as src/main/engine/model/vae-conv.ts has them.
      --likelihood discretized-logistic: our photo likelihood (src/main/engine/model/loss.ts), the
      discretized logistic of PixelCNN++ in [0, 1] units, mean = sigmoid(logits), one learned log-scale
      per channel (starting at log 0.1, floored at -7 - ln 2 by floor + softplus(raw - floor)),
      trained by Adam with the rest.

Data: MNIST_DIR's IDX files (the default), or with --size/--channels other than 28/1 (e.g. --size 64
--channels 3, our 64 px colour preset) random 8-bit pixels of that shape (uniform levels k/255,
numpy's generator seeded by --seed): a throughput-only mode, which times training and encoding and
skips the -ELBO runs (there is no held-out set to speak of).

Usage: python3 torch_vae.py MNIST_DIR --model mlp|conv --batches N --epochs E --seed S [--seeds 1,2,3]
         [--device auto|cpu|cuda] [--size 64 --channels 3 --width 32 --depth 3 --latent 32 --batch 32
          --likelihood discretized-logistic --linear-path] [--encode-images N --encode-chunk M]
Prints one JSON line: training and encoding images/s (seed S), the device that ran them, and held-out
negative ELBO after E epochs for each of --seeds (default: S alone) as testLosses, their mean as
testLoss. --device auto is cuda when torch.cuda.is_available(), else cpu; on cuda the timers are read
only after torch.cuda.synchronize(). Debian's torch runs 1 intra-op thread by default; that default
is what we compare against on the cpu.
"""
import argparse, json, math, struct, time
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

HALF_BIN = 0.5 / 255
LOGISTIC_LOG_SCALE_FLOOR = -7 - math.log(2)


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, "not an unsigned-byte IDX file"
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class MlpVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def decode(self, z):
        return self.fc4(F.relu(self.fc3(z)))


class ConvVAE(nn.Module):
    """Images flattened at the edges ([batch, channels*size*size], NCHW order), like the MLP."""

    def __init__(self, size=28, channels=1, latent=20, width=32, depth=2, linear_path=False, learned_scale=False):
        super().__init__()
        self.size, self.channels = size, channels
        widths = [width * 2**i for i in range(depth)]
        self.side, self.top = size // 2**depth, widths[-1]
        assert self.side * 2**depth == size, f"{size} px does not halve {depth} times"
        flat = self.top * self.side**2
        # Created in the order of the original two-layer model, so seeds give it the same weights.
        self.encoder = nn.ModuleList(nn.Conv2d(i, o, 3, 2, 1) for i, o in zip([channels] + widths[:-1], widths))
        self.mu, self.lv = nn.Linear(flat, latent), nn.Linear(flat, latent)
        self.fc = nn.Linear(latent, flat)
        outs = list(reversed(widths))[1:] + [channels]
        self.decoder = nn.ModuleList(
            nn.ConvTranspose2d(i, o, 3, 2, 1, output_padding=1) for i, o in zip(reversed(widths), outs)
        )
        self.linear_scale = 1 / math.sqrt(channels * size * size)
        self.enc_linear = self.dec_linear = None
        if linear_path:
            self.enc_linear = nn.Linear(channels * size * size, latent)
            self.dec_linear = nn.Linear(latent, channels * size * size)
            for layer in (self.enc_linear, self.dec_linear):
                nn.init.zeros_(layer.weight)
                nn.init.zeros_(layer.bias)
        self.log_scale = nn.Parameter(torch.full((channels,), math.log(0.1))) if learned_scale else None

    def encode(self, x):
        h = x.view(-1, self.channels, self.size, self.size)
        for conv in self.encoder:
            h = F.relu(conv(h))
        h = h.flatten(1)
        mu = self.mu(h)
        if self.enc_linear is not None:
            mu = mu + self.enc_linear(x * self.linear_scale)
        return mu, self.lv(h)

    def decode(self, z):
        h = F.relu(self.fc(z)).view(-1, self.top, self.side, self.side)
        for i, deconv in enumerate(self.decoder):
            h = deconv(h) if i == len(self.decoder) - 1 else F.relu(deconv(h))
        logits = h.flatten(1)
        return logits + self.dec_linear(z) if self.dec_linear is not None else logits


def discretized_logistic_nll(model, logits, x):
    """Summed -log P(x) per image, as loss.ts's discretizedLogisticNll (channel-first here)."""
    shape = (x.shape[0], model.channels, -1)
    mean, x = torch.sigmoid(logits).view(shape), x.view(shape)
    log_scale = LOGISTIC_LOG_SCALE_FLOOR + F.softplus(model.log_scale - LOGISTIC_LOG_SCALE_FLOOR)
    inverse = torch.exp(-log_scale).view(1, -1, 1)
    centred = x - mean
    upper, lower = (centred + HALF_BIN) * inverse, (centred - HALF_BIN) * inverse
    log_cdf_upper, log_survival_lower = -F.softplus(-upper), -F.softplus(lower)
    bin_width = torch.ones_like(upper) * (2 * HALF_BIN * inverse)
    between = log_cdf_upper + log_survival_lower + torch.log(-torch.expm1(-bin_width))
    log_prob = torch.where(x < HALF_BIN, log_cdf_upper, torch.where(x > 1 - HALF_BIN, log_survival_lower, between))
    return -log_prob.sum((1, 2))


def neg_elbo(model, x, likelihood="bernoulli"):
    mu, logvar = model.encode(x)
    z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
    logits = model.decode(z)
    if likelihood == "bernoulli":
        nll = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    else:
        nll = discretized_logistic_nll(model, logits, x).sum()
    return (nll + -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())) / x.shape[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mnist_dir")
    p.add_argument("--model", choices=["mlp", "conv"], default="mlp")
    p.add_argument("--batches", type=int, default=200)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seeds", default=None, help="comma-separated seeds for the -ELBO runs (default: --seed)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--size", type=int, default=28, help="conv: image side; not 28 (or --channels not 1) = random data")
    p.add_argument("--channels", type=int, choices=[1, 3], default=1)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--depth", type=int, default=2)
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--likelihood", choices=["bernoulli", "discretized-logistic"], default="bernoulli")
    p.add_argument("--linear-path", action="store_true")
    p.add_argument("--encode-images", type=int, default=None, help="images encoded for the timing (default: all test images)")
    p.add_argument("--encode-chunk", type=int, default=1000)
    a = p.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        p.error("--device cuda, but torch.cuda.is_available() is False (a CPU-only torch, or no GPU)")
    device = torch.device("cuda" if a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available()) else "cpu")
    cuda = device.type == "cuda"
    synchronize = torch.cuda.synchronize if cuda else (lambda: None)
    quality_seeds = [int(s) for s in a.seeds.split(",")] if a.seeds else [a.seed]
    synthetic = (a.size, a.channels) != (28, 1)
    if a.model == "mlp":
        assert not synthetic and a.likelihood == "bernoulli" and not a.linear_path, "mlp: MNIST, Bernoulli only"
        make = MlpVAE
    else:
        make = lambda: ConvVAE(
            a.size, a.channels, a.latent, a.width, a.depth, a.linear_path, a.likelihood == "discretized-logistic"
        )
    torch.manual_seed(a.seed)
    batch, pixels = a.batch, a.channels * a.size * a.size
    if synthetic:
        rng = np.random.default_rng(a.seed)
        pool = max(16 * batch, a.encode_images or 0)
        train = torch.from_numpy(rng.integers(0, 256, (pool, pixels), dtype=np.uint8).astype(np.float32) / 255)
        test = train
    else:
        train = torch.from_numpy(read_idx(f"{a.mnist_dir}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
        test = torch.from_numpy(read_idx(f"{a.mnist_dir}/t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    train, test = train.to(device), test.to(device)
    encoded = test[: a.encode_images] if a.encode_images else test
    model = make().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x):
        opt.zero_grad()
        loss = neg_elbo(model, x, a.likelihood)
        loss.backward()
        opt.step()

    for i in range(5):
        step(train[i * batch : (i + 1) * batch])
    synchronize()
    t0 = time.perf_counter()
    for i in range(a.batches):
        j = i % (len(train) // batch)
        step(train[j * batch : (j + 1) * batch])
    synchronize()
    train_ips = a.batches * batch / (time.perf_counter() - t0)

    chunk = a.encode_chunk
    with torch.no_grad():
        model.encode(encoded[:chunk])  # warm-up, untimed, as ours
        synchronize()
        t0 = time.perf_counter()
        for i in range(0, len(encoded), chunk):
            model.encode(encoded[i : i + chunk])
        synchronize()
        encode_ips = len(encoded) / (time.perf_counter() - t0)

    test_losses = []
    if a.epochs > 0 and not synthetic:
        for seed in quality_seeds:
            torch.manual_seed(seed)
            model = make().to(device)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            for _ in range(a.epochs):
                order = torch.randperm(len(train)).to(device)
                for i in range(0, len(train), batch):
                    step(train[order[i : i + batch]])
            with torch.no_grad():
                test_losses.append(
                    sum(neg_elbo(model, test[i : i + 1000], a.likelihood).item() * len(test[i : i + 1000]) for i in range(0, len(test), 1000)) / len(test)
                )
    test_loss = sum(test_losses) / len(test_losses) if test_losses else None
    print(
        json.dumps(
            {
                "device": device.type,
                "deviceName": torch.cuda.get_device_name(device) if cuda else None,
                "threads": torch.get_num_threads(),
                "data": "random 8-bit pixels" if synthetic else "MNIST",
                "trainImagesPerSecond": train_ips,
                "encodeImagesPerSecond": encode_ips,
                "testLoss": test_loss,
                "testLosses": test_losses,
            }
        )
    )


if __name__ == "__main__":
    main()
