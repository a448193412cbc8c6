"""Input features computed from a 2-D point (x1, x2), TensorFlow Playground's seven and two more.

Each has a short stable name (ours, used in code and links), TensorFlow Playground's name for it
(`tf_name`, for its URL keys) and a display label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Feature:
    label: str
    f: Callable[[Array, Array], Array]  # f(x1, x2), elementwise
    tf_name: str


FEATURES: dict[str, Feature] = {
    "x1": Feature("X₁", lambda x1, x2: x1, "x"),
    "x2": Feature("X₂", lambda x1, x2: x2, "y"),
    "x1sq": Feature("X₁²", lambda x1, x2: x1 * x1, "xSquared"),
    "x2sq": Feature("X₂²", lambda x1, x2: x2 * x2, "ySquared"),
    "x1x2": Feature("X₁X₂", lambda x1, x2: x1 * x2, "xTimesY"),
    "sin_x1": Feature("sin(X₁)", lambda x1, x2: np.sin(x1), "sinX"),
    "sin_x2": Feature("sin(X₂)", lambda x1, x2: np.sin(x2), "sinY"),
    "cos_x1": Feature("cos(X₁)", lambda x1, x2: np.cos(x1), "cosX"),
    "cos_x2": Feature("cos(X₂)", lambda x1, x2: np.cos(x2), "cosY"),
}
DEFAULT_FEATURES = ("x1", "x2")
BY_TF_NAME: dict[str, str] = {feature.tf_name: name for name, feature in FEATURES.items()}


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
