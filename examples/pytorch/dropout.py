# The PyTorch original of examples/dropout.ts (run: /usr/bin/python3 examples/pytorch/dropout.py).
import torch
import torch.nn as nn
import torch.optim as optim


class ModelWithDropout(nn.Module):
    def __init__(self, input_size, hidden_size, output_size, dropout_prob):
        super().__init__()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.dropout = nn.Dropout(p=dropout_prob)
        self.fc2 = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        x = self.fc1(x)
        x = self.dropout(x)
        x = torch.relu(x)
        x = self.fc2(x)
        return x


torch.manual_seed(0)

# A small task: is a point of the square [-1, 1]^2 inside the circle of radius 0.8?
X = torch.rand(512, 2) * 2 - 1
Y = (X.pow(2).sum(1, keepdim=True) < 0.64).float()

model = ModelWithDropout(input_size=2, hidden_size=64, output_size=1, dropout_prob=0.3)
criterion = nn.BCEWithLogitsLoss()
optimizer = optim.Adam(model.parameters(), lr=0.01)

model.train()
for step in range(300):
    optimizer.zero_grad()
    loss = criterion(model(X), Y)
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        print(f"Step {step}, Loss: {loss.item()}")

model.eval()
with torch.no_grad():
    accuracy = ((model(X) > 0).float() == Y).float().mean()
print(f"Accuracy (eval): {accuracy.item()}")

# train() drops activations and scales the kept ones by 1 / (1 - p); eval() is the identity.
h = torch.ones(1, 10000)
model.train()
dropped = model.dropout(h)
print(f"train(): zeroed {(dropped == 0).float().mean().item()}, kept values {dropped.max().item()}")
model.eval()
print(f"eval(): zeroed {(model.dropout(h) == 0).float().mean().item()}, kept values {model.dropout(h).max().item()}")
