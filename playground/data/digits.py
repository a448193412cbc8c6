"""The 8x8 handwritten digits (UCI, via scikit-learn; see DIGITS_LICENSE.txt) as 64 inputs."""

from __future__ import annotations

import functools
import pathlib

import numpy as np

SUBSETS = ("all", "01")


@functools.cache
def _raw() -> tuple[np.ndarray, np.ndarray]:
    with np.load(pathlib.Path(__file__).with_name("digits.npz")) as npz:
        return npz["images"], npz["labels"]


def load_digits(subset: str = "all") -> tuple[np.ndarray, np.ndarray]:
    """(x, labels): x (N, 64) pixels scaled to [0, 1] (row by row), labels (N,) floats.

    subset "all": the 1,797 images, labels 0-9 (ten classes). "01": the 360 zeros and ones as a
    two-class problem, labels -1 (a zero) and +1 (a one).
    """
    if subset not in SUBSETS:
        raise ValueError(f"unknown digits subset {subset!r}; choose from {', '.join(SUBSETS)}")
    images, labels = _raw()
    x = images.reshape(len(images), 64).astype(float) / 16.0
    y = labels.astype(float)
    if subset == "01":
        keep = labels <= 1
        return x[keep], np.where(y[keep] == 1, 1.0, -1.0)
    return x, y


def images(subset: str = "all") -> np.ndarray:
    """The same pixels as images (N, 8, 8) in [0, 1], to draw."""
    return load_digits(subset)[0].reshape(-1, 8, 8)
