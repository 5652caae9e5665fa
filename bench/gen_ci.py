"""CI files of the audit workspace beyond .github/workflows/ci.yml (analyzers/ci reads them):
a scheduled retraining workflow and a tag-triggered deployment behind an environment gate, as a
repository with continuous training has them. Deterministic for a seed; standard library only."""
import random

RETRAIN = """name: retrain
on:
  schedule:
    - cron: "{minute} {hour} * * {weekday}"
  workflow_dispatch:
jobs:
  retrain:
    runs-on: ubuntu-latest
    timeout-minutes: {timeout}
    env:
      MLFLOW_TRACKING_URI: ${{{{ secrets.MLFLOW_TRACKING_URI }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install -r requirements.txt
      - run: dvc pull && dvc repro
      - run: |
          dvc metrics diff main --md > report.md
          cat report.md >> "$GITHUB_STEP_SUMMARY"
"""

DEPLOY = """name: deploy
on:
  push:
    tags: ["v*"]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t ghcr.io/example/projx:${{GITHUB_REF_NAME}} .
      - run: docker push ghcr.io/example/projx:${{GITHUB_REF_NAME}}
      - run: helm upgrade --install projx deploy/chart --set image.tag=${{GITHUB_REF_NAME}} --wait
"""


def ci_workflows(seed):
    """(relative path, text) of the extra workflows; its own generator, so the rest of the
    workspace is the same with or without them."""
    rng = random.Random(seed * 7919 + 17)
    return [(".github/workflows/retrain.yml",
             RETRAIN.format(minute=rng.randint(0, 59), hour=rng.randint(0, 6), weekday=rng.randint(0, 6),
                            timeout=rng.choice([60, 120, 240]))),
            (".github/workflows/deploy.yml", DEPLOY.format())]
