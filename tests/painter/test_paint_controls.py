"""The buttons and readouts: Play/Pause, what a divergence says and the ways out of it, the
numbers, and the network's shape buttons."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fake_host import Painted

from playground.painter import controls
from playground.painter.frames import DRAW_LIMIT, drawable, format_loss
from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS

BLOWS_UP = {"problem": "regression", "activation": "relu", "hidden": [8] * 6,
            "learning_rate": 10.0}


def diverge(p: Painted) -> None:
    for _ in range(3):
        p.loop.step()
        if p.loop.diverged:
            return
    raise AssertionError("did not diverge")


def test_play_says_pause_while_training() -> None:
    p = Painted.of()
    assert p.prop(controls.PLAY, "name") == "Play"
    p.loop.running = True  # as Play leaves it (its task not started)
    assert p.prop(controls.PLAY, "name") == "Pause"
    p.loop.pause()
    assert p.prop(controls.PLAY, "name") == "Play"


def test_the_readouts_show_the_epoch_and_the_losses() -> None:
    p = Painted.of()
    p.loop.step()
    assert p.text(controls.READOUTS["epoch"]) == "Epoch 1"
    assert p.text(controls.READOUTS["train"]) == f"Train loss {p.loop.train_loss:.3f}"
    assert p.text(controls.READOUTS["test"]) == f"Test loss {p.loop.test_loss:.3f}"
    accuracy = controls.READOUTS["accuracy"]
    assert p.text(accuracy) == f"Test accuracy {p.loop.test_accuracy:.0%}"
    assert p.visible(accuracy)
    p.m.state.problem = "regression"
    assert p.text(accuracy) == ""
    assert not p.visible(accuracy)


# a divergence -------------------------------------------------------------------------------
def test_a_divergence_disables_play_and_step_and_says_where_what_and_why() -> None:
    p = Painted.of(**BLOWS_UP)
    assert not p.prop(controls.PLAY, "disabled")
    assert not p.visible(controls.MESSAGE)
    assert not p.visible(controls.RECOVER)
    diverge(p)
    assert p.prop(controls.PLAY, "disabled")
    assert p.prop(controls.STEP, "disabled")
    assert p.prop(controls.PLAY, "name") == "Play"
    assert p.visible(controls.MESSAGE)
    assert p.text(controls.MESSAGE) == (
        "<p>Training diverged at epoch 1: the weights blew up (grew beyond 100,000,000). The "
        "learning rate (10) is too large for this network.</p>")
    assert p.visible(controls.RECOVER)
    assert p.visible(controls.RECOVER_LOWER)
    assert p.prop(controls.RECOVER_LOWER, "name") == "Reset with learning rate 0.03"


@pytest.mark.parametrize("button", ["reset", "recover", "recover_lower"])
def test_a_reset_clears_it(button: str) -> None:
    p = Painted.of(**BLOWS_UP)
    diverge(p)
    p.m.param.trigger(button)
    assert not p.prop(controls.PLAY, "disabled")
    assert not p.prop(controls.STEP, "disabled")
    assert not p.visible(controls.MESSAGE)
    assert p.text(controls.MESSAGE) == ""
    assert not p.visible(controls.RECOVER)
    assert not p.visible(controls.RECOVER_LOWER)
    assert p.text(controls.READOUTS["epoch"]) == "Epoch 0"


def test_without_a_smaller_rate_only_reset_is_offered() -> None:
    p = Painted.of(**(BLOWS_UP | {"learning_rate": 1e-5}))
    p.loop.trainer._diverge(4, math.inf)  # as if epoch 4 had blown up
    p.loop.publish()
    assert p.loop.suggested_learning_rate is None
    assert p.visible(controls.RECOVER)
    assert not p.visible(controls.RECOVER_LOWER)
    assert "the loss became infinite" in p.text(controls.MESSAGE)


def test_a_divergence_in_the_step_through_is_caught_too() -> None:
    p = Painted.of(**BLOWS_UP)
    trainer = p.loop.trainer
    for _ in range(trainer.n_batches):
        trainer.step_through()
        p.loop.publish()  # what the step-through does after each update
        if trainer.diverged:
            break
    assert p.loop.diverged
    assert p.prop(controls.PLAY, "disabled")


def test_hidden_buttons_are_painted_hidden() -> None:
    p = Painted.of(hidden_controls=["playButton", "stepButton"])
    assert not p.visible(controls.PLAY)
    assert not p.visible(controls.STEP)
    assert p.visible(controls.RESET)


# the network's shape ------------------------------------------------------------------------
def shape_labels(p: Painted) -> list[str]:
    out = [p.text(controls.SHAPE_COUNT)]
    for i in range(MAX_HIDDEN_LAYERS):
        label, _, _ = controls.layer_targets(i)
        if p.visible(label):
            out.append(p.text(label))
    return out


def test_one_pair_of_neuron_buttons_per_layer() -> None:
    p = Painted.of(hidden=[3, 1, 8])
    assert shape_labels(p) == ["Hidden layers: 3", "Layer 1: 3 neurons", "Layer 2: 1 neuron",
                               "Layer 3: 8 neurons"]
    shown = [i for i in range(MAX_HIDDEN_LAYERS) if p.visible(controls.layer_targets(i)[2])]
    assert shown == [0, 1, 2]
    assert [p.prop(controls.layer_targets(i)[1], "disabled") for i in shown] == [
        False, True, False]
    assert [p.prop(controls.layer_targets(i)[2], "disabled") for i in shown] == [
        False, False, True]
    assert not any(p.visible(controls.layer_targets(i)[1])
                   for i in range(3, MAX_HIDDEN_LAYERS))


def test_the_shape_buttons_follow_the_shape() -> None:
    p = Painted.of(hidden=[2] * (MAX_HIDDEN_LAYERS - 1))
    assert not p.prop(controls.ADD_LAYER, "disabled")
    p.m.add_layer = True
    assert len(p.m.state.hidden) == MAX_HIDDEN_LAYERS
    assert p.prop(controls.ADD_LAYER, "disabled")
    assert not p.prop(controls.REMOVE_LAYER, "disabled")
    q = Painted.of(hidden=[1])
    q.m.remove_layer = True
    assert q.m.state.hidden == []
    assert q.prop(controls.REMOVE_LAYER, "disabled")
    assert shape_labels(q) == ["Hidden layers: 0"]
    r = Painted.of(hidden=[MAX_NEURONS - 1])
    r.m.layers[0].add = True
    assert r.m.state.hidden == [MAX_NEURONS]
    assert r.prop(controls.layer_targets(0)[2], "disabled")


def test_the_shape_panel_is_hidden_with_num_hidden_layers_hide() -> None:
    assert Painted.of().visible(controls.SHAPE)
    assert not Painted.of(hidden_controls=["numHiddenLayers"]).visible(controls.SHAPE)


# the pieces ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "shown"), [(None, "–"), (0.12345, "0.123"),
                                              (float("inf"), "–"), (float("nan"), "–"),
                                              (123456789.0, "1.23e+08")])
def test_format_loss(value: float | None, shown: str) -> None:
    assert format_loss(value) == shown


def test_drawable() -> None:
    fine = np.array([0.5, -2.0])
    assert drawable(fine) is fine  # as is, when already fine
    np.testing.assert_array_equal(drawable(fine), fine)
    np.testing.assert_array_equal(drawable(np.array([np.nan, np.inf, -np.inf, 1e300, 3.0])),
                                  [0.0, DRAW_LIMIT, -DRAW_LIMIT, DRAW_LIMIT, 3.0])
    assert drawable(np.zeros(0)).shape == (0,)


def test_the_placeholder_readouts_show_dashes() -> None:
    frame = controls.placeholder()
    assert frame[controls.READOUTS["epoch"]] == {"object": "Epoch –"}
    assert frame[controls.READOUTS["train"]] == {"object": "Train loss –"}
