"""The session keeps the State and the TrainingLoop in step: live settings, rebuilds, the
network's shape and hand-edited weights."""

from __future__ import annotations

import asyncio
import math

import numpy as np
import pytest

from playground.model.session import Session
from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS, State


def trained(epochs: int = 3, **state) -> Session:
    session = Session(State(**state))
    for _ in range(epochs):
        session.loop.step()
    return session


def weights(session: Session) -> list[np.ndarray]:
    return [w.copy() for w in session.loop.trainer.network.weights]


# live settings -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value"), [("learning_rate", 0.3), ("batch_size", 4), ("reg_rate", 0.01)])
def test_a_live_setting_changes_the_trainer_and_keeps_training(name: str, value: float) -> None:
    session = trained(regularization="l2")
    trainer = session.loop.trainer
    setattr(session.state, name, value)
    assert session.loop.trainer is trainer
    assert getattr(trainer, name) == value
    assert session.topology == 0
    assert session.loop.epoch == 3
    assert trainer.epoch == 3
    assert getattr(session.loop.config, name) == value


def test_training_goes_on_at_the_new_learning_rate() -> None:
    session = trained()
    session.state.learning_rate = 1.0
    step = session.loop.trainer.step_through()
    assert step.lr == 1.0


def test_reset_keeps_a_live_setting() -> None:
    session = trained()
    session.state.learning_rate = 0.3
    session.state.batch_size = 7
    session.loop.reset()
    assert session.loop.trainer.learning_rate == 0.3
    assert session.loop.trainer.batch_size == 7
    assert session.loop.epoch == 0


# settings that build a new experiment -----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value", "config_name", "config_value"),
    [
        ("dataset", "xor", "dataset", "xor"),
        ("activation", "relu", "activation", "relu"),
        ("hidden", [3], "hidden", (3,)),
        ("features", ["x1", "x2", "x1x2"], "features", ("x1", "x2", "x1x2")),
        ("noise", 10, "noise", 10),
        ("seed", "7", "seed", 7),
        ("regularization", "l1", "regularization", "l1"),
        ("optimizer", "adam", "optimizer", "adam"),
        ("train_percent", 70, "train_ratio", 0.7),
        ("problem", "regression", "problem", "regression"),
    ],
)
def test_a_data_or_network_setting_builds_a_new_experiment(
        name: str, value: object, config_name: str, config_value: object) -> None:
    session = trained()
    old = session.loop.trainer
    setattr(session.state, name, value)
    assert session.topology == 1
    assert session.loop.trainer is not old
    assert session.loop.epoch == 0
    assert session.loop.trainer.epoch == 0
    assert getattr(session.loop.trainer.context.config, config_name) == config_value


def test_the_new_experiment_has_the_new_shape() -> None:
    session = trained()
    session.state.features = ["x1", "x2", "x1sq"]
    session.state.hidden = [5, 3, 2]
    assert session.loop.trainer.network.sizes == [3, 5, 3, 2, 1]
    assert session.topology == 2


