"""Input features computed from a 2-D point (x1, x2), TensorFlow Playground's seven and two more.

Each has a short stable name (ours, used in code and saved models), TensorFlow Playground's name
for it (`tf_name`: its URL key), or for the two it lacks our key in links (`url_name`), and the
label the page shows (engine.choices).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from playground.engine.choices import Choice, registry

Array = np.ndarray


@dataclass(frozen=True)
class Feature(Choice):
    """f(x1, x2), elementwise, and its names (engine.choices)."""

    f: Callable[[Array, Array], Array]


FEATURES: dict[str, Feature] = registry((
    Feature("x1", lambda x1, x2: x1, label="X₁", tf_name="x", doc="the first coordinate"),
    Feature("x2", lambda x1, x2: x2, label="X₂", tf_name="y", doc="the second coordinate"),
    Feature("x1sq", lambda x1, x2: x1 * x1, label="X₁²", tf_name="xSquared",
            doc="the first coordinate squared"),
    Feature("x2sq", lambda x1, x2: x2 * x2, label="X₂²", tf_name="ySquared",
            doc="the second coordinate squared"),
    Feature("x1x2", lambda x1, x2: x1 * x2, label="X₁X₂", tf_name="xTimesY",
            doc="the product of the coordinates"),
    Feature("sin_x1", lambda x1, x2: np.sin(x1), label="sin(X₁)", tf_name="sinX",
            doc="the sine of the first coordinate"),
    Feature("sin_x2", lambda x1, x2: np.sin(x2), label="sin(X₂)", tf_name="sinY",
            doc="the sine of the second coordinate"),
    # ours: TensorFlow Playground has no cosines; its links' style of key for them
    Feature("cos_x1", lambda x1, x2: np.cos(x1), label="cos(X₁)", url_name="cosX",
            doc="the cosine of the first coordinate"),
    Feature("cos_x2", lambda x1, x2: np.cos(x2), label="cos(X₂)", url_name="cosY",
            doc="the cosine of the second coordinate"),
))
DEFAULT_FEATURES = ("x1", "x2")
BY_TF_NAME: dict[str, str] = {f.tf_name: name for name, f in FEATURES.items() if f.tf_name}


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """The names as a tuple; ValueError if empty, unknown or repeated."""
    names = tuple(names)
    if not names:
        raise ValueError("features: choose at least one input feature")
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"features: unknown feature {name!r}; choose from "
                             f"{', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise ValueError("features: a feature is listed twice")
    return names


def featurize(points: Array, names: Sequence[str] = DEFAULT_FEATURES) -> Array:
    """Points (N, 2) -> network inputs (N, len(names)), one column per feature, in order."""
    names = check_features(names)
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (N, 2), got {points.shape}")
    x1, x2 = points[:, 0], points[:, 1]
    out = np.empty((len(points), len(names)))
    for j, name in enumerate(names):
        out[:, j] = FEATURES[name].f(x1, x2)
    return out
