"""The output view: what the network predicts over the whole input plane, with the data on top.

A heatmap of the output over [-6, 6]^2, orange for one class and blue for the other (or the
regression surface, or one colour per class for three or more), the training points, and the
test points (outlined) when "Show test data" is on. Targets: `heat` (the image), `train_points`
and `test_points` (sources), `mapper` (the colours), `test_renderer` (shown or not).
"""

from __future__ import annotations

import numpy as np

from playground.model.playground import PlaygroundModel
from playground.painter import network_data as nd
from playground.painter.frame import Columns, Frame
from playground.painter.frames import output_image

HEAT, TRAIN, TEST = "output.heat", "output.train_points", "output.test_points"
MAPPER, TEST_RENDERER = "output.mapper", "output.test_renderer"
EXTENT = 6.0
# One colour per class; the first two are the two-class orange and blue. Chosen so that every
# pair stays apart (CIE76 difference over 20) with normal vision and simulated protanopia,
# deuteranopia and tritanopia; the first three (the 3-class spiral) by CIEDE2000 too. See
# tests/painter/test_colours.py.
CLASS_COLOURS = ("#f59322", "#0877bd", "#b2182b", "#00f0a5", "#8700ff", "#b4d2ff", "#782d5a",
                 "#c387a5", "#4b2db4", "#a5a55a")


def point_colours(labels: np.ndarray, n_classes: int | None) -> np.ndarray:
    """Labels as numbers on the shared colour scale: -1..1 for two classes and regression,
    the class index for three or more."""
    labels = np.asarray(labels, dtype=float)
    if n_classes is not None and n_classes > 2:
        return labels
    return np.clip(labels, -1.0, 1.0)


def mapper(n_classes: int | None) -> dict:
    if n_classes is not None and n_classes > 2:
        return {"palette": list(CLASS_COLOURS[:n_classes]), "low": -0.5, "high": n_classes - 0.5}
    return {"palette": nd.PALETTE, "low": -1.0, "high": 1.0}


def points(m: PlaygroundModel) -> Frame:
    """A new dataset: its points and colours (none for the digits, which are not 2-D: the
    view is hidden then, and shows no other data's points)."""
    data = m.loop.trainer.context.dataset
    if not data.is_2d:
        return placeholder()
    frame: Frame = {MAPPER: mapper(data.n_classes)}
    for target, (x, y) in ((TRAIN, (data.x_train, data.y_train)),
                           (TEST, (data.x_test, data.y_test))):
        x = np.asarray(x, dtype=float)
        frame[target] = Columns("replace", {"x": x[:, 0], "y": x[:, 1],
                                            "c": point_colours(y, data.n_classes)})
    return frame


def heat(m: PlaygroundModel, out: np.ndarray, kind: str, n: int) -> Frame:
    """The heatmap for network outputs `out` over grid(n)."""
    data = m.loop.trainer.context.dataset
    image = output_image(out, kind, data.n_classes, n, m.state.discretize)
    return {HEAT: Columns("update", {"image": [image]})}


def flags(m: PlaygroundModel) -> Frame:
    return {TEST_RENDERER: {"visible": m.state.show_test_data}}


def placeholder() -> Frame:
    empty = {"x": np.zeros(0), "y": np.zeros(0), "c": np.zeros(0)}
    return {HEAT: Columns("update", {"image": [np.zeros((2, 2), dtype=np.float32)]}),
            TRAIN: Columns("replace", dict(empty)), TEST: Columns("replace", dict(empty))}
