// A model with dropout between two linear layers, written line for line as its PyTorch original
// (examples/pytorch/dropout.py). With the same seed it prints the same numbers as PyTorch:
// torchlet draws PyTorch's initial weights and dropout masks.
import * as torch from "torchlet";
import { nn, optim, type Tensor } from "torchlet";

class ModelWithDropout extends nn.Module {
  fc1: nn.Linear;
  dropout: nn.Dropout;
  fc2: nn.Linear;

  constructor(inputSize: number, hiddenSize: number, outputSize: number, dropoutProb: number) {
    super();
    this.fc1 = new nn.Linear(inputSize, hiddenSize);
    this.dropout = new nn.Dropout(dropoutProb);
    this.fc2 = new nn.Linear(hiddenSize, outputSize);
  }

  forward(x: Tensor): Tensor {
    x = this.fc1(x);
    x = this.dropout(x);
    x = torch.relu(x);
    x = this.fc2(x);
    return x;
  }
}

torch.manualSeed(0);

// A small task: is a point of the square [-1, 1]^2 inside the circle of radius 0.8?
const X = torch.rand(512, 2).mul(2).sub(1);
const Y = X.pow(2).sum(1, true).lt(0.64).float();

const model = new ModelWithDropout(2, 64, 1, 0.3);
const criterion = new nn.BCEWithLogitsLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });

model.train();
for (let step = 0; step < 300; step++) {
  optimizer.zeroGrad();
  const loss = criterion(model(X), Y);
  loss.backward();
  optimizer.step();
  if (step % 50 === 0) console.log(`Step ${step}, Loss: ${loss.item()}`);
}

model.eval();
const accuracy = torch.noGrad(() => model(X).gt(0).float().eq(Y).float().mean());
console.log(`Accuracy (eval): ${accuracy.item()}`);

// train() drops activations and scales the kept ones by 1 / (1 - p); eval() is the identity.
const h = torch.ones(1, 10000);
model.train();
const dropped = model.dropout(h);
console.log(
  `train(): zeroed ${dropped.eq(0).float().mean().item()}, kept values ${dropped.max().item()}`,
);
model.eval();
console.log(
  `eval(): zeroed ${model.dropout(h).eq(0).float().mean().item()}, kept values ${model.dropout(h).max().item()}`,
);
