// The benchmark workloads as a user writes them with the public API, shared by the benchmark
// runner (bench/peers/torchlet-train.ts), the memory test (bench/memtest.ts) and the per-kernel
// profile (bench/micro/w3-op-profile.ts). Each returns one training step that returns its loss.
import * as torch from "../src/index.js";
import { nn, optim, type Tensor } from "../src/index.js";

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
