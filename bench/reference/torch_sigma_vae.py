"""Reference for `npm run bench -- quality`: a plain PyTorch sigma-VAE trained for a wall-clock budget.

Rybkin, Daniilidis & Levine (2021), "Simple and Effective VAE Training with Calibrated Decoders",
the "optimal sigma" variant of their code (orybkin/sigma-vae-pytorch): a Gaussian decoder whose
sigma is, at every step, the maximum-likelihood one for the batch, sigma* = sqrt(MSE of the batch),
one sigma shared by every pixel and channel, log sigma soft-clipped at -6 (-6 + softplus(log sigma + 6)).

Architecture (a conventional 64 px conv VAE, one level deeper than ours, about as many weights):
  encoder: 4 stride-2 3x3 convs, 3 -> 32 -> 64 -> 128 -> 256 channels (padding 1, ReLU, no
           BatchNorm), 64 -> 4 px; flatten 4*4*256 = 4096; dense to mu and log sigma^2 (latent 32)
  decoder: dense 32 -> 4096 (ReLU), 4 stride-2 3x3 transposed convs 256 -> 128 -> 64 -> 32 -> 3
           (padding 1, output_padding 1; ReLU between, sigmoid on the output: the mean in [0, 1])
Adam 1e-3, batch 64, pixels as uint8 / 255, no augmentation, trained until --seconds of training
(the clock is read before every step; loading the images is not counted).

Held-out figures, on the --split file's test images, after training:
  PSNR: the decoder mean at z = mu(x), rounded to 8 bits as ours is (round half to even, clipped to
        0..255), per-image MSE in [0, 1] units, 10 log10(1 / MSE), averaged over images.
  bits/dim: the negative ELBO (the mean of --elbo-samples one-sample estimates per image) under a
        discretized Gaussian over the 256 levels, P(x) = Phi((x + 1/510 - mu)/sigma) -
        Phi((x - 1/510 - mu)/sigma) with the bins at 0 and 255 reaching to -inf and +inf (a
        probability of the 8-bit pixels, like our discretized logistic), plus the analytic KL, over
        D ln 2. sigma is the model's own: sigma* over the whole training set at the final weights
        (z ~ q(z|x) as in training), soft-clipped the same way; no test image sets it.

Usage: python3 torch_sigma_vae.py SPLIT_JSON --seconds S [--seed N] [--grid PNG] [--grid-count N]
SPLIT_JSON: {"train": [png paths], "test": [png paths]}. Prints one JSON line. Debian's torch runs
1 intra-op thread by default; that default is what we compare against (reported as "threads").
"""
import argparse, json, math, time
import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.nn import functional as F

SIZE, CHANNELS = 64, 3
LOG_SIGMA_MIN = -6.0
HALF_BIN = 0.5 / 255
GRID_GAP, PAIRS_PER_ROW = 2, 8


def load(paths):
    """uint8 [N, 64, 64, 3] from PNG files, RGB as ours reads them."""
    images = [np.asarray(Image.open(p).convert("RGB"), dtype=np.uint8) for p in paths]
    for path, image in zip(paths, images):
        assert image.shape == (SIZE, SIZE, CHANNELS), f"{path} is {image.shape}, not {SIZE} px RGB"
    return np.stack(images)


def as_input(pixels):
    """NCHW float32 in [0, 1]."""
    return torch.from_numpy(pixels).permute(0, 3, 1, 2).float().div(255)


class SigmaVae(nn.Module):
    def __init__(self, latent=32, width=32, depth=4):
        super().__init__()
        channels = [width * 2**i for i in range(depth)]
        layers, previous = [], CHANNELS
        for c in channels:
            layers += [nn.Conv2d(previous, c, 3, 2, 1), nn.ReLU()]
            previous = c
        self.encoder = nn.Sequential(*layers, nn.Flatten())
        self.side = SIZE // 2**depth
        flat = channels[-1] * self.side**2
        self.mu, self.logvar = nn.Linear(flat, latent), nn.Linear(flat, latent)
        self.fc = nn.Linear(latent, flat)
        layers = []
        outs = list(reversed(channels))[1:] + [CHANNELS]
        for c_in, c_out in zip(reversed(channels), outs):
            layers += [nn.ConvTranspose2d(c_in, c_out, 3, 2, 1, output_padding=1), nn.ReLU()]
        layers[-1] = nn.Sigmoid()
        self.decoder = nn.Sequential(*layers)
        self.top = channels[-1]

    def encode(self, x):
        h = self.encoder(x)
        return self.mu(h), self.logvar(h)

    def decode(self, z):
        return self.decoder(F.relu(self.fc(z)).view(-1, self.top, self.side, self.side))


def softclip(t, minimum):
    return minimum + F.softplus(t - minimum)


def sample(mu, logvar):
    return mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)


def kl_per_image(mu, logvar):
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), 1)


def optimal_log_sigma(x, mean):
    """log sigma* = log sqrt(MSE), over every value of the batch, soft-clipped at -6."""
    return softclip(((x - mean) ** 2).mean().sqrt().log(), LOG_SIGMA_MIN)


def training_loss(model, x):
    """(Gaussian NLL with sigma* + KL) per image, as the paper's code minimises it."""
    mu, logvar = model.encode(x)
    mean = model.decode(sample(mu, logvar))
    log_sigma = optimal_log_sigma(x, mean)
    nll = 0.5 * ((x - mean) / log_sigma.exp()) ** 2 + log_sigma + 0.5 * math.log(2 * math.pi)
    return (nll.sum() + kl_per_image(mu, logvar).sum()) / x.shape[0]


