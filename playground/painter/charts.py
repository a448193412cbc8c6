"""The two charts: the loss per epoch (train and test, with accuracy for classification), and
the activation explorer (f(x) and its derivative for the chosen activation, explained)."""

from __future__ import annotations

import html

import numpy as np

from playground.model.playground import PlaygroundModel
from playground.painter.activation_data import curves
from playground.painter.frame import Columns, Frame
from playground.painter.frames import LossCurve, empty_losses
from playground.painter.labels import ACTIVATION_DOCS, ACTIVATION_LABELS

LOSS, LOSS_X, LOSS_Y, LOSS_HOVER = "loss.source", "loss.x_range", "loss.y_range", "loss.hover"
# what shows only where there is accuracy (classification)
ACCURACY = ("loss.accuracy_axis", "loss.train_accuracy", "loss.test_accuracy",
            "loss.train_accuracy_item", "loss.test_accuracy_item")
LOSS_TOOLTIPS = [("epoch", "@epoch{0}"), ("train", "@train{0.000}"), ("test", "@test{0.000}")]
ACCURACY_TOOLTIPS = [("train accuracy", "@train_accuracy{0.0%}"),
                     ("test accuracy", "@test_accuracy{0.0%}")]


def loss(m: PlaygroundModel, curve: LossCurve) -> Frame:
    """The loss chart's new points (`curve` holds what is drawn already) and its axes."""
    frame: Frame = {}
    change, data = curve.update(m.loop)
    if change != "none":
        frame[LOSS] = Columns("replace" if change == "replace" else "stream", data)
    frame[LOSS_X] = {"end": curve.x_end}
    frame[LOSS_Y] = {"end": curve.y_end}
    classification = m.loop.trainer.problem == "classification"
    for target in ACCURACY:
        frame[target] = {"visible": classification}
    frame[LOSS_HOVER] = {"tooltips": LOSS_TOOLTIPS + (ACCURACY_TOOLTIPS if classification
                                                      else [])}
    return frame


def activation_placeholder() -> Frame:
    n = 161
    return {ACT_SOURCE: Columns("update", {"x": np.linspace(X_LO, X_HI, n), "f": np.zeros(n),
                                           "df": np.zeros(n)}),
            ACT_TEXT: {"object": ""}}


def loss_placeholder() -> Frame:
    return {LOSS: Columns("replace", empty_losses()), LOSS_X: {"end": 10.0}, LOSS_Y: {"end": 1.0}}


# the activation explorer --------------------------------------------------------------------
ACT_SOURCE, ACT_Y, ACT_TEXT = "activation.source", "activation.y_range", "activation.text"
X_LO, X_HI = -4.0, 4.0
# What each activation does, after its label: the registry's `doc` (engine.activations).
DESCRIPTIONS = ACTIVATION_DOCS
WHY_NONLINEAR = (
    "Without a non-linear activation, any number of layers collapses into one linear function: "
    "a straight-line boundary. Try Linear on the Circle dataset: the network cannot separate "
    "the inner points from the ring.")


def explanation(name: str) -> str:
    """The HTML shown under the plot for the activation called `name`."""
    return (f"<p><strong>{html.escape(ACTIVATION_LABELS[name])}</strong> "
            f"{html.escape(DESCRIPTIONS[name])}</p><p>{html.escape(WHY_NONLINEAR)}</p>")


def activation(m: PlaygroundModel) -> Frame:
    name = m.state.activation
    data = curves(name, X_LO, X_HI)
    values = np.concatenate([data["f"], data["df"]])
    lo, hi = float(min(values.min(), 0.0)), float(max(values.max(), 0.0))
    pad = 0.08 * max(hi - lo, 1.0)
    return {ACT_SOURCE: Columns("update", data), ACT_Y: {"start": lo - pad, "end": hi + pad},
            ACT_TEXT: {"object": explanation(name)}}
