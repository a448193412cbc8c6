"""The chosen weight: tapped in the drawing or picked from a list, shown, and typed over."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.model.playground import PlaygroundModel
from playground.model.weights import NONE, weight_at
from playground.state import State


def model(**state) -> PlaygroundModel:
    return PlaygroundModel(State(**state))


def weights(m: PlaygroundModel) -> list[np.ndarray]:
    return [w.copy() for w in m.loop.trainer.network.weights]


@pytest.mark.parametrize(("index", "where"), [
    (0, (0, 0, 0)), (3, (0, 0, 3)), (5, (0, 1, 1)), (8, (1, 0, 0)), (15, (1, 3, 1)),
    (16, (2, 0, 0)), (17, (2, 1, 0)), (18, (0, None, 0)), (21, (0, None, 3)),
    (22, (1, None, 0)), (24, (2, None, 0)), (25, None), (-1, None)])
def test_weights_then_biases_are_numbered_as_the_drawing_numbers_them(index: int, where) -> None:
    assert weight_at([2, 4, 2, 1], index) == where


def test_choosing_a_weight_shows_its_value_rounded() -> None:
    m = model()
    m.loop.step()
    assert m.weights.value is None
    m.weights.index = 5  # x2 -> neuron 2 of layer 1
    assert m.weights.chosen == (0, 1, 1)
    assert m.weights.value == round(m.session.weight(0, 1, 1), 4)
    m.weights.index = 17  # the last line: neuron 2 of layer 2 -> output
    assert m.weights.chosen == (2, 1, 0)
    assert m.weights.value == round(m.session.weight(2, 1, 0), 4)
    m.weights.index = NONE
    assert m.weights.chosen is None
    assert m.weights.value is None


def test_a_tapped_bias_shows_its_value_and_takes_a_typed_one() -> None:
    m = model()
    m.weights.choose_bias(1)  # the second bias square: neuron 2 of layer 1
    assert m.weights.chosen == (0, None, 1)
    assert m.weights.value == round(float(m.loop.trainer.network.layers[0].b[1]), 4)
    m.weights.value = 0.75
    assert m.loop.trainer.network.layers[0].b[1] == 0.75
    assert m.weights.value == 0.75


def test_showing_a_weight_does_not_change_it() -> None:
    m = model()
    exact = m.session.weight(0, 0, 0)
    assert exact != round(exact, 4)
    before = weights(m)
    refreshes = m.loop.refreshes
    m.weights.index = 0
    m.weights.index = 1
    m.weights.index = 0
    assert m.session.weight(0, 0, 0) == exact
    for a, b in zip(weights(m), before, strict=True):
        assert np.array_equal(a, b)
    assert m.loop.refreshes == refreshes


def test_typing_a_value_changes_the_weight_and_shows_it() -> None:
    m = model()
    m.weights.index = 3
    refreshes = m.loop.refreshes
    m.weights.value = 1.25
    assert m.session.weight(0, 0, 3) == 1.25
    assert m.loop.refreshes == refreshes + 1  # the loss and the views follow
    assert m.loop.epoch == 0


@pytest.mark.parametrize("value", [1e300, -101.0, math.inf, math.nan])
def test_a_value_beyond_the_bounds_is_refused_and_changes_nothing(value: float) -> None:
    m = model()
    m.weights.index = 3
    shown = m.weights.value
    before = weights(m)
    with pytest.raises(ValueError, match="WeightChoice.value"):
        m.weights.value = value
    assert m.weights.value == shown
    for a, b in zip(weights(m), before, strict=True):
        assert np.array_equal(a, b)


def test_a_new_topology_or_a_reset_clears_the_choice() -> None:
    m = model()
    m.weights.index = 2
    m.session.add_layer()
    assert m.weights.index == NONE
    assert m.weights.value is None
    m.weights.value = 2.0  # a stale field no longer edits anything
    assert 2.0 not in np.concatenate([w.ravel() for w in m.loop.trainer.network.weights])
    m.weights.index = 2
    m.loop.reset()
    assert m.weights.index == NONE


def test_a_line_of_a_network_that_is_no_more_is_no_choice() -> None:
    m = model(hidden=[1])
    m.weights.index = 50
    assert m.weights.index == NONE
    assert m.weights.value is None
