"""LiveViews pushes the trainer into the network, output and features views."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from playground.model.session import Session
from playground.painter import network_data as nd
from playground.state import State
from playground.views.features_view import FeaturesView
from playground.views.live import LiveViews
from playground.views.network_view import NetworkView
from playground.views.output_view import CLASS_COLOURS, OutputView


@dataclass
class Views:
    session: Session
    network: NetworkView
    output: OutputView
    features: FeaturesView
    live: LiveViews

    @property
    def net(self):
        return self.session.loop.trainer.network


def views(**state) -> Views:
    session = Session(State(**state))
    network, output, features = NetworkView(), OutputView(), FeaturesView()
    live = LiveViews(session=session, network=network, output=output, features=features)
    return Views(session, network, output, features, live)


def n_weights(sizes: list[int]) -> int:
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def shown_weights(v: Views) -> np.ndarray:
    return np.asarray(v.network.lines.data["w"])


# layout -------------------------------------------------------------------------------------------
def test_the_default_network_is_laid_out() -> None:
    v = views()
    assert len(v.network.lines.data["x0"]) == 2 * 4 + 4 * 2 + 2 * 1
    assert len(v.network.thumbs.data["x"]) == 2 + 4 + 2 + 1
    assert np.array_equal(shown_weights(v), nd.flatten(v.net.weights))


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.add_layer(),
        lambda s: s.remove_layer(),
        lambda s: s.add_neuron(0),
        lambda s: s.remove_neuron(1),
        lambda s: setattr(s.state, "hidden", []),
        lambda s: setattr(s.state, "hidden", [8, 8, 8, 8, 8, 8]),
        lambda s: setattr(s.state, "features", ["x1", "x2", "x1sq", "sin_x1"]),
    ],
)
def test_after_a_topology_change_there_is_one_line_per_weight_and_one_square_per_neuron(
        change) -> None:
    v = views()
    change(v.session)
    sizes = v.net.sizes
    assert v.session.topology == 1
    assert len(v.network.lines.data["x0"]) == n_weights(sizes)
    assert len(v.network.lines.data["from_label"]) == n_weights(sizes)
    assert len(v.network.thumbs.data["image"]) == sum(sizes)
    assert len(v.network.values.data["text"]) == sum(sizes)
    assert len(v.network.biases.data["b"]) == sum(sizes[1:])
    assert np.array_equal(shown_weights(v), nd.flatten(v.net.weights))
    assert np.array_equal(v.network.biases.data["b"], nd.flatten(v.net.biases))


def test_each_line_is_its_weight() -> None:
    v = views(hidden=[3])
    data = v.network.lines.data
    for i, (k, s, d) in enumerate(zip(data["layer"], data["src"], data["dst"], strict=True)):
        assert data["w"][i] == v.net.layers[int(k)].W[int(s), int(d)]


def test_a_refresh_shows_the_trained_weights() -> None:
    v = views()
    start = shown_weights(v).copy()
    v.session.loop.step()
    assert not np.array_equal(shown_weights(v), start)
    assert np.array_equal(shown_weights(v), nd.flatten(v.net.weights))


def test_lines_grow_with_the_size_of_their_weight() -> None:
    v = views()
    v.session.set_weight(0, 0, 0, 0.1)
    v.session.set_weight(0, 0, 1, -2.0)
    v.session.set_weight(0, 0, 2, 2.0)
    lw = np.asarray(v.network.lines.data["lw"])
    assert lw[1] > lw[0]
    assert lw[1] == lw[2]  # the width shows |w|; the colour shows the sign
    order = np.argsort(np.abs(shown_weights(v)))
    assert np.all(np.diff(lw[order]) >= 0)
    colour = np.asarray(v.network.lines.data["c"])
    assert colour[1] < 0 < colour[2]


def test_frozen_views_do_not_move() -> None:
    v = views()
    v.live.frozen = True
    shown = shown_weights(v).copy()
    v.session.loop.step()
    v.live.refresh()
    assert np.array_equal(shown_weights(v), shown)
    v.live.frozen = False
    v.live.refresh()
    assert np.array_equal(shown_weights(v), nd.flatten(v.net.weights))


# heatmaps ---------------------------------------------------------------------------------------
def test_the_thumbnails_show_each_neurons_activation() -> None:
    v = views()
    images = v.network.thumbs.data["image"]
    assert all(img.shape == (16, 16) for img in images)
    assert all(np.abs(img).max() > 0 for img in images)
    x1 = images[0]
    assert x1[0, 0] < 0 < x1[0, -1]  # x1 grows to the right


def test_a_weight_edit_changes_the_output_heatmap() -> None:
    v = views()
    before = v.output.heat.data["image"][0].copy()
    v.session.set_weight(2, 0, 0, 3.0)
    after = v.output.heat.data["image"][0]
    assert after.shape == (64, 64)
    assert not np.array_equal(after, before)


def test_a_weight_edit_changes_the_thumbnails_after_it() -> None:
    v = views()
    before = [img.copy() for img in v.network.thumbs.data["image"]]
    v.session.set_weight(0, 0, 0, 3.0)  # x1 -> first neuron of layer 1
    after = v.network.thumbs.data["image"]
    assert np.array_equal(after[0], before[0])  # the inputs do not change
    assert not np.array_equal(after[2], before[2])  # the first hidden neuron does


def test_the_discretize_toggle_redraws_the_output() -> None:
    v = views()
    v.session.loop.step()
    v.output.discretize = True
    image = v.output.heat.data["image"][0]
    assert set(np.unique(image)) <= {-1.0, 1.0}


# datasets ---------------------------------------------------------------------------------------
def test_digits_show_the_first_layers_features() -> None:
    v = views(dataset="digits", hidden=[6])
    assert v.net.sizes[0] == 64
    assert len(v.features.weights_source.data["image"]) == 6
    assert len(v.features.examples_source.data["image"]) > 0
    assert v.features.labels_source.data["label"][0] == "neuron 1"
    assert len(v.network.lines.data["x0"]) == n_weights(v.net.sizes)


def test_digit_features_follow_training() -> None:
    v = views(dataset="digits", hidden=[4])
    before = v.features.weights_source.data["image"][0].copy()
    v.session.loop.step()
    assert not np.array_equal(v.features.weights_source.data["image"][0], before)


def test_three_classes_colour_the_output_by_class() -> None:
    v = views(dataset="spiral3")
    assert v.output.mapper.palette == list(CLASS_COLOURS[:3])
    assert v.output.mapper.low == -0.5
    assert v.output.mapper.high == 2.5
    assert set(np.unique(v.output.train_points.data["c"])) == {0.0, 1.0, 2.0}
    image = v.output.heat.data["image"][0]
    assert set(np.unique(image)) <= {0.0, 1.0, 2.0}


def test_back_to_two_classes_restores_the_diverging_palette() -> None:
    v = views(dataset="spiral3")
    v.session.state.dataset = "circle"
    assert v.output.mapper.palette == nd.PALETTE
    assert v.output.mapper.low == -1.0


def test_a_huge_weight_is_refused_or_drawn_without_overflow() -> None:
    v = views(activation="relu")
    v.session.set_weight(0, 0, 0, 1e300)
    assert all(np.isfinite(img).all() for img in v.network.thumbs.data["image"])
