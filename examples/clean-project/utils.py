"""Shared helpers: reproducibility first."""
import os
import random

import numpy as np
import torch

SEED = 1234


def seed_everything(seed: int = SEED) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)


def api_key() -> str:
    return os.environ["OPENAI_API_KEY"]
