"""The activation and features views, built under CPython: their sources follow their inputs."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.activations import ACTIVATIONS
from playground.views import activation_view as av
from playground.views.activation_view import ActivationView
from playground.views.features_view import FeaturesView


def test_activation_view_starts_on_tanh() -> None:
    view = ActivationView()
    x = np.asarray(view.source.data["x"])
    assert x[0] == pytest.approx(-4.0)
    assert x[-1] == pytest.approx(4.0)
    assert np.allclose(view.source.data["f"], np.tanh(x))
    assert "Tanh" in view.text.object


def test_switching_to_relu_updates_the_curves_in_place() -> None:
    view = ActivationView()
    source, fig = view.source, view.figure
    view.activation = "relu"
    assert view.source is source
    assert view.figure is fig
    x = np.asarray(source.data["x"])
    assert np.array_equal(source.data["f"], np.maximum(x, 0.0))
    assert np.array_equal(source.data["df"], (x > 0).astype(float))
    assert "zeroes negative ones" in view.text.object
    assert "Circle" in view.text.object


def test_y_range_follows_the_data_with_padding() -> None:
    view = ActivationView(activation="relu")
    assert view.y_range.start < 0.0
    assert view.y_range.end > 4.0
    view.activation = "sigmoid"
    assert view.y_range.end < 2.0
    assert view.y_range.start < 0.0


def test_every_activation_has_a_name_and_an_explanation() -> None:
    for name in ACTIVATIONS:
        assert name in av.DISPLAY_NAMES
        assert name in av.DESCRIPTIONS
        view = ActivationView(activation=name)
        assert av.DISPLAY_NAMES[name] in view.text.object


def test_activation_view_renders_a_panel_layout() -> None:
    view = ActivationView()
    layout = view.__panel__()
    assert len(layout) == 2


def _digits(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(0.0, 1.0, size=(n, 64))


def test_features_view_draws_a_weight_image_and_examples_per_neuron() -> None:
    rng = np.random.default_rng(0)
    W1 = rng.normal(size=(64, 3))
    inputs = _digits(10, rng)
    acts = np.tanh(inputs @ W1)
    view = FeaturesView()
    view.update(W1, acts, inputs)

    weights = view.weights_source.data
    assert len(weights["image"]) == 3
    for img in weights["image"]:
        assert np.shape(img) == (8, 8)
    assert np.array_equal(weights["neuron"], [1, 2, 3])

    examples = view.examples_source.data
    assert len(examples["image"]) == 9
    assert sorted(np.asarray(examples["neuron"]).tolist()) == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    # the first example of neuron 1 is the training image that excites it most
    first = int(examples["row"][0])
    assert first == int(np.argmax(acts[:, 0]))
    assert np.allclose(examples["image"][0], np.flipud(inputs[first].reshape(8, 8)))
    assert view.labels_source.data["label"] == ["neuron 1", "neuron 2", "neuron 3"]


def test_features_view_columns_do_not_overlap() -> None:
    rng = np.random.default_rng(2)
    W1 = rng.normal(size=(64, 4))
    inputs = _digits(6, rng)
    view = FeaturesView()
    view.update(W1, inputs @ W1, inputs)
    xs = np.asarray(view.weights_source.data["x"])
    assert np.all(np.diff(xs) > view.weights_source.data["dw"][0])
    ex = view.examples_source.data
    # every example sits below its neuron's weight image, in that neuron's column
    top_y = view.weights_source.data["y"][0]
    assert np.all(np.asarray(ex["y"]) + np.asarray(ex["dh"]) < top_y)
    assert np.allclose(ex["x"], xs[np.asarray(ex["neuron"]) - 1])


def test_features_view_follows_a_new_neuron_count() -> None:
    rng = np.random.default_rng(1)
    inputs = _digits(5, rng)
    view = FeaturesView()
    W1 = rng.normal(size=(64, 8))
    view.update(W1, inputs @ W1, inputs)
    wide_end = view.x_range.end
    W1 = rng.normal(size=(64, 20))  # more than shown: the first 16 are drawn
    view.update(W1, inputs @ W1, inputs)
    assert len(view.weights_source.data["image"]) == 16
    assert len(view.examples_source.data["image"]) == 48
    assert view.x_range.end > wide_end
    assert view.x_range.end > view.weights_source.data["x"][-1] + 1.0


def test_features_view_caps_examples_at_the_number_of_images() -> None:
    rng = np.random.default_rng(3)
    W1 = rng.normal(size=(64, 2))
    inputs = _digits(2, rng)
    view = FeaturesView()
    view.update(W1, inputs @ W1, inputs)
    assert len(view.examples_source.data["image"]) == 4


def test_features_view_rejects_mismatched_shapes() -> None:
    view = FeaturesView()
    with pytest.raises(ValueError, match="activations"):
        view.update(np.zeros((64, 3)), np.zeros((5, 2)), np.zeros((5, 64)))
