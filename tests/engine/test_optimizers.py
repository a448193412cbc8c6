"""Optimizers: SGD exactly, momentum and Adam by hand, learning-rate changes keep state."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.optimizers import OPTIMIZERS, SGD, Adam, Momentum, make_optimizer


def test_sgd_is_w_minus_lr_times_grad() -> None:
    w = np.array([1.0, -2.0])
    g = np.array([0.5, 0.25])
    expected = w - 0.1 * g
    SGD(0.1).step([w], [g])
    np.testing.assert_array_equal(w, expected)


def test_momentum_by_hand() -> None:
    w, g = np.array([1.0]), np.array([2.0])
    opt = Momentum(0.1)
    opt.step([w], [g])  # v = 2, w = 1 - 0.2
    opt.step([w], [g])  # v = 0.9 * 2 + 2 = 3.8, w = 0.8 - 0.38
    np.testing.assert_allclose(w, [0.42])


def test_adam_first_step_is_lr_times_sign() -> None:
    w = np.array([1.0, 1.0])
    Adam(0.01).step([w], [np.array([3.0, -0.001])])
    np.testing.assert_allclose(w, [0.99, 1.01], rtol=1e-5)


def test_adam_matches_the_textbook_formula() -> None:
    rng = np.random.default_rng(0)
    w = rng.normal(size=3)
    ref = w.copy()
    m = v = np.zeros(3)
    opt = Adam(0.05)
    for t in range(1, 6):
        g = rng.normal(size=3)
        opt.step([w], [g])
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        ref -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(w, ref, rtol=1e-12)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_minimizes_a_quadratic(name: str) -> None:
    target = np.array([3.0, -1.0])
    w = np.zeros(2)
    opt = make_optimizer(name, 0.05)
    for _ in range(1000):
        opt.step([w], [w - target])  # gradient of 0.5 |w - target|^2
    np.testing.assert_allclose(w, target, atol=1e-3)


def test_changing_the_learning_rate_keeps_the_state() -> None:
    w, g = np.array([0.0]), np.array([1.0])
    opt = Momentum(0.1)
    opt.step([w], [g])
    velocity = opt.v[0].copy()
    opt.lr = 0.01
    opt.step([w], [g])
    np.testing.assert_allclose(opt.v[0], 0.9 * velocity + 1.0)
    np.testing.assert_allclose(w, [-0.1 - 0.01 * 1.9])


def test_unknown_optimizer() -> None:
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        make_optimizer("rmsprop", 0.1)
