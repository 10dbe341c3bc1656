# The PyTorch twin of examples/char-lstm.ts (run: /usr/bin/python3 examples/pytorch/char_lstm.py):
# a character-level LSTM language model on data/text/input.txt with truncated BPTT, gradient
# clipping and Adam. Same options as the TypeScript program, plus --save-init FILE, which writes
# the initial weights as safetensors (for torchlet to start from the same point).
import argparse
import json
import math
import os
import struct
import time

import torch
import torch.nn as nn
import torch.optim as optim

p = argparse.ArgumentParser()
p.add_argument("--steps", type=int, default=300)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--seq", type=int, default=64)
p.add_argument("--embed", type=int, default=64)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--layers", type=int, default=2)
p.add_argument("--dropout", type=float, default=0.2)
p.add_argument("--lr", type=float, default=0.002)
p.add_argument("--print-every", type=int, default=25)
p.add_argument("--sample", type=int, default=400)
p.add_argument("--chars", type=int, default=0)
p.add_argument("--save-init", default="")
args = p.parse_args()
torch.manual_seed(0)


def save_safetensors(tensors, path):
    """The safetensors layout (header length, JSON header, raw little-endian bytes) by hand, since
    Debian's PyTorch comes without the safetensors package."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "..", "data", "text", "input.txt"), encoding="utf8") as f:
    text = f.read()
if args.chars > 0:
    text = text[: args.chars]
vocab = sorted(set(text))
stoi = {c: i for i, c in enumerate(vocab)}
encoded = [stoi[c] for c in text]

counts = {}
for c in encoded:
    counts[c] = counts.get(c, 0) + 1
unigram = -sum(n / len(encoded) * math.log(n / len(encoded)) for n in counts.values())
print(f"text: {len(encoded)} characters, vocabulary {len(vocab)}, unigram entropy {unigram:.4f} nats")

stream_length = len(encoded) // args.batch
streams = torch.tensor(encoded[: args.batch * stream_length]).view(args.batch, stream_length)
windows = (stream_length - 1) // args.seq


class CharLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(len(vocab), args.embed)
        self.lstm = nn.LSTM(args.embed, args.hidden, num_layers=args.layers, dropout=args.dropout, batch_first=True)
        self.head = nn.Linear(args.hidden, len(vocab))

    def forward(self, x, state):
        out, state = self.lstm(self.embedding(x), state)
        return self.head(out), state


model = CharLSTM()
if args.save_init:
    save_safetensors(model.state_dict(), args.save_init)
optimizer = optim.Adam(model.parameters(), lr=args.lr)
criterion = nn.CrossEntropyLoss()

state = None
start = time.perf_counter()
for step in range(args.steps):
    w = step % windows
    if w == 0:
        state = None
    x = streams[:, w * args.seq : (w + 1) * args.seq]
    y = streams[:, w * args.seq + 1 : (w + 1) * args.seq + 1]
    optimizer.zero_grad()
    logits, state = model(x, state)
    state = (state[0].detach(), state[1].detach())
    loss = criterion(logits.reshape(-1, len(vocab)), y.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if step % args.print_every == 0 or step == args.steps - 1:
        print(f"step {step} loss {loss.item():.6f}")
seconds = time.perf_counter() - start
print(f"{args.steps} steps in {seconds:.1f} s ({args.steps * args.batch * args.seq / seconds:.0f} tokens/s)")

model.eval()
prompt = "Alice "
out = prompt
with torch.no_grad():
    s = None
    inp = torch.tensor([[stoi.get(c, 0) for c in prompt]])
    for _ in range(args.sample):
        logits, s = model(inp, s)
        probs = torch.softmax(logits[0, -1] / 0.8, 0).tolist()
        u = torch.rand(1, dtype=torch.float64).item()
        k, acc = 0, probs[0]
        while acc < u and k < len(probs) - 1:
            k += 1
            acc += probs[k]
        out += vocab[k]
        inp = torch.tensor([[k]])
print(f"sample:\n{out}")
