"""The network drawing's frames: its lines named by their ends, the drawing in words, the chosen
line, and what the step-through's phases draw on it."""

from __future__ import annotations

import numpy as np
import pytest
from fake_host import Painted

from playground.painter import network
from playground.painter import network_data as nd
from playground.painter.network import describe

LINES, VALUES = network.LINES, network.VALUES


def stepped(p: Painted, phase: str, **progress) -> None:
    """Show `phase` of a step of the next minibatch, its animation at `progress`."""
    steps = p.m.steps
    steps.step = p.loop.trainer.step_through()
    steps.param.update(phase=phase, **progress)


def labels(p: Painted) -> list[str]:
    data = p.host.data[LINES]
    return [f"{a} → {b}" for a, b in zip(data["from_label"], data["to_label"], strict=True)]


# words --------------------------------------------------------------------------------------
def test_the_network_is_described_in_words_and_the_words_follow_the_shape() -> None:
    p = Painted.of()
    text = p.text(network.DESCRIPTION)
    assert "Network: 2 inputs (X₁, X₂), hidden layers of 4 and 2 neurons, 1 output." in text
    assert 'role="status"' in text
    p.m.session.add_layer()
    assert "hidden layers of 4, 2 and 2 neurons" in p.text(network.DESCRIPTION)
    assert describe([64, 10], ["pixel"] * 64).startswith(
        "Network: 64 inputs, no hidden layer, 10 outputs, one per class.")
    assert "hidden layer of 1 neuron," in describe([2, 1, 1], ["X₁", "X₂"])


def test_each_line_is_named_by_its_two_ends() -> None:
    p = Painted.of()
    names = labels(p)
    assert len(names) == 2 * 4 + 4 * 2 + 2 * 1
    assert names[5] == "X₂ → neuron 2 of layer 1"  # row by row of W: input 1, neuron 1
    assert names[-1] == "neuron 2 of layer 2 → output"
    assert names == [f"{a} → {b}" for a, b in network.line_labels(p.m)]


def test_the_inputs_and_a_few_outputs_are_labelled_on_the_drawing() -> None:
    p = Painted.of(dataset="spiral3", hidden=[3])
    labels = p.host.data[network.LABELS]
    assert list(labels["text"]) == ["X₁", "X₂", "class 0", "class 1", "class 2"]
    thumbs = p.host.data[network.THUMBS]  # each name above its neuron
    for i, k in enumerate([0, 1, 5, 6, 7]):
        assert labels["x"][i] == thumbs["cx"][k]
        assert labels["y"][i] > thumbs["cy"][k] + thumbs["dh"][k] / 2
    digits = Painted.of(dataset="digits", hidden=[3])
    names = network.neuron_labels(digits.m)
    assert names[0][:2] == ["pixel 1", "pixel 2"]
    assert "pixel 1" not in list(digits.host.data[network.LABELS]["text"])  # too many to label


def test_the_values_on_the_neurons_are_drawn_during_the_step_through_only() -> None:
    p = Painted.of()
    assert p.visible(network.VALUES_RENDERER) is False
    stepped(p, "Loss")
    assert p.visible(network.VALUES_RENDERER) is True
    p.m.steps.stop()
    assert p.visible(network.VALUES_RENDERER) is False


def test_the_digits_have_no_heatmaps_on_their_neurons() -> None:
    p = Painted.of(dataset="digits", hidden=[3])
    images = p.host.data[network.THUMBS]["image"]
    assert len(images) == 64 + 3 + 10
    assert all(not np.asarray(i).any() for i in images)


# the chosen line ----------------------------------------------------------------------------
def test_the_chosen_weight_is_drawn_selected() -> None:
    p = Painted.of()
    assert p.prop(network.SELECTION, "indices") == []
    p.m.weights.index = 5
    assert p.prop(network.SELECTION, "indices") == [5]
    p.m.weights.index = -1
    assert p.prop(network.SELECTION, "indices") == []


