// Fashion-MNIST with torchlet, written as a PyTorch user would: a Dataset, a DataLoader, a model
// class, the training loop and a checkpoint per epoch. Run: npx tsx examples/fashion-mnist.ts
// (EPOCHS=2 MODEL=cnn LIMIT=5000 to change the run). `npx torchlet train fashion-mnist` is the
// same training with progress bars, metrics.csv, curves and --resume.
import * as torch from "torchlet";
import { data, nn, optim, type Tensor } from "torchlet";

const epochs = Number(process.env.EPOCHS ?? 3);
const limit = Number(process.env.LIMIT ?? 60000);
torch.manualSeed(0);

// ToTensor() then Normalize((0.286,), (0.353,)), on the whole split at once.
function split(train: boolean): data.TensorDataset {
  const ds = new torch.FashionMNIST({ train });
  const n = Math.min(limit, ds.length);
  const images = ds.data.narrow(0, 0, n).to("float32").div(255).sub(0.286).div(0.353);
  return new data.TensorDataset(images.unsqueeze(1), ds.targets.narrow(0, 0, n));
}

class MLP extends nn.Module {
  fc1 = new nn.Linear(784, 256);
  fc2 = new nn.Linear(256, 128);
  fc3 = new nn.Linear(128, 10);
  dropout = new nn.Dropout(0.2);

  forward(x: Tensor): Tensor {
    let h = this.dropout(this.fc1(x.flatten(1)).relu());
    h = this.dropout(this.fc2(h).relu());
    return this.fc3(h);
  }
}

class CNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 16, 5, { padding: 2 });
  conv2 = new nn.Conv2d(16, 32, 5, { padding: 2 });
  pool = new nn.MaxPool2d(2);
  fc = new nn.Linear(32 * 7 * 7, 10);

  forward(x: Tensor): Tensor {
    const h = this.pool(this.conv1(x).relu());
    return this.fc(this.pool(this.conv2(h).relu()).flatten(1));
  }
}

const trainLoader = new data.DataLoader(split(true), { batchSize: 64, shuffle: true });
const testLoader = new data.DataLoader(split(false), { batchSize: 1000 });
const model = process.env.MODEL === "cnn" ? new CNN() : new MLP();
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const criterion = new nn.CrossEntropyLoss();

for (let epoch = 1; epoch <= epochs; epoch++) {
  model.train();
  let total = 0;
  let seen = 0;
  const start = performance.now();
  for (const [x, y] of trainLoader) {
    optimizer.zeroGrad();
    const loss = criterion(model(x!), y!);
    loss.backward();
    optimizer.step();
    total += loss.item() * x!.shape[0]!;
    seen += x!.shape[0]!;
  }
  const seconds = (performance.now() - start) / 1000;

  model.eval();
  let correct = 0;
  let count = 0;
  torch.noGrad(() => {
    for (const [x, y] of testLoader) {
      correct += model(x!).argmax(1).eq(y!).sum().item();
      count += y!.shape[0]!;
    }
  });
  console.log(
    `epoch ${epoch}: train loss ${(total / seen).toFixed(4)}, ` +
      `test accuracy ${((100 * correct) / count).toFixed(2)}%, ${seconds.toFixed(1)} s`,
  );
  torch.saveCheckpoint("fashion-mnist.ckpt.safetensors", { model, optimizer }, { epoch });
}
