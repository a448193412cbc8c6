"""The Screen keeps what a page shows in step with the model: the network's lines and pictures,
the output, the features of the digits; laid out again for a new experiment, repainted for
every refresh, the heatmaps at most HEAVY_HZ a second while training, and nothing drawn is
NaN or infinite. (The views' own tests check that the Panel objects show these frames.)"""

from __future__ import annotations

import html

import numpy as np
import pytest
from fake_host import Painted, non_finite

from playground.painter import charts, frames, network, output
from playground.painter import features as feats
from playground.painter import network_data as nd
from playground.painter.frame import Columns

LINES, THUMBS, BIASES, VALUES = network.LINES, network.THUMBS, network.BIASES, network.VALUES


def n_weights(sizes: list[int]) -> int:
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def shown_weights(p: Painted) -> np.ndarray:
    return p.column(LINES, "w")


def images(p: Painted) -> list[np.ndarray]:
    return [np.asarray(i) for i in p.host.data[THUMBS]["image"]]


def heat(p: Painted) -> np.ndarray:
    return np.asarray(p.host.data[output.HEAT]["image"][0])


# the layout ---------------------------------------------------------------------------------
def test_the_default_network_is_laid_out_and_shows_its_weights() -> None:
    p = Painted.of()
    assert len(p.column(LINES, "x0")) == 2 * 4 + 4 * 2 + 2 * 1
    assert len(p.column(THUMBS, "x")) == 2 + 4 + 2 + 1
    assert np.array_equal(shown_weights(p), nd.flatten(p.net.weights))
    assert np.array_equal(p.column(BIASES, "b"), nd.flatten(p.net.biases))


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
    p = Painted.of()
    change(p.m.session)
    sizes = p.net.sizes
    assert p.m.session.topology == 1
    assert len(p.column(LINES, "x0")) == n_weights(sizes)
    assert len(p.host.data[LINES]["from_label"]) == n_weights(sizes)
    assert len(p.host.data[THUMBS]["image"]) == sum(sizes)
    assert len(p.host.data[VALUES]["text"]) == sum(sizes)
    assert len(p.column(BIASES, "b")) == sum(sizes[1:])
    assert np.array_equal(shown_weights(p), nd.flatten(p.net.weights))
    assert np.array_equal(p.column(BIASES, "b"), nd.flatten(p.net.biases))
    words = html.escape(network.describe(sizes, network.input_labels(p.m)))
    assert words in p.text(network.DESCRIPTION)


def test_each_line_is_its_weight() -> None:
    p = Painted.of(hidden=[3])
    layer, src, dst = (p.column(LINES, k).astype(int) for k in ("layer", "src", "dst"))
    w = shown_weights(p)
    for i, (k, s, d) in enumerate(zip(layer, src, dst, strict=True)):
        assert w[i] == p.net.layers[k].W[s, d]


def test_a_refresh_shows_the_trained_weights() -> None:
    p = Painted.of()
    start = shown_weights(p).copy()
    p.loop.step()
    assert not np.array_equal(shown_weights(p), start)
    assert np.array_equal(shown_weights(p), nd.flatten(p.net.weights))
    assert p.text("status.epoch") == "Epoch 1"


def test_lines_grow_with_the_size_of_their_weight() -> None:
    p = Painted.of()
    p.m.session.set_weight(0, 0, 0, 0.1)
    p.m.session.set_weight(0, 0, 1, -2.0)
    p.m.session.set_weight(0, 0, 2, 2.0)
    lw = p.column(LINES, "lw")
    assert lw[1] > lw[0]
    assert lw[1] == lw[2]  # the width shows |w|; the colour shows the sign
    order = np.argsort(np.abs(shown_weights(p)))
    assert np.all(np.diff(lw[order]) >= 0)
    colour = p.column(LINES, "c")
    assert colour[1] < 0 < colour[2]


def test_a_new_experiment_replaces_the_sources_and_anything_else_updates_them() -> None:
    p = Painted.of()
    p.host.frames.clear()
    p.loop.step()
    modes = {t: v.mode for f in p.host.frames for t, v in f.items() if isinstance(v, Columns)}
    assert modes[LINES] == modes[THUMBS] == "update"
    assert modes[charts.LOSS] == "stream"
    p.host.frames.clear()
    p.m.session.add_layer()
    replaced = {t for f in p.host.frames for t, v in f.items()
                if isinstance(v, Columns) and v.mode == "replace"}
    assert {LINES, THUMBS, BIASES, VALUES, charts.LOSS, output.TRAIN, output.TEST} <= replaced


# heatmaps -----------------------------------------------------------------------------------
def test_the_thumbnails_show_each_neurons_activation() -> None:
    p = Painted.of()
    shown = images(p)
    assert len(shown) == sum(p.net.sizes)
    assert all(img.shape == (16, 16) for img in shown)
    assert all(np.abs(img).max() > 0 for img in shown)
    x1 = shown[0]
    assert x1[0, 0] < 0 < x1[0, -1]  # x1 grows to the right


def test_a_weight_edit_changes_the_output_heatmap() -> None:
    p = Painted.of()
    before = heat(p).copy()
    p.m.session.set_weight(2, 0, 0, 3.0)
    assert heat(p).shape == (64, 64)
    assert not np.array_equal(heat(p), before)


def test_a_weight_edit_changes_the_thumbnails_after_it() -> None:
    p = Painted.of()
    before = [img.copy() for img in images(p)]
    p.m.session.set_weight(0, 0, 0, 3.0)  # x1 -> first neuron of layer 1
    after = images(p)
    assert np.array_equal(after[0], before[0])  # the inputs do not change
    assert not np.array_equal(after[2], before[2])  # the first hidden neuron does


