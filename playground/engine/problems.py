"""What a network is asked to do: classify points, or fit a number to them (TensorFlow
Playground's two problems, and their names)."""

from __future__ import annotations

from playground.engine.choices import Choice, registry

PROBLEMS: dict[str, Choice] = registry((
    Choice("classification", label="Classification", tf_name="classification",
           doc="tell the points' classes apart: the output's sign, or its largest column"),
    Choice("regression", label="Regression", tf_name="regression",
           doc="fit a number to every point: the output's value"),
))
