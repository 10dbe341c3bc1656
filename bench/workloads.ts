// The benchmark workloads as a user writes them with the public API, shared by the benchmark
// runner (bench/peers/torchlet-train.ts), the memory test (bench/memtest.ts) and the per-kernel
// profile (bench/micro/w3-op-profile.ts). Each returns one training step that returns its loss.
import * as torch from "../src/index.js";
import { nn, optim, type Tensor } from "../src/index.js";
import { Config, GPT } from "../examples/gpt.js";

/** The founding program's model (examples/seed.ts): one Sigmoid module used by both layers. */
class ExampleModel extends nn.Module {
  fc1 = new nn.Linear(2, 2);
  activation = new nn.Sigmoid();
  fc2 = new nn.Linear(2, 1);
  forward(x: Tensor): [Tensor, Tensor] {
    const hiddenLayerOutput = this.activation(this.fc1(x));
    return [this.activation(this.fc2(hiddenLayerOutput)), hiddenLayerOutput];
  }
}

/**
 * W1: the founding program (examples/seed.ts): 2-2-1 sigmoid MLP, MSE, SGD lr 0.1, full batch,
 * in the seed's loop order. `call: "forward"` calls `model.forward(x)` and `criterion.forward`
 * instead of `model(x)`, to measure what the module call (with its hook check) costs.
 */
export function xorStep(options: { call?: "module" | "forward" } = {}): () => Tensor {
  torch.manualSeed(16);
  const model = new ExampleModel();
  const X = torch.tensor(
    [
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ],
    { dtype: "float32" },
  );
  const Y = torch.tensor([[1], [1], [0], [0]], { dtype: "float32" });
  const criterion = new nn.MSELoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  if (options.call === "forward") {
    return () => {
      const [predictedOutput] = model.forward(X);
      const loss = criterion.forward(predictedOutput, Y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      return loss;
    };
  }
  return () => {
    const [predictedOutput] = model(X);
    const loss = criterion(predictedOutput, Y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    return loss;
  };
}

/** W3: 784-256-128-10 ReLU MLP, cross-entropy, SGD lr 0.01, batch 128 of random data. */
export function mlpStep(): () => Tensor {
  torch.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Linear(784, 256),
    new nn.ReLU(),
    new nn.Linear(256, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );
  const x = torch.randn([128, 784]);
  const labels = torch.randint(0, 10, [128]);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
  return () => {
    optimizer.zeroGrad();
    const loss = criterion(model(x), labels);
    loss.backward();
    optimizer.step();
    return loss;
  };
}

/**
 * W5: the GPT training step of examples/gpt.ts (4 layers, 4 heads, 128 embedding, context 64,
 * batch 32, vocabulary 73, dropout 0): forward, cross-entropy, backward, gradient clipping and
 * AdamW, on random tokens. The step returns its loss.
 */
export function gptStep(): () => Tensor {
  torch.manualSeed(0);
  const model = new GPT(new Config(73, 64, 4, 4, 128, 0));
  const optimizer = model.configureOptimizers(0.1, 3e-4, [0.9, 0.95]);
  const x = torch.randint(0, 73, [32, 64]);
  const y = torch.randint(0, 73, [32, 64]);
  return () => {
    const [, loss] = model(x, y);
    optimizer.zeroGrad({ setToNone: true });
    loss!.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
    return loss!;
  };
}

/** W6's sizes: a character-level LSTM language model step (examples/char-lstm.ts at bench size). */
export const W6 = { vocab: 64, embed: 64, hidden: 256, layers: 2, seq: 64, batch: 32 } as const;

/**
 * W6: Embedding(64, 64) -> 2-layer LSTM(hidden 256) -> Linear(256, 64), cross-entropy over every
 * position, Adam lr 2e-3, batch 32 x seq 64 random tokens, the state carried over detached (as
 * truncated BPTT does). bench/peers/torch_peer.py runs the same step.
 */
export function lstmStep(): () => Tensor {
  torch.manualSeed(0);
  const { vocab, embed, hidden, layers, seq, batch } = W6;
  const emb = new nn.Embedding(vocab, embed);
  const lstm = new nn.LSTM(embed, hidden, { numLayers: layers, batchFirst: true });
  const head = new nn.Linear(hidden, vocab);
  const params = [...emb.parameters(), ...lstm.parameters(), ...head.parameters()];
  const x = torch.randint(0, vocab, [batch, seq]);
  const y = torch.randint(0, vocab, [batch, seq]);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(params, { lr: 2e-3 });
  let state: [Tensor, Tensor] | null = null;
  return () => {
    optimizer.zeroGrad();
    const [out, [h, c]] = lstm(emb(x), state);
    state = [h.detach(), c.detach()];
    const logits = head.forward(out.reshape(batch * seq, hidden));
    const loss = criterion.forward(logits, y.reshape(batch * seq));
    loss.backward();
    optimizer.step();
    return loss;
  };
}
