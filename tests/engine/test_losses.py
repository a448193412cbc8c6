"""Losses: values as TensorFlow Playground's, gradients against centred differences."""

from __future__ import annotations

import decimal
import functools

import numpy as np
import pytest
from gradcheck import TOLERANCE, numeric_grad, rel_error

from playground.engine.activations import SIGMOID, softmax
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
    # the true loss of these probabilities: nothing is clipped
    assert BCE.value(np.array([[0.0], [1.0]]), t) == np.inf
    # from the logits, exact though the sigmoid rounds to 0 and 1
    z = np.array([[-800.0], [800.0]])
    assert BCE.value(SIGMOID.f(z), t, z) == 800.0


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


# exact values, against 1000-digit arithmetic (the decimal module) -----------------------------
def _exact(f) -> float:
    with decimal.localcontext(decimal.Context(prec=1000)):
        return float(f())


@functools.cache
def _bce_exact(z: float, t: float) -> float:
    """-t log s(z) - (1 - t) log(1 - s(z)) = t ln(1 + e^-z) + (1 - t) ln(1 + e^z)."""
    d, t_ = decimal.Decimal(z), decimal.Decimal(t)
    return _exact(lambda: t_ * (1 + (-d).exp()).ln() + (1 - t_) * (1 + d.exp()).ln())


@functools.cache
def _softmax_ce_exact(z: tuple[float, ...], k: int) -> float:
    """-log softmax(z)_k = ln(sum_j e^z_j) - z_k."""
    d = [decimal.Decimal(v) for v in z]
    return _exact(lambda: sum(v.exp() for v in d).ln() - d[k])


SATURATED = [-800.0, -60.0, -37.5, -20.0, -1e-3, 0.0, 1e-3, 20.0, 37.5, 60.0, 800.0]


def test_bce_is_exact_for_saturated_outputs() -> None:
    z = np.array(SATURATED * 2).reshape(-1, 1)
    t = np.repeat([1.0, 0.0], len(SATURATED)).reshape(-1, 1)
    p = SIGMOID.f(z)
    expected = [_bce_exact(float(a), float(b)) for a, b in zip(z[:, 0], t[:, 0], strict=True)]
    np.testing.assert_allclose(BCE.per_sample(p, t, z), expected, rtol=4e-16, atol=0)
    assert BCE.per_sample(p, t, z)[0] == 800.0  # clipping made it 27.6
    assert BCE.value(p, t, z) == pytest.approx(np.mean(expected), rel=1e-15)
    # the gradient is exact as it was: (p - t) / N, p the sigmoid
    exact_p = [_exact(lambda a=a: 1 / (1 + (-decimal.Decimal(float(a))).exp())) for a in z[:, 0]]
    np.testing.assert_allclose(BCE.grad(p, t) * len(z), np.array(exact_p)[:, None] - t,
                               rtol=0, atol=2.3e-16)  # two ulps of 1: the sigmoid


def test_softmax_cross_entropy_is_exact_for_saturated_outputs() -> None:
    z = np.array([[800.0, 0.0, -800.0], [0.0, 800.0, -800.0], [60.0, 0.0, 0.0],
                  [-60.0, 0.0, 0.0], [1e-3, 0.0, -1e-3], [40.0, 40.0, -40.0],
                  [0.3, -1.2, 2.5], [-745.0, 0.0, 745.0]])
    classes = np.array([0, 0, 0, 0, 2, 1, 1, 2])
    t = SOFTMAX_CE.targets(classes, 3)
    expected = [_softmax_ce_exact(tuple(row.tolist()), int(k))
                for row, k in zip(z, classes, strict=True)]
    got = SOFTMAX_CE.per_sample(softmax(z), t, z)
    np.testing.assert_allclose(got, expected, rtol=4e-16, atol=0)
    assert got[1] == 800.0  # clipping made it 27.6


def test_the_trainer_reports_exact_cross_entropies() -> None:
    from playground.experiment import Config, build_trainer

    for config, n_out in ((Config(loss="bce"), 1), (Config(dataset="spiral3"), 3)):
        trainer = build_trainer(config)
        output = trainer.network.layers[-1]
        output.W[...] = 0.0
        output.b[...] = [-60.0] if n_out == 1 else [60.0, 0.0, -60.0]  # saturated everywhere
        trainer.reevaluate()
        t = trainer.t_train
        if n_out == 1:
            expected = np.mean([_bce_exact(-60.0, float(v)) for v in t[:, 0]])
        else:
            expected = np.mean([_softmax_ce_exact((60.0, 0.0, -60.0), int(k))
                                for k in t.argmax(axis=1)])
        assert trainer.train_loss == pytest.approx(expected, rel=1e-14)
        assert trainer.train_loss > 27.7  # clipped, no point's loss passed 27.6
