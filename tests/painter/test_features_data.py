"""The features view's numbers: weight images, most exciting inputs, digit images."""

from __future__ import annotations

import numpy as np
import pytest

from playground.painter import features_data as fd


def test_one_float32_square_image_per_neuron() -> None:
    rng = np.random.default_rng(0)
    images = fd.weight_images(rng.normal(size=(64, 5)))
    assert len(images) == 5
    for img in images:
        assert img.shape == (8, 8)
        assert img.dtype == np.float32


def test_each_neuron_is_scaled_by_its_own_largest_weight() -> None:
    rng = np.random.default_rng(1)
    W = rng.normal(size=(64, 3)) * np.array([0.01, 1.0, 50.0])
    images = fd.weight_images(W)
    for j, img in enumerate(images):
        assert np.abs(img).max() == pytest.approx(1.0)
        # the pattern (and the signs) survive the scaling
        expected = np.flipud(W[:, j].reshape(8, 8)) / np.abs(W[:, j]).max()
        assert np.allclose(img, expected, atol=1e-6)


def test_all_zero_neuron_stays_zero() -> None:
    W = np.zeros((64, 2))
    W[10, 1] = -3.0
    images = fd.weight_images(W)
    assert np.all(images[0] == 0)
    assert np.all(np.isfinite(images[0]))
    assert images[1].min() == pytest.approx(-1.0)


def test_top_left_pixel_lands_where_bokeh_draws_the_top_left() -> None:
    W = np.zeros((64, 1))
    W[0, 0] = 2.0  # pixel 0: row 0 (top), column 0 (left)
    img = fd.weight_images(W)[0]
    assert img[-1, 0] == pytest.approx(1.0)  # Bokeh draws the last row at the top
    assert np.count_nonzero(img) == 1


def test_pixels_run_row_major() -> None:
    W = np.zeros((64, 1))
    W[1, 0] = 1.0  # row 0, column 1
    W[8, 0] = -1.0  # row 1, column 0
    img = fd.weight_images(W)[0]
    assert img[-1, 1] == pytest.approx(1.0)
    assert img[-2, 0] == pytest.approx(-1.0)


def test_other_sides() -> None:
    images = fd.weight_images(np.ones((16, 2)), side=4)
    assert images[1].shape == (4, 4)


def test_wrong_weight_shape_raises() -> None:
    with pytest.raises(ValueError, match="shape"):
        fd.weight_images(np.ones((63, 2)))


def test_top_inputs_are_largest_first_per_neuron() -> None:
    acts = np.array([
        [0.1, 5.0],
        [0.9, 4.0],
        [0.5, 3.0],
        [0.7, 6.0],
    ])
    top = fd.top_inputs(acts, k=3)
    assert top.shape == (2, 3)
    assert np.issubdtype(top.dtype, np.integer)
    assert top[0].tolist() == [1, 3, 2]
    assert top[1].tolist() == [3, 0, 1]


def test_top_inputs_caps_k_at_the_number_of_images() -> None:
    acts = np.array([[1.0, -1.0, 0.0], [2.0, -2.0, 0.5]])
    top = fd.top_inputs(acts, k=5)
    assert top.shape == (3, 2)
    assert top[:, 0].tolist() == [1, 0, 1]


def test_pixel_image_is_upright_greyscale() -> None:
    row = np.zeros(64)
    row[0] = 1.0
    row[63] = 0.25
    img = fd.pixel_image(row)
    assert img.shape == (8, 8)
    assert img.dtype == np.float32
    assert img[-1, 0] == pytest.approx(1.0)  # top-left pixel, drawn at the top
    assert img[0, -1] == pytest.approx(0.25)  # bottom-right pixel
    assert img.min() >= 0.0


def test_pixel_image_wrong_size_raises() -> None:
    with pytest.raises(ValueError, match="64 pixels"):
        fd.pixel_image(np.zeros(10))
