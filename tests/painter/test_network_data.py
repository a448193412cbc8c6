"""The network view's numbers: positions, segment order, widths, colours, heatmaps."""

from __future__ import annotations

import numpy as np
import pytest

from playground.painter import network_data as nd


def test_palette_runs_orange_to_blue_through_light_grey() -> None:
    palette = nd.diverging_palette(5)
    assert palette[0] == "#f59322"
    assert palette[2] == "#e8eaeb"
    assert palette[-1] == "#0877bd"


def test_neurons_are_centred_in_their_column() -> None:
    pos = nd.neuron_positions([2, 3, 1])
    assert [p.shape for p in pos] == [(2, 2), (3, 2), (1, 2)]
    assert np.allclose(pos[1][:, 0], nd.LAYER_GAP)
    assert pos[1][:, 1].mean() == pytest.approx(0.0)
    assert pos[2][0, 1] == pytest.approx(0.0)


def test_segments_follow_the_row_major_order_of_each_weight_matrix() -> None:
    sizes = [2, 3, 1]
    segs = nd.weight_segments(sizes)
    weights = [np.arange(6.0).reshape(2, 3), np.arange(3.0).reshape(3, 1) + 10]
    flat = nd.flatten(weights)
    assert len(segs["x0"]) == len(flat) == 9
    rows = zip(segs["layer"], segs["src"], segs["dst"], strict=True)
    for k, (layer, src, dst) in enumerate(rows):
        assert flat[k] == weights[int(layer)][int(src), int(dst)]
    # every segment starts in its layer's column and ends in the next one
    assert np.all(segs["x1"] > segs["x0"])


def test_line_width_grows_with_magnitude_not_sign() -> None:
    w = np.array([0.0, 0.5, -0.5, 2.0, 100.0])
    lw = nd.line_widths(w)
    assert lw[0] == pytest.approx(nd.MIN_WIDTH)
    assert lw[1] == pytest.approx(lw[2])
    assert lw[1] < lw[3] < lw[4]
    assert lw[4] == pytest.approx(nd.MAX_WIDTH)


def test_colour_values_keep_the_sign_and_saturate() -> None:
    c = nd.colour_values(np.array([-50.0, -0.1, 0.0, 0.1, 50.0]))
    assert c[0] == pytest.approx(-1.0)
    assert c[-1] == pytest.approx(1.0)
    assert c[1] < 0 < c[3]
    assert c[2] == 0


def test_heatmaps_are_one_image_per_neuron_in_grid_order() -> None:
    n = 8
    points = nd.grid(n)
    acts = np.column_stack([points[:, 0], points[:, 1]])  # neuron 0 = x, neuron 1 = y
    images = nd.heatmaps(acts, n, step=2)
    assert len(images) == 2
    assert images[0].shape == (4, 4)
    assert images[0].dtype == np.float32
    assert np.all(np.diff(images[0], axis=1) > 0)  # x grows to the right
    assert np.all(np.diff(images[1], axis=0) > 0)  # y grows upwards (image rows from bottom)


def test_outputs_are_mapped_onto_the_colour_range() -> None:
    assert nd.output_to_unit(np.array([0.0, 0.5, 1.0]), "sigmoid").tolist() == [-1.0, 0.0, 1.0]
    assert nd.output_to_unit(np.array([-3.0, 0.2]), "linear").tolist() == [-1.0, 0.2]


@pytest.mark.parametrize("sizes", [[2, 4, 2, 1], [2, 8, 8, 8, 8, 8, 8, 1], [64, 8, 10], [2, 1]])
def test_view_ranges_hold_every_neuron_at_the_figure_aspect(sizes: list[int]) -> None:
    (x0, x1), (y0, y1) = nd.view_ranges(sizes, 1.6)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(1.6)
    xy = np.concatenate(nd.neuron_positions(sizes))
    assert x0 < xy[:, 0].min() - nd.THUMB / 2
    assert xy[:, 0].max() + nd.THUMB / 2 < x1
    assert y0 < xy[:, 1].min() - nd.THUMB / 2
    assert xy[:, 1].max() + nd.THUMB / 2 < y1
