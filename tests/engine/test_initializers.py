"""Initializers: TensorFlow Playground's ranges, determinism from the generator."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.initializers import INITIALIZERS, get_initializer


def test_tfp_is_uniform_half_and_bias_point_one() -> None:
    W, b = INITIALIZERS["tfp"](8, 16, np.random.default_rng(0))
    assert W.shape == (8, 16)
    assert b.shape == (16,)
    assert W.min() >= -0.5
    assert W.max() < 0.5
    assert W.std() == pytest.approx(1 / np.sqrt(12), rel=0.2)
    np.testing.assert_array_equal(b, 0.1)


def test_zeros_is_tensorflows_init_zero() -> None:
    W, b = INITIALIZERS["zeros"](3, 4, np.random.default_rng(0))
    assert not W.any()
    assert not b.any()


def test_xavier_and_he_scales() -> None:
    W, b = INITIALIZERS["xavier"](50, 50, np.random.default_rng(0))
    assert np.abs(W).max() <= np.sqrt(6 / 100)
    assert not b.any()
    W, _ = INITIALIZERS["he"](200, 100, np.random.default_rng(0))
    assert W.std() == pytest.approx(np.sqrt(2 / 200), rel=0.05)


@pytest.mark.parametrize("name", list(INITIALIZERS))
def test_same_generator_seed_same_weights(name: str) -> None:
    a = INITIALIZERS[name](3, 5, np.random.default_rng(7))
    b = INITIALIZERS[name](3, 5, np.random.default_rng(7))
    np.testing.assert_array_equal(a[0], b[0])


def test_unknown() -> None:
    with pytest.raises(ValueError, match="unknown initializer"):
        get_initializer("orthogonal")
