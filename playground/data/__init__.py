"""2D toy datasets, train/test split, TF Playground's input features and CSV points (no Qt)."""

from playground.data.csv_points import CsvPreview, load_csv, save_csv, sniff_csv
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
    "CsvPreview",
    "DatasetInfo",
    "apply_features",
    "dataset_info",
    "display_bounds",
    "feature_label",
    "load_csv",
    "make_dataset",
    "save_csv",
    "sniff_csv",
    "train_test_split",
]
