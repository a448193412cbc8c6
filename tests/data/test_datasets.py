"""Datasets: TensorFlow Playground's semantics (counts, radii, labels, noise), splits, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from playground.data.datasets import (
    BY_TF_NAME,
    CLASSIFICATION_DATASETS,
    DATASETS,
    REGRESSION_DATASETS,
    circle,
    from_points,
    gauss,
    make_dataset,
    multigauss,
    plane,
    spiral,
    xor,
)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_makes_a_valid_split(name: str) -> None:
    spec = DATASETS[name]
    ds = make_dataset(name, noise=10, train_ratio=0.5, rng=rng())
    n = len(ds.x_train) + len(ds.x_test)
    assert n == spec.n_samples
    assert len(ds.x_train) == n // 2
    assert len(ds.y_train) == len(ds.x_train)
    assert ds.problem == spec.problem
    assert ds.n_classes == spec.n_classes
    assert np.isfinite(ds.x_train).all()
    labels = np.concatenate([ds.y_train, ds.y_test])
    if spec.n_classes == 2:
        assert set(np.unique(labels)) == {-1.0, 1.0}
    elif spec.n_classes:
        assert set(np.unique(labels)) == set(range(spec.n_classes))
    else:
        assert np.abs(labels).max() <= 1.5


def test_sizes_are_tensorflow_playgrounds() -> None:
    assert DATASETS["circle"].n_samples == 500  # NUM_SAMPLES_CLASSIFY
    assert DATASETS["plane"].n_samples == 1200  # NUM_SAMPLES_REGRESS
    assert set(REGRESSION_DATASETS) == {"plane", "multigauss"}
    assert {"circle", "xor", "gauss", "spiral", "moons", "checkerboard", "spiral3",
            "digits"} <= set(CLASSIFICATION_DATASETS)
    assert BY_TF_NAME == {"circle": "circle", "xor": "xor", "gauss": "gauss",
                          "spiral": "spiral", "reg-plane": "plane", "reg-gauss": "multigauss"}


def test_circle_inside_positive_ring_negative() -> None:
    x, y = circle(500, 0.0, rng())
    r = np.hypot(x[:, 0], x[:, 1])
    assert (y[:250] == 1).all()
    assert (r[:250] <= 2.5).all()
    assert (y[250:] == -1).all()
    assert ((r[250:] >= 3.5) & (r[250:] <= 5)).all()


def test_circle_noise_flips_labels_not_positions() -> None:
    x0, _ = circle(500, 0.0, rng(1))
    x, y = circle(500, 0.5, rng(1))
    np.testing.assert_array_equal(x, x0)  # same draws for the points
    r = np.hypot(x[:, 0], x[:, 1])
    assert (r <= 5).all()
    flipped = np.count_nonzero(y != np.where(r < 2.5, 1, -1))
    assert 50 < flipped < 300


def test_xor_padding_and_labels() -> None:
    x, y = xor(500, 0.0, rng())
    assert (np.abs(x) >= 0.3).all()
    assert (np.abs(x) <= 5.3).all()
    np.testing.assert_array_equal(y, np.where(x[:, 0] * x[:, 1] >= 0, 1, -1))
    assert 150 < np.count_nonzero(y == 1) < 350


def test_gauss_centres_and_variance_scale() -> None:
    x, y = gauss(2000, 0.0, rng())
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(x[y == -1].mean(axis=0), [-2, -2], atol=0.1)
    assert x[y == 1].var(axis=0) == pytest.approx([0.5, 0.5], rel=0.15)  # noise 0: 0.5
    x, y = gauss(2000, 0.5, rng())
    assert x[y == 1].var(axis=0) == pytest.approx([4, 4], rel=0.15)  # noise 50: 4
    assert np.count_nonzero(y == 1) == 1000


def test_spiral_two_arms_radius_five() -> None:
    x, y = spiral(500, 0.0, rng())
    r = np.hypot(x[:, 0], x[:, 1])
    assert r.max() < 5
    assert np.count_nonzero(y == 1) == 250
    # the arms are point reflections of each other (turned by pi)
    np.testing.assert_allclose(x[y == 1], -x[y == -1], atol=1e-12)
    x_noisy, _ = spiral(500, 0.5, rng())
    assert np.abs(x_noisy - x).max() <= 0.5  # noise * uniform(-1, 1)


def test_plane_target_is_x_plus_y_over_ten() -> None:
    x, y = plane(1200, 0.0, rng())
    assert np.abs(x).max() <= 6
    np.testing.assert_allclose(y, (x[:, 0] + x[:, 1]) / 10)
    _, y_noisy = plane(1200, 0.3, rng())
    assert not np.allclose(y_noisy, y)


def test_multigauss_bumps() -> None:
    centres = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    signs = [1, -1, 1, -1, 1, -1]
    x = np.vstack([centres, [[-6, 6]]])
    labels = _multigauss_at(x)
    np.testing.assert_allclose(labels[:6], signs)  # each centre: its sign, full height
    assert labels[6] == 0  # far from every bump
    _, y = multigauss(1200, 0.0, rng())
    assert np.abs(y).max() <= 1


def _multigauss_at(points: np.ndarray) -> np.ndarray:
    class Fixed:  # a generator whose uniforms return the points (noise 0)
        def __init__(self) -> None:
            self.calls = 0

        def uniform(self, low, high, size):
            self.calls += 1
            return points if self.calls == 1 else np.zeros(size)

    return multigauss(len(points), 0.0, Fixed())[1]


@pytest.mark.parametrize("ratio", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_train_ratio_splits_like_tensorflow(ratio: float) -> None:
    ds = make_dataset("circle", train_ratio=ratio, rng=rng())
    assert len(ds.x_train) == int(500 * ratio + 1e-9)  # floor(N * percTrainData / 100)
    assert len(ds.x_train) + len(ds.x_test) == 500


def test_data_is_shuffled_and_balanced_in_both_parts() -> None:
    ds = make_dataset("circle", rng=rng())
    assert 90 < np.count_nonzero(ds.y_train == 1) < 160
    assert ds.y_train[:50].std() > 0  # not sorted by class


def test_same_seed_same_data_other_seed_differs() -> None:
    a = make_dataset("spiral", noise=20, rng=rng(5))
    b = make_dataset("spiral", noise=20, rng=rng(5))
    c = make_dataset("spiral", noise=20, rng=rng(6))
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "moon"}, "unknown dataset 'moon'"),
    ({"name": "circle", "noise": -1}, "noise must be a finite number of at least 0"),
    ({"name": "circle", "noise": float("inf")}, "noise must be a finite number"),
    ({"name": "circle", "train_ratio": 1.0}, "train_ratio must be more than 0 and less than 1"),
    ({"name": "circle", "train_ratio": 0}, "train_ratio must be more than 0"),
])
def test_bad_arguments(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        make_dataset(**kwargs)


def test_moons_checkerboard_spiral3() -> None:
    ds = make_dataset("moons", rng=rng())
    x = np.concatenate([ds.x_train, ds.x_test])
    assert np.abs(x).max() < 6
    ds = make_dataset("checkerboard", rng=rng())
    x, y = ds.x_train, ds.y_train
    expected = np.where(np.floor(x / 2.5).astype(int).sum(axis=1) % 2 == 0, 1, -1)
    np.testing.assert_array_equal(y, expected)
    ds = make_dataset("spiral3", rng=rng())
    counts = np.bincount(np.concatenate([ds.y_train, ds.y_test]).astype(int))
    assert counts.tolist() == [167, 167, 166]


def test_user_points() -> None:
    points = [(1, 1, 1), (-1, -1, -1), (2, 2, 1), (-2, -2, -1)]
    ds = from_points(points, train_ratio=0.5, rng=rng())
    assert ds.n_classes == 2
    assert len(ds.x_train) == 2
    assert ds.name == "user"
    ds = from_points([(0, 0, 0), (1, 1, 1), (2, 2, 0), (3, 3, 1)], rng=rng())
    assert set(np.concatenate([ds.y_train, ds.y_test])) == {-1.0, 1.0}  # 0/1 -> -1/+1
    ds = from_points([(0, 0, 0), (1, 1, 1), (2, 2, 2)], rng=rng())
    assert ds.n_classes == 3
    ds = from_points([(0, 0, 0.25), (1, 1, -0.5)], problem="regression", rng=rng())
    assert ds.n_classes is None


@pytest.mark.parametrize(("points", "message"), [
    ([(0, 0, 1)], "at least 2 points"),
    ([(0, 0, 1), (1, 1)], "point 2: expected 3 values"),
    ([(0, 0, 1), (1, "a", 1)], "point 2: expected numbers"),
    ([(0, 0, 1), (1, float("inf"), -1)], "point 2: coordinates must be finite"),
    ([(0, 0, 1), (1, 1e9, -1)], "point 2: coordinates must be finite"),
    ([(0, 0, 1), (1, 1, 1e9)], "point 2: label 1e.09 is out of range"),
    ([(0, 0, 1), (1, 1, 0.5)], "point 2: label 0.5 is not a class"),
    ([(0, 0, 1), (1, 1, 10)], "point 2: label 10 is not a class"),
    ([(0, 0, 1), (1, 1, 1)], "at least two different labels"),
    ([(0, 0, 1), (1, 1, -1), (2, 2, 2)], "mix -1"),
])
def test_bad_user_points(points, message) -> None:
    with pytest.raises(ValueError, match=message):
        from_points(points, rng=rng())


def test_too_many_user_points() -> None:
    with pytest.raises(ValueError, match="too many points"):
        from_points([(0, 0, 1)] * 10_001)