def test_a_tapped_line_chooses_its_weight_and_a_tapped_input_switches_off() -> None:
    p = Painted.of(features=["x1", "x2", "x1x2"])
    p.take(network.SELECTION, [7])
    assert p.m.weights.index == 7
    p.take(network.SELECTION, [])
    assert p.m.weights.index == -1
    p.take(network.THUMB_SELECTION, [2])
    assert p.m.state.features == ["x1", "x2"]
    assert p.prop(network.THUMB_SELECTION, "indices") == []  # the tap is taken: cleared
    p.take(network.THUMB_SELECTION, [3])  # a hidden neuron: nothing
    assert p.m.state.features == ["x1", "x2"]


# the step-through ---------------------------------------------------------------------------
def first_point_values(step, layers: int) -> list[str]:
    return [f"{v:.2f}" if i < layers else "" for i, a in enumerate(step.activations)
            for v in a[0]]


def test_without_the_step_through_the_neurons_show_no_values() -> None:
    p = Painted.of()
    assert list(p.host.data[VALUES]["text"]) == [""] * 9


@pytest.mark.parametrize("layers", [0, 1, 3, 4])
def test_forward_shows_the_first_points_values_of_the_layers_reached(layers: int) -> None:
    p = Painted.of()
    stepped(p, "Forward", forward_layers=layers)
    assert list(p.host.data[VALUES]["text"]) == first_point_values(p.m.steps.step, layers)


@pytest.mark.parametrize("phase", ["Forward", "Loss", "Backward"])
def test_until_update_the_lines_show_the_weights_from_before_the_step(phase: str) -> None:
    p = Painted.of()
    p.loop.step()
    stepped(p, phase)
    step = p.m.steps.step
    assert np.array_equal(p.column(LINES, "w"), nd.flatten(step.weights_before))
    assert np.array_equal(nd.flatten(p.net.weights), nd.flatten(step.weights_after))
    assert not np.array_equal(nd.flatten(step.weights_after), nd.flatten(step.weights_before))
    assert np.array_equal(p.column(network.BIASES, "b"), nd.flatten(step.biases_before))


@pytest.mark.parametrize("reached", [1, 2, 3])
def test_backward_draws_the_gradients_the_error_has_reached(reached: int) -> None:
    p = Painted.of()
    stepped(p, "Backward", backward_layers=reached)
    colour, widths, alpha = nd.gradient_lines(p.m.steps.step.dW, reached)
    assert np.array_equal(p.column(LINES, "c"), colour)
    assert np.array_equal(p.column(LINES, "lw"), widths)
    assert np.array_equal(p.column(LINES, "la"), alpha)
    assert list(p.host.data[VALUES]["text"]) == [""] * 9


def test_update_moves_the_lines_to_the_new_weights() -> None:
    p = Painted.of()
    stepped(p, "Update", update_t=0.5)
    step = p.m.steps.step
    halfway = [(a + b) / 2 for a, b in zip(step.weights_before, step.weights_after,
                                            strict=True)]
    np.testing.assert_allclose(p.column(LINES, "w"), nd.flatten(halfway), rtol=0, atol=1e-15)
    p.m.steps.update_t = 1.0
    assert np.array_equal(p.column(LINES, "w"), nd.flatten(step.weights_after))
    assert np.array_equal(p.column(network.BIASES, "b"), nd.flatten(step.biases_after))


def test_leaving_the_step_through_shows_the_live_network_again() -> None:
    p = Painted.of()
    stepped(p, "Loss", forward_layers=4)
    p.m.steps.stop()
    assert np.array_equal(p.column(LINES, "w"), nd.flatten(p.net.weights))
    assert list(p.host.data[VALUES]["text"]) == [""] * 9


def test_the_placeholder_clears_every_source() -> None:
    frame = network.placeholder()
    for target in (LINES, network.THUMBS, network.BIASES, VALUES):
        assert frame[target].mode == "replace"
        assert {len(v) for v in frame[target].data.values()} == {0}
