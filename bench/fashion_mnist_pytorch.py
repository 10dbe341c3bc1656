"""Fashion-MNIST with PyTorch: the same data pipeline, models, hyper-parameters and seed as
`torchlet train fashion-mnist` (src/cli/), for the time and accuracy per epoch comparison in
docs/fashion-mnist.md.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/fashion_mnist_pytorch.py \
        --model mlp --epochs 5 [--threads 1] [--limit N] [--csv out.csv]
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.286, 0.353  # as src/cli/train.ts


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(root, train, limit):
    prefix = "train" if train else "t10k"
    images = read_idx(os.path.join(root, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte.gz"))
    n = len(labels) if limit is None else min(limit, len(labels))
    x = (torch.from_numpy(images[:n].astype(np.float32)) / 255 - MEAN) / STD
    return x.reshape(n, 1, 28, 28), torch.from_numpy(labels[:n].astype(np.int64))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)
        self.dropout = nn.Dropout(0.2)

    def forward(self, x):
        h = self.flatten(x)
        h = self.dropout(F.relu(self.fc1(h)))
        h = self.dropout(F.relu(self.fc2(h)))
        return self.fc3(h)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        h = self.pool(F.relu(self.conv1(x)))
        h = self.pool(F.relu(self.conv2(h)))
        return self.fc(h.flatten(1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="adam")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--csv", default=None)
    a = p.parse_args()
    epochs = a.epochs or (10 if a.model == "mlp" else 3)
    if a.threads:
        torch.set_num_threads(a.threads)
    train_x, train_y = load_split(a.data, True, a.limit)
    test_x, test_y = load_split(a.data, False, a.limit)
    torch.manual_seed(a.seed)
    model = MLP() if a.model == "mlp" else CNN()
    opt = (
        torch.optim.Adam(model.parameters(), lr=a.lr)
        if a.optimizer == "adam"
        else torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9)
    )
    g = torch.Generator().manual_seed(a.seed)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(train_x, train_y), batch_size=a.batch_size, shuffle=True, generator=g
    )
    rows = ["epoch,train_loss,test_loss,test_accuracy,seconds,samples_per_second"]
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} thread(s), {a.model}, {len(train_y)} train samples")
    for epoch in range(1, epochs + 1):
        model.train()
        t0 = time.perf_counter()
        loss_sum = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(yb)
        seconds = time.perf_counter() - t0
        model.eval()
        test_loss, correct = 0.0, 0
        with torch.no_grad():
            for i in range(0, len(test_y), 1000):
                logits = model(test_x[i : i + 1000])
                test_loss += F.cross_entropy(logits, test_y[i : i + 1000], reduction="sum").item()
                correct += (logits.argmax(1) == test_y[i : i + 1000]).sum().item()
        n = len(train_y)
        row = f"{epoch},{loss_sum / n:.6f},{test_loss / len(test_y):.6f},{correct / len(test_y):.4f},{seconds:.2f},{n / seconds:.1f}"
        rows.append(row)
        print(row, flush=True)
    if a.csv:
        with open(a.csv, "w") as f:
            f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
