/** The Fashion-MNIST models of `torchlet train` (the same as bench/fashion_mnist_pytorch.py). */
import { nn, type Tensor } from "../index.js";

/** 784-256-128-10 with ReLU and dropout 0.2 after each hidden layer. */
export class MLP extends nn.Module {
  flatten = new nn.Flatten();
  fc1 = new nn.Linear(784, 256);
  fc2 = new nn.Linear(256, 128);
  fc3 = new nn.Linear(128, 10);
  dropout = new nn.Dropout(0.2);

  forward(x: Tensor): Tensor {
    let h = this.flatten(x);
    h = this.dropout(this.fc1(h).relu());
    h = this.dropout(this.fc2(h).relu());
    return this.fc3(h);
  }
}

/**
 * A lighter two-conv variant of PyTorch's classic MNIST CNN: conv 5x5 (1->16, padding 2), ReLU,
 * max-pool 2; conv 5x5 (16->32, padding 2), ReLU, max-pool 2; linear 1568->10. (The classic
 * recipe's 32/64 channels and 9216->128 hidden layer cost ~6x more per sample for ~1% accuracy.)
 */
export class CNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 16, 5, { padding: 2 });
  conv2 = new nn.Conv2d(16, 32, 5, { padding: 2 });
  pool = new nn.MaxPool2d(2);
  fc = new nn.Linear(32 * 7 * 7, 10);

  forward(x: Tensor): Tensor {
    let h = this.pool(this.conv1(x).relu());
    h = this.pool(this.conv2(h).relu());
    return this.fc(h.flatten(1));
  }
}

/** A model by its command-line name. */
export function buildModel(kind: "mlp" | "cnn"): nn.Module & { forward(x: Tensor): Tensor } {
  return kind === "mlp" ? new MLP() : new CNN();
}
