"""Datasets and input features, numpy only."""

from playground.data.csv import dataset_from_csv, parse_csv
from playground.data.datasets import (
    CLASSIFICATION_DATASETS,
    DATASETS,
    REGRESSION_DATASETS,
    Dataset,
    from_points,
    make_dataset,
)
from playground.data.digits import load_digits
from playground.data.features import FEATURES, featurize

__all__ = [
    "CLASSIFICATION_DATASETS", "DATASETS", "FEATURES", "REGRESSION_DATASETS", "Dataset",
    "dataset_from_csv", "featurize", "from_points", "load_digits", "make_dataset", "parse_csv",
]
