"""Losses: values as TensorFlow Playground's, gradients against centred differences."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import TOLERANCE, numeric_grad, rel_error

from playground.engine.activations import softmax
from playground.engine.losses import (
    BCE,
    LOSSES,
    SOFTMAX_CE,
    SQUARED,
    default_loss,
    get_loss,
    output_activation,
)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def test_squared_error_is_tensorflow_playgrounds() -> None:
    out = np.array([[0.5], [-1.0], [0.2]])
    t = SQUARED.targets(np.array([1.0, -1.0, -1.0]), 2)
    assert t.shape == (3, 1)
    per = 0.5 * (out[:, 0] - t[:, 0]) ** 2  # TF's Errors.SQUARE.error
    np.testing.assert_allclose(SQUARED.per_sample(out, t), per)
    assert SQUARED.value(out, t) == pytest.approx(per.mean())  # TF's getLoss: the mean
    np.testing.assert_allclose(SQUARED.grad(out, t), (out - t) / 3)  # TF's der, over the batch
    assert SQUARED.accuracy(out, t) == pytest.approx(2 / 3)  # classed by the output's sign


def test_squared_error_gradient() -> None:
    rng = np.random.default_rng(0)
    out, t = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    assert rel_error(SQUARED.grad(out, t), numeric_grad(lambda: SQUARED.value(out, t), out)) \
        < TOLERANCE


def test_bce_fused_gradient_is_with_respect_to_the_logit() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(size=(7, 1))
    t = BCE.targets(np.where(rng.random(7) > 0.5, 1.0, -1.0), 2)
    assert set(np.unique(t)) <= {0.0, 1.0}
    assert BCE.fused

    def loss() -> float:
        return BCE.value(_sigmoid(z), t)

    assert rel_error(BCE.grad(_sigmoid(z), t), numeric_grad(loss, z)) < TOLERANCE


def test_bce_value() -> None:
    p, t = np.array([[0.9], [0.2]]), np.array([[1.0], [0.0]])
    assert BCE.value(p, t) == pytest.approx(-(np.log(0.9) + np.log(0.8)) / 2)
    assert BCE.accuracy(p, t) == 1.0
    assert np.isfinite(BCE.value(np.array([[0.0], [1.0]]), t))  # clipped, never inf


def test_softmax_cross_entropy_fused_gradient() -> None:
    rng = np.random.default_rng(2)
    z = rng.normal(size=(6, 4))
    t = SOFTMAX_CE.targets(np.array([0, 1, 2, 3, 1, 0]), 4)
    np.testing.assert_array_equal(t.sum(axis=1), 1)

    def loss() -> float:
        return SOFTMAX_CE.value(softmax(z), t)

    assert rel_error(SOFTMAX_CE.grad(softmax(z), t), numeric_grad(loss, z)) < TOLERANCE


def test_softmax_cross_entropy_value_and_accuracy() -> None:
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    t = SOFTMAX_CE.targets(np.array([0.0, 1.0]), 3)
    assert SOFTMAX_CE.value(p, t) == pytest.approx(-(np.log(0.7) + np.log(0.1)) / 2)
    assert SOFTMAX_CE.accuracy(p, t) == 0.5
    # two classes as -1/+1: class 0 and class 1
    np.testing.assert_array_equal(SOFTMAX_CE.targets(np.array([-1.0, 1.0]), 2),
                                  [[1, 0], [0, 1]])


def test_defaults_per_problem() -> None:
    assert default_loss("classification", 2) == "squared"
    assert output_activation("classification", "squared") == "tanh"  # TF
    assert default_loss("regression", None) == "squared"
    assert output_activation("regression", "squared") == "linear"  # TF
    assert default_loss("classification", 3) == "softmax_ce"
    assert output_activation("classification", "softmax_ce") == "softmax"
    assert output_activation("classification", "bce") == "sigmoid"


def test_bad_combinations_are_value_errors() -> None:
    with pytest.raises(ValueError, match="regression uses squared"):
        output_activation("regression", "bce")
    with pytest.raises(ValueError, match="two classes"):
        SQUARED.targets(np.array([0.0, 1.0, 2.0]), 3)
    with pytest.raises(ValueError, match="two-class"):
        BCE.targets(np.array([0.0, 1.0, 2.0]), 3)
    with pytest.raises(ValueError, match="unknown loss"):
        get_loss("hinge")
    with pytest.raises(ValueError, match="unknown problem"):
        default_loss("ranking")
    assert set(LOSSES) == {"squared", "bce", "softmax_ce"}
