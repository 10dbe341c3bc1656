/**
 * torchvision's ResNet-18 (torchvision/models/resnet.py: BasicBlock, [2, 2, 2, 2]) written with
 * torchlet's layers, with the same attribute names so that torchvision's state dict keys
 * (`layer1.0.conv1.weight`, `layer2.0.downsample.1.running_var`, ...) load as they are.
 */
import { nn, type Tensor } from "../../src/index.js";

class BasicBlock extends nn.Module {
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  downsample: nn.Sequential | null = null;

  constructor(inplanes: number, planes: number, stride: number) {
    super();
    this.conv1 = new nn.Conv2d(inplanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn1 = new nn.BatchNorm2d(planes);
    this.conv2 = new nn.Conv2d(planes, planes, 3, { padding: 1, bias: false });
    this.bn2 = new nn.BatchNorm2d(planes);
    if (stride !== 1 || inplanes !== planes)
      this.downsample = new nn.Sequential(
        new nn.Conv2d(inplanes, planes, 1, { stride, bias: false }),
        new nn.BatchNorm2d(planes),
      );
  }

  forward(x: Tensor): Tensor {
    const out = this.bn1.forward(this.conv1.forward(x)).relu();
    const y = this.bn2.forward(this.conv2.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return y.add(identity).relu();
  }
}

function layer(inplanes: number, planes: number, stride: number): nn.Sequential {
  return new nn.Sequential(
    new BasicBlock(inplanes, planes, stride),
    new BasicBlock(planes, planes, 1),
  );
}

/** ResNet-18 for `numClasses` classes (torchvision.models.resnet18()). */
export class ResNet18 extends nn.Module {
  conv1 = new nn.Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false });
  bn1 = new nn.BatchNorm2d(64);
  relu = new nn.ReLU();
  maxpool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
  layer1 = layer(64, 64, 1);
  layer2 = layer(64, 128, 2);
  layer3 = layer(128, 256, 2);
  layer4 = layer(256, 512, 2);
  avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
  fc: nn.Linear;

  constructor(numClasses = 1000) {
    super();
    this.fc = new nn.Linear(512, numClasses);
  }

  forward(x: Tensor): Tensor {
    let h = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    h = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(h))));
    return this.fc.forward(this.avgpool.forward(h).flatten(1));
  }
}
