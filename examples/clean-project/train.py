"""Trains a small classifier with tracked, reproducible runs."""
import mlflow
import torch
from sklearn.model_selection import KFold, train_test_split

from utils import SEED, seed_everything


def main():
    seed_everything()
    x = torch.randn(256, 8)
    y = (x.sum(dim=1) > 0).long()
    train_idx, test_idx = train_test_split(list(range(len(x))), test_size=0.25, random_state=SEED)
    folds = KFold(n_splits=5, shuffle=True, random_state=SEED)
    model = torch.nn.Linear(8, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with mlflow.start_run():
        for epoch in range(10):
            loss = torch.nn.functional.cross_entropy(model(x[train_idx]), y[train_idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            mlflow.log_metric("loss", loss.item(), step=epoch)
        torch.save(model.state_dict(), "model.pt")
        state = torch.load("model.pt", weights_only=True)
        model.load_state_dict(state)
    return folds


if __name__ == "__main__":
    main()
