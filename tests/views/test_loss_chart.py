"""The loss chart: loss curves, and accuracy curves on a second axis for classification."""

from __future__ import annotations

import numpy as np
import pytest

from playground.experiment import Config
from playground.model.training import TrainingLoop
from playground.painter import frames
from playground.views.loss_chart import LossChart

REGRESSION = Config(dataset="plane", problem="regression")


def chart(config: Config | None = None) -> tuple[TrainingLoop, LossChart]:
    loop = TrainingLoop(config=config)
    return loop, LossChart(loop=loop)


def column(c: LossChart, name: str) -> np.ndarray:
    return np.asarray(c.source.data[name], dtype=float)


def assert_matches_history(loop: TrainingLoop, c: LossChart) -> None:
    history = loop.trainer.history
    assert list(column(c, "epoch")) == history.epochs
    assert list(column(c, "train")) == history.train_loss
    assert list(column(c, "test")) == history.test_loss
    assert list(column(c, "train_accuracy")) == history.train_accuracy
    assert list(column(c, "test_accuracy")) == history.test_accuracy


def test_the_untrained_network_is_the_first_point() -> None:
    loop, c = chart()
    assert list(column(c, "epoch")) == [0.0]
    assert_matches_history(loop, c)


def test_steps_add_loss_and_accuracy_points() -> None:
    loop, c = chart()
    for _ in range(4):
        loop.step()
    assert len(column(c, "epoch")) == 5
    assert_matches_history(loop, c)
    accuracy = column(c, "test_accuracy")
    assert np.all((accuracy >= 0) & (accuracy <= 1))
    assert column(c, "train_accuracy")[-1] == loop.train_accuracy


def test_a_publish_without_training_adds_nothing() -> None:
    loop, c = chart()
    loop.step()
    loop.publish()
    loop.publish()
    assert len(column(c, "epoch")) == 2


def test_regression_has_no_accuracy() -> None:
    loop, c = chart(REGRESSION)
    loop.step()
    loop.step()
    assert len(column(c, "epoch")) == 3
    assert np.all(np.isnan(column(c, "train_accuracy")))
    assert np.all(np.isnan(column(c, "test_accuracy")))
    assert list(column(c, "train")) == loop.trainer.history.train_loss


def test_accuracy_is_drawn_on_its_own_axis_from_0_to_1() -> None:
    _, c = chart()
    accuracy = c.figure.extra_y_ranges["accuracy"]
    assert (accuracy.start, accuracy.end) == (0, 1)
    assert c.accuracy_axis.y_range_name == "accuracy"
    assert c.accuracy_axis in c.figure.right
    for renderer, field in zip(c.accuracy_renderers, ("train_accuracy", "test_accuracy"),
                               strict=True):
        assert renderer.y_range_name == "accuracy"
        assert renderer.glyph.y == field
        assert renderer.glyph.line_width < 2
    assert [item.label.value for item in c.legend.items] == [
        "Train", "Test", "Train accuracy", "Test accuracy"]


def test_accuracy_shows_only_for_classification() -> None:
    loop, c = chart()
    shown = [c.accuracy_axis.visible, *(r.visible for r in c.accuracy_renderers),
             *(i.visible for i in c.accuracy_items)]
    assert all(shown)
    assert ("test accuracy", "@test_accuracy{0.0%}") in c.hover.tooltips
    loop.reset(REGRESSION)
    assert not c.accuracy_axis.visible
    assert not any(r.visible for r in c.accuracy_renderers)
    assert not any(i.visible for i in c.accuracy_items)
    assert all("accuracy" not in name for name, _ in c.hover.tooltips)
    assert ("train", "@train{0.000}") in c.hover.tooltips


def test_the_loss_axis_fits_the_losses() -> None:
    loop, c = chart()
    for _ in range(12):
        loop.step()
    top = max(max(loop.trainer.history.train_loss), max(loop.trainer.history.test_loss))
    assert c.y_range.end == pytest.approx(top * 1.05)
    assert c.x_range.end >= 12


# starting over -----------------------------------------------------------------------------------
def test_reset_starts_the_curves_over() -> None:
    loop, c = chart()
    for _ in range(12):
        loop.step()
    loop.reset()
    assert list(column(c, "epoch")) == [0.0]
    assert c.x_range.end == 10
    assert_matches_history(loop, c)
    loop.step()
    assert list(column(c, "epoch")) == [0.0, 1.0]
    assert_matches_history(loop, c)


def test_a_new_regression_experiment_replaces_the_accuracy_with_nan() -> None:
    loop, c = chart()
    loop.step()
    loop.reset(REGRESSION)
    loop.step()
    assert list(column(c, "epoch")) == [0.0, 1.0]
    assert np.all(np.isnan(column(c, "test_accuracy")))
    assert list(column(c, "test")) == loop.trainer.history.test_loss


def test_new_losses_flags_a_reset_as_a_restart() -> None:
    loop = TrainingLoop()
    loop.step()
    loop.new_losses()
    loop.reset()
    *_, restart = loop.new_losses()
    assert restart


# thinning ---------------------------------------------------------------------------------------
def test_streaming_past_max_points_thins_every_column_together(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frames, "MAX_POINTS", 20)
    loop, c = chart()
    history = loop.trainer.history
    for _ in range(45):
        loop.step()
        assert len(column(c, "epoch")) <= 20
    epochs = column(c, "epoch").astype(int)
    assert epochs[0] == 0
    assert epochs[-1] == 45
    assert np.all(np.diff(epochs) > 0)
    for name, values in (("train", history.train_loss), ("test", history.test_loss),
                         ("train_accuracy", history.train_accuracy),
                         ("test_accuracy", history.test_accuracy)):
        assert list(column(c, name)) == [values[e] for e in epochs]


def test_a_long_run_keeps_at_most_max_points() -> None:
    loop, c = chart(Config(batch_size=30))
    loop.trainer.train(frames.MAX_POINTS + 100)
    loop.publish()
    epochs = column(c, "epoch")
    assert len(epochs) <= frames.MAX_POINTS
    assert epochs[-1] == frames.MAX_POINTS + 100
    assert len(column(c, "test_accuracy")) == len(epochs)
    assert column(c, "test_accuracy")[-1] == loop.test_accuracy
