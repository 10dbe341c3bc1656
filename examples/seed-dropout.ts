// The founding document's dropout model, line for line as examples/pytorch/seed_dropout.py, with
// the sizes the document leaves as "...": 2 inputs, 16 hidden units, 1 output. Trained briefly,
// then the same input through train() (dropout active: a new mask each call) and eval() (identity).
import * as torch from "torchlet";
import { nn, optim, type Tensor } from "torchlet";

class ModelWithDropout extends nn.Module {
  fc1: nn.Linear;
  dropout: nn.Dropout;
  fc2: nn.Linear;
  constructor(dropoutRate = 0.5) {
    super();
    this.fc1 = new nn.Linear(2, 16);
    this.dropout = new nn.Dropout(dropoutRate); // drop out
    this.fc2 = new nn.Linear(16, 1);
  }

  forward(x: Tensor): Tensor {
    x = this.fc1(x);
    x = this.dropout(x); // Applying dropout after the first layer
    x = torch.relu(x);
    x = this.fc2(x);
    return x;
  }
}

torch.manualSeed(0);
// A small task: is a point of the square [-1, 1]^2 inside the circle of radius 0.8?
const inputs = torch.rand(256, 2).mul(2).sub(1);
const targets = inputs.pow(2).sum(1, true).lt(0.64).float();

const model = new ModelWithDropout();
const criterion = new nn.BCEWithLogitsLoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.5 });
model.train();
for (let step = 0; step < 200; step++) {
  const loss = criterion(model(inputs), targets);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  if (step % 50 === 0) console.log(`Step ${step}, Loss: ${loss.item()}`);
}

const probe = torch.tensor([
  [0.0, 0.0],
  [0.9, 0.9],
]);
model.train();
console.log("train() output:", model(probe));
console.log("train() output again:", model(probe));
model.eval();
console.log("eval() output:", model(probe));
torch.noGrad(() => {
  console.log("eval() accuracy:", model(inputs).gt(0).float().eq(targets).float().mean().item());
});
