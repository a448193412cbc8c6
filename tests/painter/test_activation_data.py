"""The activation explorer's curves: f and f' sampled on a line."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.activations import ACTIVATIONS
from playground.painter.activation_data import curves


def test_tanh_derivative_is_one_minus_tanh_squared() -> None:
    c = curves("tanh")
    assert np.allclose(c["f"], np.tanh(c["x"]))
    assert np.allclose(c["df"], 1.0 - np.tanh(c["x"]) ** 2)


def test_x_runs_from_lo_to_hi_with_n_points() -> None:
    c = curves("sigmoid", lo=-2.0, hi=3.0, n=11)
    assert c["x"][0] == pytest.approx(-2.0)
    assert c["x"][-1] == pytest.approx(3.0)
    assert np.allclose(np.diff(c["x"]), 0.5)


def test_linear_derivative_is_a_full_array_of_ones() -> None:
    c = curves("linear", n=37)
    assert c["df"].shape == (37,)
    assert np.all(c["df"] == 1.0)
    assert np.array_equal(c["f"], c["x"])


def test_relu_derivative_is_float_step() -> None:
    c = curves("relu")
    assert c["df"].dtype == np.float64
    assert np.array_equal(c["f"], np.maximum(c["x"], 0.0))
    assert np.array_equal(c["df"], (c["x"] > 0).astype(float))


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_gives_three_float_arrays_of_length_n(name: str) -> None:
    c = curves(name, n=21)
    assert set(c) == {"x", "f", "df"}
    for key in ("x", "f", "df"):
        assert c[key].shape == (21,)
        assert c[key].dtype == np.float64
        assert np.all(np.isfinite(c[key]))


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_derivative_matches_finite_differences(name: str) -> None:
    c = curves(name, n=801)
    numeric = np.gradient(c["f"], c["x"])
    away_from_kink = np.abs(c["x"]) > 0.05  # relu and friends have a kink at 0
    assert np.allclose(c["df"][away_from_kink], numeric[away_from_kink], atol=1e-3)


def test_derivative_array_is_writable_and_not_shared() -> None:
    c = curves("linear", n=5)
    c["df"][0] = 7.0  # a broadcast view would be read-only
    assert curves("linear", n=5)["df"][0] == 1.0


def test_unknown_name_raises_and_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="unknown activation 'swish'") as info:
        curves("swish")
    assert "tanh" in str(info.value)
    assert "gelu" in str(info.value)


def test_softmax_is_not_a_curve() -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        curves("softmax")
