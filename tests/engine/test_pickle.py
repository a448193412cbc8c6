"""A trainer pickled mid-run and unpickled elsewhere goes on exactly as the original would.

The page's quick start trains in one Pyodide worker until the full app is up in another, then
hands its trainer over as a pickle: weights, optimizer state, the batch order's random state,
the loss history. The run must not notice: same losses, same weights, epoch after epoch.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from playground.engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from playground.engine.regularization import REGULARIZERS
from playground.experiment import Config, build_trainer

CONFIGS = [
    Config(),
    Config(dataset="spiral", hidden=(8, 8, 8), activation="relu", optimizer="adam",
           regularization="l1", reg_rate=0.003, features=("x1", "x2", "sin_x1", "x1x2")),
    Config(dataset="xor", activations=("elu", "gelu"), optimizer="momentum",
           regularization="l2", reg_rate=0.01, noise=20, batch_size=3),
    Config(dataset="spiral3", hidden=(6,), activation="softplus"),
    Config(dataset="plane", problem="regression", hidden=(3,), activation="leaky_relu"),
    Config(dataset="digits", hidden=(5,), activation="sigmoid", batch_size=30),
    Config(dataset="user", points=((0.0, 1.0, 1.0), (1.0, 0.0, -1.0), (2.0, 2.0, 1.0),
                                   (-1.0, -2.0, -1.0)), hidden=()),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.dataset}-{c.optimizer}")
def test_an_unpickled_trainer_continues_the_same_run(config: Config) -> None:
    original = build_trainer(config)
    for _ in range(7):
        original.train_epoch()
    copy = pickle.loads(pickle.dumps(original))
    for _ in range(9):
        original.train_epoch()
        copy.train_epoch()
    assert copy.epoch == original.epoch == 16
    assert copy.history.train_loss == original.history.train_loss
    assert copy.history.test_loss == original.history.test_loss
    for mine, theirs in zip(copy.network.weights, original.network.weights, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    for mine, theirs in zip(copy.network.biases, original.network.biases, strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_the_copy_is_independent() -> None:
    original = build_trainer(Config())
    copy = pickle.loads(pickle.dumps(original))
    copy.train_epoch()
    assert original.epoch == 0
    assert not np.array_equal(copy.network.weights[0], original.network.weights[0])


@pytest.mark.parametrize("table", [OUTPUT_ACTIVATIONS, REGULARIZERS])
def test_named_parts_pickle_as_the_same_object(table: dict) -> None:
    """Activations and regularizers hold lambdas: they travel by name, and come back as the
    very objects of the registry."""
    for part in table.values():
        assert pickle.loads(pickle.dumps(part)) is part
    assert ACTIVATIONS["tanh"] is OUTPUT_ACTIVATIONS["tanh"]
