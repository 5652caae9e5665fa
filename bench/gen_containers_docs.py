"""Container and governance files of the generated audit workspace (analyzers/docker, analyzers/docs).

A handful per workspace, as in a real repository: a compose file with a GPU service, a serving
image, a Hugging Face model card, a dataset card, CODEOWNERS, a PR template, CONTRIBUTING and two
ADRs. Their content is fixed: what is benchmarked is reading them among thousands of other files.
"""

COMPOSE = """services:
  trainer:
    build: .
    image: projx-trainer
    environment:
      - MLFLOW_TRACKING_URI=http://tracking:5000
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
  tracking:
    image: ghcr.io/mlflow/mlflow:v2.14.1
    command: mlflow server --host 0.0.0.0 --port 5000
  cache:
    image: redis:latest
"""

SERVE_DOCKERFILE = """ARG TRITON=24.05
FROM nvcr.io/nvidia/tritonserver:${TRITON}-py3
COPY model_repository/ /models/
CMD ["tritonserver", "--model-repository=/models"]
"""

MODEL_CARD = """---
license: apache-2.0
library_name: transformers
pipeline_tag: text-classification
datasets: [projx-events]
---
# projx ranking model

## Intended use

Ranks candidate items for the projx feed. Not for decisions about individual users.

## Training data

Six months of anonymised interaction events, versioned with DVC (`data/events.dvc`).

## Evaluation

NDCG@10 and calibration error on a time-ordered hold-out week, per region.

## Limitations

New items without interactions are ranked by a content-only fallback with lower quality.
"""

DATASET_CARD = """---
license: other
task_categories: [text-classification]
size_categories: [1M<n<10M]
---
# projx events

## Data splits

Split by time: the last week is the test set, the week before it the validation set.
"""

CODEOWNERS = """# The ML platform team reviews models, configs and pipelines.
/projx/models/    @projx/ml
/configs/         @projx/ml
/dvc.yaml         @projx/ml-platform
/.github/         @projx/ml-platform
"""

PR_TEMPLATE = """## Summary

## Checklist

- [ ] Unit tests pass
- [ ] Offline metrics compared with the current model
- [ ] Model card updated
"""

CONTRIBUTING = """# Contributing

Work on a branch, open a pull request, and get one review from a code owner.
"""

ADRS = [
    ("docs/adr/0001-version-data-with-dvc.md", "# 1. Version data with DVC\n\nStatus: accepted.\n"),
    ("docs/adr/0002-serve-with-triton.md", "# 2. Serve with Triton\n\nStatus: accepted.\n"),
]


def container_and_doc_files():
    """(workspace-relative path, text) pairs, the same for every seed and size."""
    return [
        ("docker-compose.yml", COMPOSE),
        ("deploy/serve.Dockerfile", SERVE_DOCKERFILE),
        ("projx/models/README.md", MODEL_CARD),
        ("datasets/events/README.md", DATASET_CARD),
        (".github/CODEOWNERS", CODEOWNERS),
        (".github/pull_request_template.md", PR_TEMPLATE),
        ("CONTRIBUTING.md", CONTRIBUTING),
    ] + ADRS
