"""Reference: the PyTorch examples/vae MLP VAE (784-400-20-400-784), timed the same way as ours.

Usage: python3 torch_mlp_vae.py MNIST_DIR --batches N --epochs E --seed S
Prints one JSON line: training and encoding images/s, and held-out negative ELBO after E epochs.
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


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def neg_elbo_sum(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x, reduction="sum")
    return bce + -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mnist_dir")
    p.add_argument("--batches", type=int, default=200)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    train = torch.from_numpy(read_idx(f"{a.mnist_dir}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    test = torch.from_numpy(read_idx(f"{a.mnist_dir}/t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    model, batch = VAE(), 128
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x):
        opt.zero_grad()
        recon, mu, logvar = model(x)
        loss = neg_elbo_sum(recon, x, mu, logvar) / x.shape[0]
        loss.backward()
        opt.step()

    # Throughput: warm up, then time a fixed number of batches.
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

    # Quality: fresh model, E full epochs, held-out negative ELBO per image.
    torch.manual_seed(a.seed)
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(a.epochs):
        order = torch.randperm(len(train))
        for i in range(0, len(train), batch):
            step(train[order[i : i + batch]])
    with torch.no_grad():
        recon, mu, logvar = model(test)
        test_loss = neg_elbo_sum(recon, test, mu, logvar).item() / len(test)
    print(json.dumps({"trainImagesPerSecond": train_ips, "encodeImagesPerSecond": encode_ips, "testLoss": test_loss}))


if __name__ == "__main__":
    main()
