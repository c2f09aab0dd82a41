"""2D toy datasets, train/test split and TF Playground's input features (pure NumPy, no Qt)."""

from playground.data.datasets import (
    DATASETS,
    DatasetInfo,
    dataset_info,
    display_bounds,
    make_dataset,
)
from playground.data.features import DEFAULT_FEATURES, FEATURES, apply_features, feature_label
from playground.data.split import train_test_split

__all__ = [
    "DATASETS",
    "DEFAULT_FEATURES",
    "FEATURES",
    "DatasetInfo",
    "apply_features",
    "dataset_info",
    "display_bounds",
    "feature_label",
    "make_dataset",
    "train_test_split",
]
