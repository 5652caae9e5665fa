"""Data loading for the sentiment classifier."""
import pickle

import pandas as pd
import yaml
from sklearn.model_selection import train_test_split


def load_config(path):
    with open(path) as f:
        return yaml.load(f)  # unsafe: no Loader


def load_features(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def split(frame: pd.DataFrame):
    return train_test_split(frame["text"], frame["label"], test_size=0.2)


def safe_config(path):
    with open(path) as f:
        return yaml.load(f, Loader=yaml.SafeLoader)
