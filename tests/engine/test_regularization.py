"""L1/L2: derivatives, and TensorFlow Playground's update (pruning, biases untouched)."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import TOLERANCE, numeric_grad, rel_error

from playground.engine.network import Network
from playground.engine.optimizers import SGD
from playground.engine.regularization import L1, L2, REGULARIZERS, Penalty, get_regularizer
from playground.engine.trainer import Trainer


@pytest.mark.parametrize("reg", [L1, L2], ids=["l1", "l2"])
def test_derivative_matches_finite_differences(reg) -> None:
    w = np.random.default_rng(0).uniform(-2, 2, size=(4, 3))
    w = np.where(np.abs(w) < 0.05, 0.3, w)  # away from L1's kink
    assert rel_error(reg.der(w), numeric_grad(lambda: reg.penalty(w), w)) < TOLERANCE


def test_penalties() -> None:
    w = np.array([[1.0, -2.0], [0.0, 3.0]])
    assert L1.penalty(w) == 6.0
    assert L2.penalty(w) == 7.0  # 0.5 * sum w^2
    np.testing.assert_array_equal(L1.der(w), [[1, -1], [0, 1]])  # TF: 0 at 0
    assert REGULARIZERS["none"].penalty(w) == 0.0
    assert get_regularizer(None).name == "none"
    assert get_regularizer("L2").name == "l2"  # TF spells it L2
    with pytest.raises(ValueError, match="unknown regularization"):
        get_regularizer("l3")


def test_l2_with_sgd_is_descent_on_loss_plus_penalty() -> None:
    w = np.array([[0.5, -0.25]])
    g = np.array([[0.1, 0.2]])
    lr, rate = 0.1, 0.3
    expected = w - lr * g - lr * rate * w  # TF: w -= lr * grad; w -= lr * rate * der(w_before)
    penalty = Penalty("l2", 1)
    ders = penalty.before([w])
    SGD(lr).step([w], [g])
    penalty.after([w], ders, lr, rate)
    np.testing.assert_allclose(w, expected)


def test_l1_prunes_a_weight_that_crosses_zero_and_keeps_it_dead() -> None:
    w = np.array([[0.005, 0.5, -0.004]])
    penalty = Penalty("l1", 1)
    ders = penalty.before([w])
    penalty.after([w], ders, lr=0.1, rate=0.1)  # each weight moves 0.01 toward 0
    np.testing.assert_allclose(w, [[0.0, 0.49, 0.0]])
    assert penalty.dead[0].tolist() == [[True, False, True]]
    # a later gradient step cannot revive it
    SGD(1.0).step([w], [np.array([[-1.0, 0.0, 1.0]])])
    penalty.after([w], penalty.before([w]), lr=0.1, rate=0.0)
    np.testing.assert_allclose(w, [[0.0, 0.49, 0.0]])


def test_trainer_leaves_biases_alone_and_prunes_with_l1() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(40, 2))
    y = np.where(x[:, 0] > 0, 1.0, -1.0)
    net = Network([2, 6, 1], "tanh", output_activation="tanh", init="tfp", rng=rng)
    trainer = Trainer(net, "squared", SGD(0.1), x[:20], y[:20], x[20:], y[20:], rng=rng,
                      regularization="l1", reg_rate=0.3)
    trainer.train(100)
    assert any((w == 0).any() for w in net.weights)  # pruned
    assert not any((b == 0).any() for b in net.biases)  # biases never regularized
    pruned = [w == 0 for w in net.weights]
    trainer.reg_rate = 0.0
    trainer.train(20)
    for mask, w in zip(pruned, net.weights, strict=True):
        assert (w[mask] == 0).all()  # dead for good, as TF's isDead links
