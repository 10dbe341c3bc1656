# The PyTorch original of examples/xor.ts (run: /usr/bin/python3 examples/pytorch/xor.py).
import torch
import torch.nn as nn
import torch.optim as optim


class XORNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 2)
        self.act1 = nn.Sigmoid()
        self.fc2 = nn.Linear(2, 1)
        self.act2 = nn.Sigmoid()

    def forward(self, x):
        h = self.act1(self.fc1(x))
        out = self.act2(self.fc2(h))
        return out, h


torch.manual_seed(16)

X = torch.tensor([[0, 1], [1, 0], [1, 1], [0, 0]], dtype=torch.float32)
Y = torch.tensor([[1], [1], [0], [0]], dtype=torch.float32)

model = XORNet()
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)

for epoch in range(10000):
    optimizer.zero_grad()
    outputs, _ = model(X)
    loss = criterion(outputs, Y)
    loss.backward()
    optimizer.step()
    if epoch % 1000 == 0:
        print(f"Epoch {epoch}, Loss: {loss.item()}")

test = torch.tensor([[1, 1], [0, 1]], dtype=torch.float32)
pred, _ = model(test)
print(pred)
