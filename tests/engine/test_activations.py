"""Activations: values, and every derivative against centred differences."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import TOLERANCE, numeric_elementwise, rel_error

from playground.engine.activations import (
    ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    get_activation,
    softmax,
)


def _away_from_kinks(rng: np.random.Generator) -> np.ndarray:
    x = rng.uniform(-4, 4, size=(7, 5))
    return np.where(np.abs(x) < 0.05, 0.5, x)  # relu-likes have a kink at 0


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_derivative_matches_finite_differences(name: str) -> None:
    act = ACTIVATIONS[name]
    x = _away_from_kinks(np.random.default_rng(0))
    analytic = np.broadcast_to(act.df(x, act.f(x)), x.shape)
    assert rel_error(analytic, numeric_elementwise(act.f, x)) < TOLERANCE


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_shapes_and_finite_at_extremes(name: str) -> None:
    act = ACTIVATIONS[name]
    x = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    y = act.f(x)
    assert y.shape == x.shape
    assert np.isfinite(y).all()
    assert np.isfinite(np.broadcast_to(act.df(x, y), x.shape)).all()


def test_tensorflow_playgrounds_four_have_its_values() -> None:
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(ACTIVATIONS["tanh"].f(x), np.tanh(x))
    np.testing.assert_allclose(ACTIVATIONS["relu"].f(x), [0, 0, 0, 0.5, 2])
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].f(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_array_equal(ACTIVATIONS["linear"].f(x), x)
    # TF: relu's derivative is 0 at 0 (`x <= 0 ? 0 : 1`)
    assert ACTIVATIONS["relu"].df(np.array([0.0]), np.array([0.0]))[0] == 0


def test_the_others() -> None:
    x = np.array([-2.0, 3.0])
    np.testing.assert_allclose(ACTIVATIONS["leaky_relu"].f(x), [-0.02, 3.0])
    np.testing.assert_allclose(ACTIVATIONS["elu"].f(x), [np.expm1(-2.0), 3.0])
    np.testing.assert_allclose(ACTIVATIONS["softplus"].f(x), np.log1p(np.exp(x)))
    # GELU (tanh approximation) is close to x * Phi(x)
    np.testing.assert_allclose(ACTIVATIONS["gelu"].f(np.array([0.0, 1.0, -1.0])),
                               [0.0, 0.8413, -0.1587], atol=1e-3)


def test_softmax_rows_sum_to_one_and_it_is_output_only() -> None:
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert p[0, 0] == pytest.approx(1.0)
    assert "softmax" in OUTPUT_ACTIVATIONS
    assert "softmax" not in ACTIVATIONS
    assert OUTPUT_ACTIVATIONS["softmax"].df is None


def test_unknown_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        get_activation("swish")
    with pytest.raises(ValueError, match="unknown activation"):
        get_activation("softmax")  # not a hidden activation
    assert get_activation("softmax", output=True).name == "softmax"
