// The founding program: a 2-2-1 sigmoid network learns XOR with MSE loss and SGD, written line
// for line as its PyTorch original (README.md shows the two side by side).
import * as torch from "torchlet";
import { nn, optim, type Tensor } from "torchlet";

class XORNet extends nn.Module {
  fc1 = new nn.Linear(2, 2);
  act1 = new nn.Sigmoid();
  fc2 = new nn.Linear(2, 1);
  act2 = new nn.Sigmoid();

  forward(x: Tensor): [Tensor, Tensor] {
    const h = this.act1.forward(this.fc1.forward(x));
    const out = this.act2.forward(this.fc2.forward(h));
    return [out, h];
  }
}

// With 2 hidden units, MSE and lr 0.1, XOR is learned from only some initialisations (in PyTorch
// too: seeds 11, 13 and 16 of 0-19). Seed 16 learns it, with PyTorch's exact initial weights.
const seed = Number(process.env.SEED ?? 16);
torch.manualSeed(seed);

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

const model = new XORNet();
const criterion = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });

for (let epoch = 0; epoch < 10000; epoch++) {
  optimizer.zeroGrad();
  const [outputs] = model.forward(X);
  const loss = criterion.forward(outputs, Y);
  loss.backward();
  optimizer.step();
  if (epoch % 1000 === 0) console.log(`Epoch ${epoch}, Loss: ${loss.item()}`);
}

const test = torch.tensor(
  [
    [1, 1],
    [0, 1],
  ],
  { dtype: "float32" },
);
const [pred] = model.forward(test);
console.log(String(pred));