def test_the_same_seed_rebuilds_the_same_start() -> None:
    session = Session()
    start = weights(session)
    session.state.noise = 5
    session.state.noise = 0
    assert session.topology == 2
    for a, b in zip(weights(session), start, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize(
    ("name", "value"),
    [("show_test_data", True), ("discretize", True), ("hide_text", True),
     ("hidden_controls", ["noise"])])
def test_a_display_toggle_does_not_rebuild(name: str, value: object) -> None:
    session = trained()
    trainer = session.loop.trainer
    resets = session.loop.resets
    setattr(session.state, name, value)
    assert session.loop.trainer is trainer
    assert session.topology == 0
    assert session.loop.resets == resets
    assert session.loop.epoch == 3


def test_an_unusable_setting_leaves_the_experiment_and_says_why() -> None:
    session = trained()
    trainer = session.loop.trainer
    session.state.hidden = [0]
    assert session.loop.trainer is trainer
    assert session.topology == 0
    assert "cannot be used" in session.notice
    session.state.hidden = [3]
    assert session.notice == ""
    assert session.topology == 1


# the network's shape -----------------------------------------------------------------------------
def test_add_layer_up_to_the_limit() -> None:
    session = Session(State(hidden=[]))
    for n in range(1, MAX_HIDDEN_LAYERS + 1):
        session.add_layer()
        assert session.state.hidden == [2] * n
        assert session.loop.trainer.network.sizes == [2, *[2] * n, 1]
    topology = session.topology
    session.add_layer()
    assert len(session.state.hidden) == MAX_HIDDEN_LAYERS
    assert session.topology == topology


def test_remove_layer_down_to_none() -> None:
    session = Session(State(hidden=[4, 3, 2]))
    session.remove_layer()
    assert session.loop.trainer.network.sizes == [2, 4, 3, 1]
    session.remove_layer()
    session.remove_layer()
    assert session.state.hidden == []
    assert session.loop.trainer.network.sizes == [2, 1]
    topology = session.topology
    session.remove_layer()
    assert session.state.hidden == []
    assert session.topology == topology


def test_add_neuron_up_to_the_limit() -> None:
    session = Session(State(hidden=[4, 2]))
    for n in range(3, MAX_NEURONS + 1):
        session.add_neuron(1)
        assert session.loop.trainer.network.sizes == [2, 4, n, 1]
    topology = session.topology
    session.add_neuron(1)
    assert session.state.hidden == [4, MAX_NEURONS]
    assert session.topology == topology


def test_remove_neuron_down_to_one() -> None:
    session = Session(State(hidden=[3, 2]))
    session.remove_neuron(0)
    session.remove_neuron(0)
    assert session.loop.trainer.network.sizes == [2, 1, 2, 1]
    topology = session.topology
    session.remove_neuron(0)
    assert session.state.hidden == [1, 2]
    assert session.topology == topology


@pytest.mark.parametrize("layer", [-1, 2, 10])
def test_a_neuron_button_for_no_such_layer_does_nothing(layer: int) -> None:
    session = Session(State(hidden=[3, 2]))
    session.add_neuron(layer)
    session.remove_neuron(layer)
    assert session.state.hidden == [3, 2]
    assert session.topology == 0


def test_a_shape_change_starts_over_at_epoch_zero() -> None:
    session = trained()
    session.add_neuron(0)
    assert session.loop.epoch == 0
    assert session.loop.trainer.network.sizes == [2, 5, 2, 1]


# editing a weight -------------------------------------------------------------------------------
def test_set_weight_changes_exactly_that_weight() -> None:
    session = trained()
    before = weights(session)
    assert session.set_weight(1, 2, 1, 1.75) is True
    after = weights(session)
    assert after[1][2, 1] == 1.75
    assert session.weight(1, 2, 1) == 1.75
    before[1][2, 1] = 1.75
    for a, b in zip(after, before, strict=True):
        assert np.array_equal(a, b)


def test_set_weight_keeps_the_experiment() -> None:
    session = trained()
    trainer = session.loop.trainer
    refreshes = session.loop.refreshes
    session.set_weight(0, 0, 0, -0.5)
    assert session.loop.trainer is trainer
    assert session.topology == 0
    assert session.loop.epoch == 3
    assert session.loop.refreshes == refreshes + 1


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_set_weight_rejects_a_value_that_is_not_finite(value: float) -> None:
    session = trained()
    before = weights(session)
    assert session.set_weight(0, 1, 2, value) is False
    for a, b in zip(weights(session), before, strict=True):
        assert np.array_equal(a, b)


def test_set_weight_pauses_training_and_the_edit_stays() -> None:
    async def run() -> Session:
        session = Session()
        session.loop.play()
        await asyncio.sleep(0.02)
        session.set_weight(0, 0, 0, 0.25)
        await asyncio.sleep(0.02)  # the training task sees the pause and ends
        return session

    session = asyncio.run(run())
    assert session.loop.running is False
    assert session.loop.epoch > 0
    assert session.weight(0, 0, 0) == 0.25


# the network's inputs ----------------------------------------------------------------------------
def test_unticking_every_feature_leaves_the_last_ones_on_and_training_goes_on() -> None:
    session = Session(State(features=["x1", "x2", "x1x2"]))
    for _ in range(3):
        session.loop.step()
    trainer = session.loop.trainer
    session.state.features = []
    assert session.state.features == ["x1", "x2", "x1x2"]
    assert session.loop.trainer is trainer  # nothing was changed: nothing starts over
    assert session.topology == 0
    assert session.loop.epoch == 3
    assert session.notice == ""


def test_a_setting_put_back_as_the_experiment_has_it_starts_nothing_over() -> None:
    session = trained()
    session.state.hidden = [0]  # refused: the experiment stays
    assert session.notice
    session.state.hidden = [4, 2]  # as it is
    assert session.notice == ""
    assert session.topology == 0
    assert session.loop.epoch == 3


def test_toggle_input_switches_one_off_but_never_the_last() -> None:
    session = trained(features=["x1", "x2"])
    session.toggle_input(0)
    assert session.state.features == ["x2"]
    assert session.topology == 1
    session.toggle_input(0)
    session.toggle_input(5)
    assert session.state.features == ["x2"]
    assert session.topology == 1
