"""Input features: values, TensorFlow Playground's names, errors."""

from __future__ import annotations

import numpy as np
import pytest

from playground.data.features import BY_TF_NAME, FEATURES, featurize


def test_values() -> None:
    p = np.array([[1.0, 2.0], [-0.5, 3.0]])
    out = featurize(p, list(FEATURES))
    x1, x2 = p[:, 0], p[:, 1]
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2),
                                np.cos(x1), np.cos(x2)])
    np.testing.assert_allclose(out, expected)


def test_order_follows_the_names() -> None:
    p = np.array([[1.0, 2.0]])
    np.testing.assert_allclose(featurize(p, ["x2", "x1sq"]), [[2.0, 1.0]])
    np.testing.assert_allclose(featurize(p), [[1.0, 2.0]])  # default x1, x2


def test_names_labels_and_tensorflow_names() -> None:
    assert list(FEATURES) == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sin_x1", "sin_x2",
                              "cos_x1", "cos_x2"]
    assert BY_TF_NAME == {"x": "x1", "y": "x2", "xSquared": "x1sq", "ySquared": "x2sq",
                          "xTimesY": "x1x2", "sinX": "sin_x1", "sinY": "sin_x2"}
    # TensorFlow Playground has no cosines: ours, keyed in links as its features are
    assert {n: f.url for n, f in FEATURES.items() if not f.tf_name} == {
        "cos_x1": "cosX", "cos_x2": "cosY"}
    assert all(f.label for f in FEATURES.values())


@pytest.mark.parametrize(("names", "message"), [
    ([], "at least one"),
    (["x3"], "unknown feature 'x3'"),
    (["x1", "x1"], "listed twice"),
])
def test_bad_names(names, message) -> None:
    with pytest.raises(ValueError, match=message):
        featurize(np.zeros((1, 2)), names)


def test_points_must_be_2d() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        featurize(np.zeros((3, 3)))
