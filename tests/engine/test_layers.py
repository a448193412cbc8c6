"""The Dense layer: shapes, and backward against centred differences."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import TOLERANCE, numeric_grad, rel_error

from playground.engine.layers import Dense


def _layer(activation: str, rng: np.random.Generator) -> Dense:
    layer = Dense(3, 4, activation)
    layer.W = rng.normal(size=(3, 4))
    layer.b = rng.normal(size=4)
    layer.dW, layer.db = np.zeros((3, 4)), np.zeros(4)
    return layer


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear", "relu", "gelu", "elu"])
def test_backward_matches_finite_differences(activation: str) -> None:
    rng = np.random.default_rng(1)
    layer = _layer(activation, rng)
    x = rng.normal(size=(5, 3))
    upstream = rng.normal(size=(5, 4))  # L = sum(a * upstream): dL/da = upstream

    def loss() -> float:
        return float(np.sum(layer.forward(x) * upstream))

    layer.forward(x)
    dx = layer.backward(upstream)
    assert dx.shape == x.shape
    assert rel_error(layer.dW, numeric_grad(loss, layer.W)) < TOLERANCE
    assert rel_error(layer.db, numeric_grad(loss, layer.b)) < TOLERANCE
    assert rel_error(dx, numeric_grad(loss, x)) < TOLERANCE


def test_forward_shapes_cache_and_backward_does_not_update() -> None:
    rng = np.random.default_rng(2)
    layer = _layer("tanh", rng)
    x = rng.normal(size=(6, 3))
    a = layer.forward(x)
    assert a.shape == (6, 4)
    np.testing.assert_allclose(a, np.tanh(x @ layer.W + layer.b))
    assert layer.x is x
    W, b = layer.W.copy(), layer.b.copy()
    assert layer.backward(np.ones((6, 4)), need_dx=False) is None
    np.testing.assert_array_equal(layer.W, W)
    np.testing.assert_array_equal(layer.b, b)
    assert layer.dW.shape == (3, 4)
    assert layer.db.shape == (4,)


def test_backward_z_is_the_gradient_before_the_activation() -> None:
    rng = np.random.default_rng(3)
    layer = _layer("sigmoid", rng)
    x = rng.normal(size=(4, 3))
    layer.forward(x)
    dz = rng.normal(size=(4, 4))
    dx = layer.backward_z(dz)
    np.testing.assert_allclose(layer.dW, x.T @ dz)
    np.testing.assert_allclose(layer.db, dz.sum(axis=0))
    np.testing.assert_allclose(dx, dz @ layer.W.T)


def test_softmax_layer_needs_a_fused_loss() -> None:
    layer = Dense(2, 3, "softmax", output=True)
    layer.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match="no elementwise derivative"):
        layer.backward(np.ones((2, 3)))