def test_the_discretize_toggle_redraws_the_output() -> None:
    p = Painted.of()
    p.loop.step()
    assert len(np.unique(heat(p))) > 2
    p.m.state.discretize = True
    assert set(np.unique(heat(p))) <= {-1.0, 1.0}
    assert p.m.session.topology == 0


def test_while_training_the_heatmaps_are_repainted_at_most_heavy_hz(
        monkeypatch: pytest.MonkeyPatch) -> None:
    p = Painted.of()
    clock = [100.0]
    monkeypatch.setattr(frames.time, "perf_counter", lambda: clock[0])
    p.screen.heavy_timer.mark()
    p.loop.running = True  # as Play leaves it (its task not started)

    def heavy_refresh() -> bool:
        p.host.frames.clear()
        p.loop.trainer.train_epoch()
        p.loop.publish()
        return any(output.HEAT in f for f in p.host.frames)

    assert not heavy_refresh()  # no time has passed: lines and numbers only
    assert p.column(LINES, "w").tolist() == nd.flatten(p.net.weights).tolist()
    clock[0] += 1.01 / frames.HEAVY_HZ
    assert heavy_refresh()
    assert not heavy_refresh()
    p.loop.running = False
    assert heavy_refresh()  # stopped: always


# datasets -----------------------------------------------------------------------------------
def test_digits_show_the_first_layers_features_and_no_output() -> None:
    p = Painted.of(dataset="digits", hidden=[6])
    assert p.net.sizes[0] == 64
    assert len(p.host.data[feats.WEIGHTS]["image"]) == 6
    assert len(p.host.data[feats.EXAMPLES]["image"]) > 0
    assert p.host.data[feats.LABELS]["label"][0] == "neuron 1"
    assert len(p.column(LINES, "x0")) == n_weights(p.net.sizes)
    assert len(p.column(output.TRAIN, "x")) == 0  # no other data's points
    assert not p.visible("output.figure")
    assert p.visible("features.figure")


def test_digit_features_follow_training() -> None:
    p = Painted.of(dataset="digits", hidden=[4])
    before = np.asarray(p.host.data[feats.WEIGHTS]["image"][0]).copy()
    p.loop.step()
    assert not np.array_equal(p.host.data[feats.WEIGHTS]["image"][0], before)


def test_back_to_2d_data_from_the_digits() -> None:
    p = Painted.of(dataset="digits", hidden=[4])
    p.m.state.dataset = "circle"
    assert p.visible("output.figure")
    assert not p.visible("features.figure")
    assert len(p.column(output.TRAIN, "x")) == len(p.loop.trainer.context.dataset.x_train)


def test_three_classes_colour_the_output_by_class() -> None:
    p = Painted.of(dataset="spiral3")
    mapper = p.host.props[output.MAPPER]
    assert mapper["palette"] == list(output.CLASS_COLOURS[:3])
    assert (mapper["low"], mapper["high"]) == (-0.5, 2.5)
    assert set(np.unique(p.column(output.TRAIN, "c"))) == {0.0, 1.0, 2.0}
    assert set(np.unique(heat(p))) <= {0.0, 1.0, 2.0}


def test_back_to_two_classes_restores_the_diverging_palette() -> None:
    p = Painted.of(dataset="spiral3")
    p.m.state.dataset = "circle"
    mapper = p.host.props[output.MAPPER]
    assert mapper["palette"] == nd.PALETTE
    assert (mapper["low"], mapper["high"]) == (-1.0, 1.0)


# nothing drawn is NaN or infinite --------------------------------------------------------------
BLOWS_UP = {"problem": "regression", "activation": "relu", "hidden": [8] * 6,
            "learning_rate": 10.0}
SPIRAL_LR_10 = {"dataset": "spiral", "activation": "relu", "hidden": [8] * 6,
                "learning_rate": 10.0}
ACCURACY = frozenset({"train_accuracy", "test_accuracy"})  # NaN by design for regression


@pytest.mark.parametrize(("state", "regression"), [(BLOWS_UP, True), (SPIRAL_LR_10, False)])
def test_no_source_holds_nan_or_infinity(state: dict, regression: bool) -> None:
    p = Painted.of(**state)
    skip = ACCURACY if regression else frozenset()
    assert non_finite(p.host, skip) == []
    for _ in range(10):
        p.loop.step()
        assert non_finite(p.host, skip) == []
    assert p.loop.diverged is regression
    assert len(shown_weights(p)) == 2 * 8 + 5 * 64 + 8
    assert np.isfinite(shown_weights(p)).all()
    assert all(np.isfinite(img).all() for img in images(p))
    assert np.isfinite(heat(p)).all()


def test_weights_that_overflow_the_forward_pass_are_drawn_clipped() -> None:
    p = Painted.of(activation="relu", hidden=[8] * 6)
    for layer in p.net.layers:
        layer.W[...] = 1e60  # finite, but 1e60^7 overflows every layer after the first few
    p.screen.paint([network.live(p.m), p.screen.heavy()])
    assert non_finite(p.host) == []
    assert np.abs(heat(p)).max() <= 1.0


def test_a_huge_weight_is_drawn_without_overflow() -> None:
    p = Painted.of(activation="relu")
    p.net.layers[0].W[0, 0] = 1e300
    p.loop.publish()
    assert non_finite(p.host) == []
    assert all(np.isfinite(img).all() for img in images(p))
