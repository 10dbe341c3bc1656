// A character-level LSTM language model, line for line as its PyTorch twin
// (examples/pytorch/char_lstm.py): Embedding -> 2-layer LSTM with dropout -> Linear, trained on
// data/text/input.txt (Alice's Adventures in Wonderland) with truncated backpropagation through
// time (the hidden state carried over, detached), gradient clipping and Adam. It prints the loss
// as it trains, the text's unigram entropy to compare with, and a sample at the end.
//
// Run: npx tsx examples/char-lstm.ts            (300 steps: a few minutes on one core)
// Options: --steps N --batch B --seq T --embed E --hidden H --layers L --dropout P --lr LR
//          --chars N (train on the first N characters) --backend native|wasm|reference
//          --init file.safetensors (start from these weights) --print-every K --sample N
import { readFileSync } from "node:fs";
import * as torch from "torchlet";
import { nn, optim, type Tensor } from "torchlet";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const steps = Number(opt("steps", "300"));
const batch = Number(opt("batch", "32"));
const seq = Number(opt("seq", "64"));
const embed = Number(opt("embed", "64"));
const hidden = Number(opt("hidden", "256"));
const layers = Number(opt("layers", "2"));
const dropout = Number(opt("dropout", "0.2"));
const lr = Number(opt("lr", "0.002"));
const printEvery = Number(opt("print-every", "25"));
const sampleLength = Number(opt("sample", "400"));
const init = opt("init", "");
torch.setBackend(opt("backend", "native"));
torch.manualSeed(0);

let text = readFileSync(new URL("../data/text/input.txt", import.meta.url), "utf8");
const chars = Number(opt("chars", "0"));
if (chars > 0) text = text.slice(0, chars);
const vocab = [...new Set(text)].sort();
const stoi = new Map(vocab.map((c, i) => [c, i]));
const encoded = Array.from(text, (c) => stoi.get(c)!);

// The unigram entropy (nats per character): the loss of a model that knows only the
// character frequencies. A model that learns anything about sequences goes below it.
const counts = new Map<number, number>();
for (const c of encoded) counts.set(c, (counts.get(c) ?? 0) + 1);
let unigram = 0;
for (const n of counts.values()) unigram -= (n / encoded.length) * Math.log(n / encoded.length);
console.log(
  `text: ${encoded.length} characters, vocabulary ${vocab.length}, unigram entropy ${unigram.toFixed(4)} nats`,
);

// `batch` parallel streams, each a contiguous stretch of the text: window i of every stream
// continues window i - 1, so the hidden state carries over between windows.
const streamLength = Math.floor(encoded.length / batch);
const streams = torch
  .tensor(encoded.slice(0, batch * streamLength), { dtype: "int32" })
  .view(batch, streamLength);
const windows = Math.floor((streamLength - 1) / seq);

class CharLSTM extends nn.Module {
  embedding = new nn.Embedding(vocab.length, embed);
  lstm = new nn.LSTM(embed, hidden, { numLayers: layers, dropout, batchFirst: true });
  head = new nn.Linear(hidden, vocab.length);

  forward(x: Tensor, state: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    const [out, next] = this.lstm(this.embedding(x), state);
    return [this.head(out), next];
  }
}

const model = new CharLSTM();
if (init) model.loadStateDict(torch.load(init));
const optimizer = new optim.Adam(model.parameters(), { lr });
const criterion = new nn.CrossEntropyLoss();

let state: [Tensor, Tensor] | null = null;
const start = performance.now();
for (let step = 0; step < steps; step++) {
  const w = step % windows;
  if (w === 0) state = null; // a new pass over the text starts from a zero state
  const x = streams.narrow(1, w * seq, seq);
  const y = streams.narrow(1, w * seq + 1, seq);
  optimizer.zeroGrad();
  // Annotated: `state` feeds the call that makes it, which TypeScript's inference of a module
  // call cannot follow around a loop (TS7022); `model.forward(x, state)` needs no annotation.
  const [logits, next]: [Tensor, [Tensor, Tensor]] = model(x, state);
  state = [next[0].detach(), next[1].detach()]; // truncated BPTT: no gradient into the past
  const loss = criterion(logits.reshape(-1, vocab.length), y.reshape(-1));
  loss.backward();
  nn.utils.clipGradNorm_(model.parameters(), 1.0);
  optimizer.step();
  if (step % printEvery === 0 || step === steps - 1) {
    console.log(`step ${step} loss ${loss.item().toFixed(6)}`);
  }
}
const seconds = (performance.now() - start) / 1000;
console.log(
  `${steps} steps in ${seconds.toFixed(1)} s (${((steps * batch * seq) / seconds).toFixed(0)} tokens/s)`,
);

// Sampling: feed a prompt, then draw each next character from softmax(logits / 0.8).
model.eval();
const prompt = "Alice ";
let out = prompt;
torch.noGrad(() => {
  let s: [Tensor, Tensor] | null = null;
  let input = torch.tensor([Array.from(prompt, (c) => stoi.get(c) ?? 0)], { dtype: "int32" });
  for (let i = 0; i < sampleLength; i++) {
    const [logits, next]: [Tensor, [Tensor, Tensor]] = model(input, s);
    s = next;
    const last = logits.select(1, logits.shape[1]! - 1).squeeze(0);
    const probs = last.div(0.8).softmax(0).toArray();
    const u = torch.rand([1], { dtype: "float64" }).item();
    let k = 0;
    for (let acc = probs[0]!; acc < u && k < probs.length - 1; acc += probs[++k]!);
    out += vocab[k];
    input = torch.tensor([[k]], { dtype: "int32" });
  }
});
console.log(`sample:\n${out}`);
