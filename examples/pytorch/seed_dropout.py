# The founding document's dropout model (../shared/seed/model_with_dropout.py) with the sizes it
# leaves as "...": 2 inputs, 16 hidden units, 1 output. Trained briefly on a small task, then the
# same input through train() (dropout active) and eval() (identity). Run: /usr/bin/python3 examples/pytorch/seed_dropout.py
import torch
import torch.nn as nn
import torch.optim as optim


class ModelWithDropout(nn.Module):
    def __init__(self, dropout_rate=0.5):
        super(ModelWithDropout, self).__init__()
        self.fc1 = nn.Linear(in_features=2, out_features=16)
        self.dropout = nn.Dropout(p=dropout_rate)  # drop out
        self.fc2 = nn.Linear(in_features=16, out_features=1)

    def forward(self, x):
        x = self.fc1(x)
        x = self.dropout(x)  # Applying dropout after the first layer
        x = torch.relu(x)
        x = self.fc2(x)
        return x


torch.manual_seed(0)
# A small task: is a point of the square [-1, 1]^2 inside the circle of radius 0.8?
inputs = torch.rand(256, 2) * 2 - 1
targets = (inputs.pow(2).sum(1, keepdim=True) < 0.64).float()

model = ModelWithDropout()
criterion = nn.BCEWithLogitsLoss()
optimizer = optim.SGD(model.parameters(), lr=0.5)
model.train()
for step in range(200):
    loss = criterion(model(inputs), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        print(f"Step {step}, Loss: {loss.item()}")

probe = torch.tensor([[0.0, 0.0], [0.9, 0.9]])
model.train()
print("train() output:", model(probe))
print("train() output again:", model(probe))
model.eval()
print("eval() output:", model(probe))
with torch.no_grad():
    print("eval() accuracy:", ((model(inputs) > 0).float() == targets).float().mean().item())
