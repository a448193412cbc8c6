"""The activation explorer's frame: f(x) and f'(x) of the chosen activation, a y range that fits
them, and what the activation does, in words. (The loss chart's: test_loss_curve.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from fake_host import Painted

from playground.engine.activations import ACTIVATIONS
from playground.painter import charts
from playground.painter.labels import ACTIVATION_LABELS


def test_the_explorer_starts_on_tanh() -> None:
    p = Painted.of()
    x = p.column(charts.ACT_SOURCE, "x")
    assert x[0] == pytest.approx(charts.X_LO)
    assert x[-1] == pytest.approx(charts.X_HI)
    assert np.allclose(p.column(charts.ACT_SOURCE, "f"), np.tanh(x))
    assert "Tanh" in p.text(charts.ACT_TEXT)


def test_choosing_relu_redraws_the_curves_and_the_words() -> None:
    p = Painted.of()
    p.m.state.activation = "relu"
    x = p.column(charts.ACT_SOURCE, "x")
    assert np.array_equal(p.column(charts.ACT_SOURCE, "f"), np.maximum(x, 0.0))
    assert np.array_equal(p.column(charts.ACT_SOURCE, "df"), (x > 0).astype(float))
    assert "zeroes negative ones" in p.text(charts.ACT_TEXT)
    assert "Circle" in p.text(charts.ACT_TEXT)  # why a non-linear activation matters


def test_the_y_range_follows_the_curves_with_padding() -> None:
    p = Painted.of(activation="relu")
    y = p.host.props[charts.ACT_Y]
    assert y["start"] < 0.0
    assert y["end"] > 4.0
    p.m.state.activation = "sigmoid"
    y = p.host.props[charts.ACT_Y]
    assert y["end"] < 2.0
    assert y["start"] < 0.0


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_has_a_name_and_an_explanation(name: str) -> None:
    assert name in ACTIVATION_LABELS
    assert name in charts.DESCRIPTIONS
    frame = charts.activation(Painted.of(activation=name).m)
    assert ACTIVATION_LABELS[name] in frame[charts.ACT_TEXT]["object"]
    assert frame[charts.ACT_SOURCE].mode == "update"  # the view's source, its 161 points
    assert len(frame[charts.ACT_SOURCE].data["x"]) == 161
