// The founding program (../shared/seed, examples/pytorch/seed.py), line for line in TypeScript:
// a 2-2-1 sigmoid network learns XOR with MSE loss and SGD. As in PyTorch, the generator starts
// from a random seed; `SEED=n npm start` makes a run reproducible (examples/support/seed-from-env.ts).
import * as torch from "torchlet";
import { nn, optim, type Tensor } from "torchlet";

// Example neural network architecture with one hidden layer
class ExampleModel extends nn.Module {
  fc1: nn.Linear;
  activation: nn.Sigmoid;
  fc2: nn.Linear;
  constructor(inputSize: number, hiddenSize: number, outputSize: number) {
    super();
    this.fc1 = new nn.Linear(inputSize, hiddenSize);
    this.activation = new nn.Sigmoid();
    this.fc2 = new nn.Linear(hiddenSize, outputSize);
  }
  forward(x: Tensor): [Tensor, Tensor] {
    // Forward Propagation
    const hiddenLayerOutput = this.activation(this.fc1(x));
    const predictedOutput = this.activation(this.fc2(hiddenLayerOutput));
    return [predictedOutput, hiddenLayerOutput];
  }
}
// Example data
const inputData = torch.tensor(
  [
    [0, 1],
    [1, 0],
    [1, 1],
    [0, 0],
  ],
  { dtype: torch.float32 },
);
const targetOutput = torch.tensor([[1], [1], [0], [0]], { dtype: torch.float32 });
// Initialize the neural network, loss function, and optimizer
const inputSize = 2;
const hiddenSize = 2;
const outputSize = 1;
const learningRate = 0.1;
const epochs = 10000;
const model = new ExampleModel(inputSize, hiddenSize, outputSize);
const criterion = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: learningRate });
// Training the neural network
for (let epoch = 0; epoch < epochs; epoch++) {
  // Forward Propagation
  const [predictedOutput] = model(inputData);
  // Compute the loss
  const loss = criterion(predictedOutput, targetOutput);
  // Backward Propagation
  optimizer.zeroGrad(); // Clear previous gradients
  loss.backward(); // Compute gradients
  optimizer.step(); // Update weights
  // Print the loss every 1000 epochs
  if (epoch % 1000 === 0) {
    console.log(`Epoch ${epoch}, Loss: ${loss.item()}`);
  }
}
// Test the trained model
const testInput = torch.tensor(
  [
    [1, 1],
    [0, 1],
  ],
  { dtype: torch.float32 },
);
const [predictedOutput] = model(testInput);
console.log("Predicted Output for Test Input:", predictedOutput);
