// PyTorch's tutorial "Defining New autograd Functions", line for line as its original
// (examples/pytorch/legendre_polynomial.py): y = a + b * P3(c + d * x) fitted to sin(x), with
// the Legendre polynomial P3 a custom autograd Function whose backward is written by hand.
import * as torch from "torchlet";
import { autograd, type Tensor } from "torchlet";

class LegendrePolynomial3 extends autograd.Function {
  /**
   * In the forward pass we receive a Tensor containing the input and return a Tensor containing
   * the output. ctx is a context object that can be used to stash information for backward
   * computation. You can cache arbitrary objects for use in the backward pass using the
   * ctx.saveForBackward method.
   */
  static override forward(ctx: autograd.FunctionCtx, input: Tensor): Tensor {
    ctx.saveForBackward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }

  /**
   * In the backward pass we receive a Tensor containing the gradient of the loss with respect to
   * the output, and we need to compute the gradient of the loss with respect to the input.
   */
  static override backward(ctx: autograd.FunctionCtx, gradOutput: Tensor): Tensor {
    const [input] = ctx.savedTensors;
    return gradOutput.mul(1.5).mul(input.pow(2).mul(5).sub(1));
  }
}

torch.manualSeed(0);
const dtype = torch.float;
const device = torch.device("cpu");

// Create Tensors to hold input and outputs.
const x = torch.linspace(-Math.PI, Math.PI, 2000, { device, dtype });
const y = torch.sin(x);

// Weights for y = a + b * P3(c + d * x), initialized not too far from the result.
const a = torch.full([], 0.0, { device, dtype, requiresGrad: true });
const b = torch.full([], -1.0, { device, dtype, requiresGrad: true });
const c = torch.full([], 0.0, { device, dtype, requiresGrad: true });
const d = torch.full([], 0.3, { device, dtype, requiresGrad: true });

const learningRate = 5e-6;
for (let t = 0; t < 2000; t++) {
  // To apply our Function, we use Function.apply. We alias it as 'P3' (an arrow function: a
  // detached static method loses the class it is typed from).
  const P3 = (input: Tensor) => LegendrePolynomial3.apply(input);

  // Forward pass: compute predicted y using operations; we compute
  // P3 using our custom autograd operation.
  const yPred = a.add(b.mul(P3(c.add(d.mul(x)))));

  // Compute and print loss
  const loss = yPred.sub(y).pow(2).sum();
  if (t % 100 === 99) console.log(t, loss.item());

  // Use autograd to compute the backward pass.
  loss.backward();

  // Update weights using gradient descent
  torch.noGrad(() => {
    a.sub_(a.grad!.mul(learningRate));
    b.sub_(b.grad!.mul(learningRate));
    c.sub_(c.grad!.mul(learningRate));
    d.sub_(d.grad!.mul(learningRate));

    // Manually zero the gradients after updating weights
    a.grad = null;
    b.grad = null;
    c.grad = null;
    d.grad = null;
  });
}

console.log(`Result: y = ${a.item()} + ${b.item()} * P3(${c.item()} + ${d.item()} x)`);
