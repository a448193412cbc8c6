"""The loss chart on the page: loss curves, accuracy curves on a second axis for classification,
its source streamed and started over as the painter says. (The points themselves:
tests/painter/test_loss_curve.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from playground.app import Playground
from playground.painter import frames
from playground.state import State
from playground.views.charts import LossChart
from playground.views.host import Registry


def column(app: Playground, name: str) -> np.ndarray:
    return np.asarray(app.loss_chart.source.data[name], dtype=float)


def assert_matches_history(app: Playground) -> None:
    history = app.loop.trainer.history
    for name, values in (("epoch", history.epochs), ("train", history.train_loss),
                         ("test", history.test_loss), ("train_accuracy", history.train_accuracy),
                         ("test_accuracy", history.test_accuracy)):
        assert list(column(app, name)) == values, name


def test_accuracy_is_drawn_on_its_own_axis_from_0_to_1() -> None:
    registry = Registry()
    chart = LossChart(registry)
    fig = chart.figure
    accuracy = fig.extra_y_ranges["accuracy"]
    assert (accuracy.start, accuracy.end) == (0, 1)
    axis = registry.targets["loss.accuracy_axis"]
    assert axis.y_range_name == "accuracy"
    assert axis in fig.right
    for target, field in (("loss.train_accuracy", "train_accuracy"),
                          ("loss.test_accuracy", "test_accuracy")):
        renderer = registry.targets[target]
        assert renderer.y_range_name == "accuracy"
        assert renderer.glyph.y == field
        assert renderer.glyph.line_width < 2
    (legend,) = fig.legend
    assert [item.label.value for item in legend.items] == [
        "Train", "Test", "Train accuracy", "Test accuracy"]
    assert registry.targets["loss.train_accuracy_item"] is legend.items[2]


def test_steps_add_loss_and_accuracy_points() -> None:
    app = Playground()
    assert list(column(app, "epoch")) == [0.0]
    for _ in range(4):
        app.controls.step.clicks += 1
    assert len(column(app, "epoch")) == 5
    assert_matches_history(app)
    assert column(app, "train_accuracy")[-1] == app.loop.train_accuracy
    assert app.loss_chart.y_range.end == pytest.approx(app.screen.curve.y_end)
    assert app.loss_chart.x_range.end == 10


def test_accuracy_shows_only_for_classification() -> None:
    app = Playground()
    targets = app.registry.targets
    accuracy = ("loss.accuracy_axis", "loss.train_accuracy", "loss.test_accuracy",
                "loss.train_accuracy_item", "loss.test_accuracy_item")
    assert all(targets[t].visible for t in accuracy)
    hover = targets["loss.hover"]
    assert ("test accuracy", "@test_accuracy{0.0%}") in hover.tooltips
    app.settings.controls["problem"].value = "regression"
    assert not any(targets[t].visible for t in accuracy)
    assert all("accuracy" not in name for name, _ in hover.tooltips)
    assert ("train", "@train{0.000}") in hover.tooltips
    app.loop.step()
    assert np.all(np.isnan(column(app, "test_accuracy")))
    assert list(column(app, "test")) == app.loop.trainer.history.test_loss


def test_reset_starts_the_curves_over() -> None:
    app = Playground()
    for _ in range(12):
        app.loop.step()
    assert app.loss_chart.x_range.end > 10
    app.controls.reset.clicks += 1
    assert list(column(app, "epoch")) == [0.0]
    assert app.loss_chart.x_range.end == 10
    app.loop.step()
    assert list(column(app, "epoch")) == [0.0, 1.0]
    assert_matches_history(app)


def test_a_long_run_keeps_the_source_bounded() -> None:
    app = Playground(State(batch_size=30))
    for _ in range(3):
        app.loop.trainer.train(frames.MAX_POINTS // 2 + 50)
        app.loop.publish()
    epochs = column(app, "epoch")
    assert len(epochs) <= frames.MAX_POINTS
    assert epochs[0] == 0
    assert epochs[-1] == app.loop.epoch == 3 * (frames.MAX_POINTS // 2 + 50)
    assert all(len(column(app, k)) == len(epochs) for k in frames.LOSS_COLUMNS)
    assert app.loss_chart.x_range.end >= epochs[-1]
