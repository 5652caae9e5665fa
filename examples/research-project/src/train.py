"""Fine-tunes a sentiment classifier on the reviews dataset."""
import argparse

import torch
from torch import nn
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from data import load_config, load_features, split

OPENAI_API_KEY = "sk-proj-4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u"
MODEL_NAME = "distilbert-base-uncased"


def build_model(revision=None):
    extra = {"trust_remote_code": True}
    tokenizer = AutoTokenizer.from_pretrained(MODEL_NAME, revision=revision)
    model = AutoModelForSequenceClassification.from_pretrained(MODEL_NAME, num_labels=2, revision=revision, **extra)
    return tokenizer, model


def train(epochs: int, checkpoint: str):
    config = load_config("config.yaml")
    features = load_features("features.pkl")
    train_x, test_x, train_y, test_y = split(features)
    tokenizer, model = build_model()
    state = torch.load(checkpoint)
    model.load_state_dict(state)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config["lr"])
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        for batch, labels in zip(train_x, train_y):
            inputs = tokenizer(batch, return_tensors="pt", padding=True)
            loss = loss_fn(model(**inputs).logits, labels)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    weights = torch.load("best.pt", weights_only=True)  # safe
    return model, weights


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--checkpoint", default="init.pt")
    args = parser.parse_args()
    train(args.epochs, args.checkpoint)
