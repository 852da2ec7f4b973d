"""Reference VAEs in PyTorch, timed the same way as ours (`npm run bench -- train`).

mlp:  784-400-20-400-784 (PyTorch examples/vae).
conv: 3x3 stride-2 convs 32 -> 64 (ReLU), dense to (mu, logvar) of 20; dense back, 3x3 stride-2
      transposed convs 64 -> 32 -> 1 ("same" sizes: padding 1, output_padding 1). Bernoulli likelihood.

Usage: python3 torch_vae.py MNIST_DIR --model mlp|conv --batches N --epochs E --seed S [--seeds 1,2,3]
Prints one JSON line: training and encoding images/s (seed S), and held-out negative ELBO after E
epochs for each of --seeds (default: S alone) as testLosses, their mean as testLoss.
Debian's torch runs 1 intra-op thread by default; that default is what we compare against.
"""
import argparse, json, struct, time
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


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
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(1, 32, 3, 2, 1), nn.Conv2d(32, 64, 3, 2, 1)
        self.mu, self.lv = nn.Linear(7 * 7 * 64, 20), nn.Linear(7 * 7 * 64, 20)
        self.fc = nn.Linear(20, 7 * 7 * 64)
        self.d1 = nn.ConvTranspose2d(64, 32, 3, 2, 1, output_padding=1)
        self.d2 = nn.ConvTranspose2d(32, 1, 3, 2, 1, output_padding=1)

    def encode(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x.view(-1, 1, 28, 28))))).flatten(1)
        return self.mu(h), self.lv(h)

    def decode(self, z):
        h = F.relu(self.fc(z)).view(-1, 64, 7, 7)
        return self.d2(F.relu(self.d1(h))).flatten(1)


def neg_elbo(model, x):
    mu, logvar = model.encode(x)
    z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
    bce = F.binary_cross_entropy_with_logits(model.decode(z), x, reduction="sum")
    return (bce + -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())) / x.shape[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mnist_dir")
    p.add_argument("--model", choices=["mlp", "conv"], default="mlp")
    p.add_argument("--batches", type=int, default=200)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seeds", default=None, help="comma-separated seeds for the -ELBO runs (default: --seed)")
    a = p.parse_args()
    quality_seeds = [int(s) for s in a.seeds.split(",")] if a.seeds else [a.seed]
    torch.manual_seed(a.seed)
    make = MlpVAE if a.model == "mlp" else ConvVAE
    train = torch.from_numpy(read_idx(f"{a.mnist_dir}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    test = torch.from_numpy(read_idx(f"{a.mnist_dir}/t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    model, batch = make(), 128
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x):
        opt.zero_grad()
        loss = neg_elbo(model, x)
        loss.backward()
        opt.step()

    for i in range(5):
        step(train[i * batch : (i + 1) * batch])
    t0 = time.perf_counter()
    for i in range(a.batches):
        j = i % (len(train) // batch)
        step(train[j * batch : (j + 1) * batch])
    train_ips = a.batches * batch / (time.perf_counter() - t0)

    with torch.no_grad():
        t0 = time.perf_counter()
        for i in range(0, len(test), 1000):
            model.encode(test[i : i + 1000])
        encode_ips = len(test) / (time.perf_counter() - t0)

    test_losses = []
    if a.epochs > 0:
        for seed in quality_seeds:
            torch.manual_seed(seed)
            model = make()
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            for _ in range(a.epochs):
                order = torch.randperm(len(train))
                for i in range(0, len(train), batch):
                    step(train[order[i : i + batch]])
            with torch.no_grad():
                test_losses.append(
                    sum(neg_elbo(model, test[i : i + 1000]).item() * 1000 for i in range(0, len(test), 1000)) / len(test)
                )
    test_loss = sum(test_losses) / len(test_losses) if test_losses else None
    print(json.dumps({"trainImagesPerSecond": train_ips, "encodeImagesPerSecond": encode_ips, "testLoss": test_loss, "testLosses": test_losses}))


if __name__ == "__main__":
    main()
