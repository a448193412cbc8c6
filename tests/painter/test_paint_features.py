"""The digits' learned features as frames: each first-layer neuron's weights as an image, over
the training digits that excite it most."""

from __future__ import annotations

import numpy as np
import pytest
from fake_host import Painted

from playground.painter import features as feats


def _digits(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(0.0, 1.0, size=(n, 64))


def test_a_weight_image_and_examples_per_neuron() -> None:
    rng = np.random.default_rng(0)
    W1 = rng.normal(size=(64, 3))
    inputs = _digits(10, rng)
    acts = np.tanh(inputs @ W1)
    frame = feats.draw(W1, acts, inputs)

    weights = frame[feats.WEIGHTS].data
    assert len(weights["image"]) == 3
    for img in weights["image"]:
        assert np.shape(img) == (8, 8)
    assert np.array_equal(weights["neuron"], [1, 2, 3])

    examples = frame[feats.EXAMPLES].data
    assert len(examples["image"]) == 9
    assert sorted(np.asarray(examples["neuron"]).tolist()) == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    # the first example of neuron 1 is the training image that excites it most
    first = int(examples["row"][0])
    assert first == int(np.argmax(acts[:, 0]))
    assert np.allclose(examples["image"][0], np.flipud(inputs[first].reshape(8, 8)))
    assert frame[feats.LABELS].data["label"] == ["neuron 1", "neuron 2", "neuron 3"]
    assert all(frame[t].mode == "replace" for t in (feats.WEIGHTS, feats.EXAMPLES, feats.LABELS))


def test_columns_do_not_overlap() -> None:
    rng = np.random.default_rng(2)
    W1 = rng.normal(size=(64, 4))
    inputs = _digits(6, rng)
    frame = feats.draw(W1, inputs @ W1, inputs)
    weights, ex = frame[feats.WEIGHTS].data, frame[feats.EXAMPLES].data
    xs = np.asarray(weights["x"])
    assert np.all(np.diff(xs) > weights["dw"][0])
    # every example sits below its neuron's weight image, in that neuron's column
    top_y = weights["y"][0]
    assert np.all(np.asarray(ex["y"]) + np.asarray(ex["dh"]) < top_y)
    assert np.allclose(ex["x"], xs[np.asarray(ex["neuron"]) - 1])


def test_a_wider_layer_shows_its_first_16_neurons_and_widens_the_view() -> None:
    rng = np.random.default_rng(1)
    inputs = _digits(5, rng)
    W1 = rng.normal(size=(64, 8))
    narrow_end = feats.draw(W1, inputs @ W1, inputs)[feats.X_RANGE]["end"]
    W1 = rng.normal(size=(64, 20))
    frame = feats.draw(W1, inputs @ W1, inputs)
    assert len(frame[feats.WEIGHTS].data["image"]) == 16
    assert len(frame[feats.EXAMPLES].data["image"]) == 48
    end = frame[feats.X_RANGE]["end"]
    assert end > narrow_end
    assert end > frame[feats.WEIGHTS].data["x"][-1] + 1.0


def test_examples_are_capped_at_the_number_of_images() -> None:
    rng = np.random.default_rng(3)
    W1 = rng.normal(size=(64, 2))
    inputs = _digits(2, rng)
    assert len(feats.draw(W1, inputs @ W1, inputs)[feats.EXAMPLES].data["image"]) == 4


def test_mismatched_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="activations"):
        feats.draw(np.zeros((64, 3)), np.zeros((5, 2)), np.zeros((5, 64)))
    with pytest.raises(ValueError, match="W1"):
        feats.draw(np.zeros((10, 3)), np.zeros((5, 3)), np.zeros((5, 64)))


def test_the_trained_networks_features_and_none_without_a_hidden_layer() -> None:
    p = Painted.of(dataset="digits", hidden=[5])  # tanh
    layer = p.net.layers[0]
    x = p.loop.trainer.context.dataset.x_train
    expected = feats.draw(layer.W, np.tanh(x @ layer.W + layer.b), x)
    frame = feats.features(p.m)
    assert len(frame[feats.WEIGHTS].data["image"]) == 5
    assert frame[feats.WEIGHTS] == expected[feats.WEIGHTS]
    assert np.array_equal(frame[feats.EXAMPLES].data["row"], expected[feats.EXAMPLES].data["row"])
    assert feats.features(Painted.of(dataset="digits", hidden=[]).m) == {}
