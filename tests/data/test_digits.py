"""The 8x8 digits: shipped file, shapes, ranges, subsets, as a dataset."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import playground.data
from playground.data.datasets import make_dataset
from playground.data.digits import images, load_digits

DATA = pathlib.Path(playground.data.__file__).parent


def test_file_is_small_and_licensed() -> None:
    assert (DATA / "digits.npz").stat().st_size < 100_000
    text = (DATA / "DIGITS_LICENSE.txt").read_text()
    assert "CC BY 4.0" in text
    assert "Alpaydin" in text


def test_all_ten_digits() -> None:
    x, y = load_digits()
    assert x.shape == (1797, 64)
    assert x.min() == 0.0
    assert x.max() == 1.0
    assert np.bincount(y.astype(int)).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174,
                                                   180]
    assert images().shape == (1797, 8, 8)


def test_zeros_and_ones_subset() -> None:
    x, y = load_digits("01")
    assert x.shape == (360, 64)
    assert np.count_nonzero(y == -1) == 178
    assert np.count_nonzero(y == 1) == 182
    with pytest.raises(ValueError, match="unknown digits subset"):
        load_digits("27")


def test_as_datasets() -> None:
    ds = make_dataset("digits", train_ratio=0.5, rng=np.random.default_rng(0))
    assert ds.n_classes == 10
    assert ds.x_train.shape == (898, 64)
    assert not ds.is_2d
    noisy = make_dataset("digits01", noise=20, rng=np.random.default_rng(0))
    assert 0 <= noisy.x_train.min()
    assert noisy.x_train.max() <= 1
    assert noisy.n_classes == 2
