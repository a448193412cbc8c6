"""Divergence in the engine: which epoch, what blew up, the weights kept finite."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.engine.divergence import what_blew_up
from playground.engine.network import Network
from playground.engine.optimizers import SGD
from playground.engine.trainer import Trainer
from playground.experiment import Config, build_trainer

BLOWS_UP = Config(dataset="plane", problem="regression", activation="relu", hidden=(8,) * 6,
                  learning_rate=10)


def test_lr_10_on_six_relu_layers_diverges_in_the_first_epoch_and_says_what_blew_up() -> None:
    trainer = build_trainer(BLOWS_UP)
    start = [p.copy() for p in trainer.network.params()]
    assert trainer.train(20) is False
    assert trainer.diverged
    assert trainer.diverged_epoch == 1
    assert trainer.epoch == 0
    assert trainer.divergence == "the weights blew up (grew beyond 100,000,000)"
    assert trainer.message.startswith(
        "Training diverged at epoch 1: the weights blew up (grew beyond 100,000,000).")
    # the last finite weights are kept: here, the untrained ones
    for p, s in zip(trainer.network.params(), start, strict=True):
        np.testing.assert_array_equal(p, s)
    assert trainer.history.epochs == [0]
    assert all(math.isfinite(v) for v in trainer.history.train_loss)


def _overflowing_trainer() -> Trainer:
    rng = np.random.default_rng(0)
    x = rng.uniform(-6, 6, size=(40, 2))
    y = x[:, 0] * 1e200  # targets that overflow the squared error
    net = Network([2, 3, 1], "linear", output_activation="linear", init="tfp", rng=rng)
    return Trainer(net, "squared", SGD(1e-3), x[:20], y[:20], x[20:], y[20:], rng=rng,
                   problem="regression")


def test_an_infinite_loss_from_the_start_is_named_and_nothing_is_trained() -> None:
    with np.errstate(over="ignore"):
        trainer = _overflowing_trainer()
    start = [p.copy() for p in trainer.network.params()]
    assert trainer.diverged  # even the untrained loss is infinite: nothing to train from
    assert trainer.diverged_epoch is None  # no epoch diverged: none was trained
    assert trainer.divergence == "the loss is infinite"
    assert trainer.message == ("The initial weights cannot be trained: the loss is infinite "
                               "(nothing was trained; the weights are kept as they are).")
    assert trainer.train_loss == trainer.test_loss == math.inf
    assert trainer.history.epochs == []
    assert trainer.train_epoch() is False
    for p, s in zip(trainer.network.params(), start, strict=True):
        np.testing.assert_array_equal(p, s)


def test_a_nan_loss_is_named() -> None:
    params = build_trainer(Config()).network.params()
    assert what_blew_up((float("nan"),), params) == "the loss became NaN (not a number)"
    params[0][0, 0] = np.inf
    assert what_blew_up((1.0,), params) == "a weight became infinite or NaN"


def test_a_step_that_diverges_names_the_next_epoch() -> None:
    trainer = build_trainer(BLOWS_UP)
    for _ in range(trainer.n_batches):
        trainer.train_step()
        if trainer.diverged:
            break
    assert trainer.diverged
    assert trainer.diverged_epoch == 1
    assert trainer.divergence


def test_loading_weights_clears_the_divergence() -> None:
    trainer = build_trainer(BLOWS_UP)
    weights, biases = trainer.network.get_weights()
    trainer.train(3)
    assert trainer.diverged
    trainer.load_weights(weights, biases, 0)
    assert not trainer.diverged
    assert trainer.diverged_epoch is None
    assert trainer.divergence == ""
    assert trainer.message == ""


@pytest.mark.parametrize("dataset", ["spiral", "circle"])
def test_classification_at_lr_10_stays_finite(dataset: str) -> None:
    """A tanh output bounds the loss: six ReLU layers at learning rate 10 kill their neurons
    (the loss stops moving) rather than overflow. Nothing the views draw is ever non-finite."""
    trainer = build_trainer(Config(dataset=dataset, activation="relu", hidden=(8,) * 6,
                                   learning_rate=10))
    trainer.train(30)
    assert all(np.isfinite(p).all() for p in trainer.network.params())
    assert all(math.isfinite(v) for v in trainer.history.train_loss)