def discretized_gaussian_log_prob(mean, x, log_sigma):
    """log P(x) per value, x = k/255, in float64; each form stays in a tail log_ndtr is exact in."""
    mean, x = mean.double(), x.double()
    inverse = torch.exp(-log_sigma.double())
    upper = (x - mean + HALF_BIN) * inverse
    lower = (x - mean - HALF_BIN) * inverse
    # Phi(upper) - Phi(lower) = Phi(-lower) - Phi(-upper): use the side where both are not far right.
    flip = lower > 0
    high = torch.where(flip, -lower, upper)
    low = torch.where(flip, -upper, lower)
    log_high, log_low = torch.special.log_ndtr(high), torch.special.log_ndtr(low)
    between = log_high + torch.log(-torch.expm1(log_low - log_high))
    lowest = torch.special.log_ndtr(upper)  # bin 0 reaches to -inf
    highest = torch.special.log_ndtr(-lower)  # bin 255 reaches to +inf
    return torch.where(x < HALF_BIN, lowest, torch.where(x > 1 - HALF_BIN, highest, between))


def fitted_log_sigma(model, train, batch):
    """sigma* over the whole training set at the final weights, z ~ q(z|x) as in training."""
    squared, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(train), batch):
            x = train[i : i + batch]
            mu, logvar = model.encode(x)
            squared += ((x - model.decode(sample(mu, logvar))) ** 2).double().sum().item()
            count += x.numel()
    return softclip(torch.tensor(math.log(math.sqrt(squared / count)), dtype=torch.float64), LOG_SIGMA_MIN)


def held_out(model, test, test_pixels, log_sigma, samples, batch):
    """Mean per-image PSNR at z = mu(x), and the mean negative ELBO in nats per image."""
    psnrs, elbos, means = [], [], []
    with torch.no_grad():
        for i in range(0, len(test), batch):
            x = test[i : i + batch]
            mu, logvar = model.encode(x)
            mean8 = torch.round(model.decode(mu) * 255).clamp(0, 255)
            means.append(mean8.permute(0, 2, 3, 1).to(torch.uint8).numpy())
            original = torch.from_numpy(test_pixels[i : i + batch]).permute(0, 3, 1, 2).double()
            mse = (((mean8.double() - original) / 255) ** 2).flatten(1).mean(1)
            psnrs += [math.inf if m == 0 else -10 * math.log10(m) for m in mse.tolist()]
            kl = kl_per_image(mu, logvar).double()
            total = torch.zeros(x.shape[0], dtype=torch.float64)
            for _ in range(samples):
                mean = model.decode(sample(mu, logvar))
                nll = -discretized_gaussian_log_prob(mean, x, log_sigma).flatten(1).sum(1)
                total += nll + kl
            elbos += (total / samples).tolist()
    return sum(psnrs) / len(psnrs), sum(elbos) / len(elbos), np.concatenate(means)


def write_grid(path, originals, reconstructions, scale):
    """Original | reconstruction pairs, 8 pairs a row, 2 px white gaps: the layout of `reconstruct`."""
    tiles = [t for pair in zip(originals, reconstructions) for t in pair]
    cols = min(2 * PAIRS_PER_ROW, len(tiles))
    rows = math.ceil(len(tiles) / cols)
    tile = SIZE * scale
    span = lambda n: n * tile + (n - 1) * GRID_GAP
    grid = np.full((span(rows), span(cols), CHANNELS), 255, dtype=np.uint8)
    for i, image in enumerate(tiles):
        top, left = (i // cols) * (tile + GRID_GAP), (i % cols) * (tile + GRID_GAP)
        grid[top : top + tile, left : left + tile] = image.repeat(scale, 0).repeat(scale, 1)
    Image.fromarray(grid).save(path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("split_json")
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--latent", type=int, default=32)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--elbo-samples", type=int, default=4)
    p.add_argument("--grid", default=None, help="PNG of original | reconstruction pairs")
    p.add_argument("--grid-count", type=int, default=64, help="test images in the grid, in file order")
    p.add_argument("--scale", type=int, default=2)
    a = p.parse_args()
    with open(a.split_json) as f:
        files = json.load(f)
    train_pixels, test_pixels = load(files["train"]), load(files["test"])
    train, test = as_input(train_pixels), as_input(test_pixels)

    torch.manual_seed(a.seed)
    model = SigmaVae(a.latent, a.width, a.depth)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps, images, epochs = 0, 0, 0
    started = time.perf_counter()
    # The last partial batch of an epoch is trained on, as ours does.
    while time.perf_counter() - started < a.seconds:
        order = torch.randperm(len(train))
        for i in range(0, len(train), a.batch):
            if time.perf_counter() - started >= a.seconds:
                break
            x = train[order[i : i + a.batch]]
            opt.zero_grad()
            training_loss(model, x).backward()
            opt.step()
            steps, images = steps + 1, images + x.shape[0]
        else:
            epochs += 1
    train_seconds = time.perf_counter() - started

    model.eval()
    log_sigma = fitted_log_sigma(model, train, 256)
    psnr, nats, means = held_out(model, test, test_pixels, log_sigma, a.elbo_samples, 256)
    if a.grid:
        count = min(a.grid_count, len(test_pixels))
        write_grid(a.grid, test_pixels[:count], means[:count], a.scale)
    print(
        json.dumps(
            {
                "threads": torch.get_num_threads(),
                "torch": torch.__version__,
                "parameters": sum(p.numel() for p in model.parameters()),
                "trainImages": len(train),
                "testImages": len(test),
                "steps": steps,
                "epochs": epochs,
                "trainSeconds": train_seconds,
                "trainImagesPerSecond": images / train_seconds,
                "sigma": math.exp(log_sigma.item()),
                "psnrDb": psnr,
                "negativeElbo": nats,
                "bitsPerDim": nats / (SIZE * SIZE * CHANNELS * math.log(2)),
            }
        )
    )


if __name__ == "__main__":
    main()
