"""The loss chart's points (frames.LossCurve) and its frame (charts.loss): every epoch's loss and
accuracy as the history has them, started over by a Reset or a new experiment, bounded however
long the run (thinned, never unbounded; every point shown a real record), and never a
non-finite loss."""

from __future__ import annotations

import numpy as np
import pytest
from fake_host import Painted

from playground.engine.trainer import History
from playground.experiment import Config
from playground.model.training import TrainingLoop
from playground.painter import charts, frames

REGRESSION = Config(dataset="plane", problem="regression")
EPOCHS = 200_000


class Chart:
    """A LossCurve drawn onto columns, as a data source takes its replace and stream."""

    def __init__(self, loop: TrainingLoop) -> None:
        self.loop = loop
        self.curve = frames.LossCurve()
        self.data = frames.empty_losses()
        self.changes: list[str] = []
        loop.param.watch(lambda _: self.draw(), "refreshes")
        self.draw()

    def draw(self) -> None:
        change, columns = self.curve.update(self.loop)
        self.changes.append(change)
        if change == "replace":
            self.data = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
        elif change == "stream":
            assert set(columns) == set(self.data)
            self.data = {k: np.concatenate([self.data[k], np.asarray(columns[k], dtype=float)])
                         for k in self.data}

    def column(self, name: str) -> np.ndarray:
        return self.data[name]


def chart(config: Config | None = None) -> tuple[TrainingLoop, Chart]:
    loop = TrainingLoop(config=config)
    return loop, Chart(loop)


def assert_matches_history(loop: TrainingLoop, c: Chart) -> None:
    history = loop.trainer.history
    assert list(c.column("epoch")) == history.epochs
    assert list(c.column("train")) == history.train_loss
    assert list(c.column("test")) == history.test_loss
    assert list(c.column("train_accuracy")) == history.train_accuracy
    assert list(c.column("test_accuracy")) == history.test_accuracy


def test_the_untrained_network_is_the_first_point() -> None:
    loop, c = chart()
    assert list(c.column("epoch")) == [0.0]
    assert c.changes == ["replace"]
    assert_matches_history(loop, c)


def test_steps_add_loss_and_accuracy_points_as_a_stream() -> None:
    loop, c = chart()
    for _ in range(4):
        loop.step()
    assert len(c.column("epoch")) == 5
    assert c.changes == ["replace"] + ["stream"] * 4
    assert_matches_history(loop, c)
    accuracy = c.column("test_accuracy")
    assert np.all((accuracy >= 0) & (accuracy <= 1))
    assert c.column("train_accuracy")[-1] == loop.train_accuracy


def test_a_publish_without_training_adds_nothing() -> None:
    loop, c = chart()
    loop.step()
    loop.publish()
    loop.publish()
    assert len(c.column("epoch")) == 2
    assert c.changes[-2:] == ["none", "none"]


def test_regression_has_no_accuracy() -> None:
    loop, c = chart(REGRESSION)
    loop.step()
    loop.step()
    assert len(c.column("epoch")) == 3
    assert np.all(np.isnan(c.column("train_accuracy")))
    assert np.all(np.isnan(c.column("test_accuracy")))
    assert list(c.column("train")) == loop.trainer.history.train_loss


def test_the_axes_fit_the_losses_and_the_epochs() -> None:
    loop, c = chart()
    assert (c.curve.x_end, c.curve.y_end) == (10.0, pytest.approx(
        max(loop.train_loss, loop.test_loss) * 1.05))
    for _ in range(12):
        loop.step()
    history = loop.trainer.history
    top = max(max(history.train_loss), max(history.test_loss))
    assert c.curve.y_end == pytest.approx(top * 1.05)
    # the x axis grows by a quarter when the curve passes its end (epoch 11 > 10), then waits
    assert c.curve.x_end == pytest.approx(11 * 1.25)


# starting over ------------------------------------------------------------------------------
def test_reset_starts_the_curves_over() -> None:
    loop, c = chart()
    for _ in range(12):
        loop.step()
    loop.reset()
    assert c.changes[-1] == "replace"
    assert list(c.column("epoch")) == [0.0]
    assert c.curve.x_end == 10
    assert_matches_history(loop, c)
    loop.step()
    assert list(c.column("epoch")) == [0.0, 1.0]
    assert_matches_history(loop, c)


def test_a_new_regression_experiment_replaces_the_accuracy_with_nan() -> None:
    loop, c = chart()
    loop.step()
    loop.reset(REGRESSION)
    loop.step()
    assert list(c.column("epoch")) == [0.0, 1.0]
    assert np.all(np.isnan(c.column("test_accuracy")))
    assert list(c.column("test")) == loop.trainer.history.test_loss


def test_a_reset_is_seen_even_when_no_refresh_was_drawn_in_between() -> None:
    """The curve compares the loop's Reset count, not a flag: a Reset whose own refresh was
    not drawn (a page that lagged) still starts the curve over."""
    loop = TrainingLoop()
    curve = frames.LossCurve()
    loop.step()
    curve.update(loop)
    loop.reset()
    loop.step()
    change, columns = curve.update(loop)
    assert change == "replace"
    assert list(columns["epoch"]) == [0.0, 1.0]


def test_an_opened_model_far_along_shows_its_point() -> None:
    loop, c = chart(Config(hidden=(2,)))
    weights, biases = loop.trainer.network.get_weights()
    loop.load(weights, biases, 5000)
    assert list(c.column("epoch")) == [5000.0]
    assert c.curve.x_end >= 5000


def test_a_non_finite_loss_is_not_drawn() -> None:
    loop, c = chart(Config(hidden=(2,)))
    loop.step()
    history = loop.trainer.history
    history.append(2, float("inf"), 0.5, 0.5, 0.5)  # e.g. reevaluate() after a typed weight
    history.append(3, 0.4, float("nan"), 0.5, 0.5)
    history.append(4, 0.3, 0.3, 0.5, 0.5)
    loop.publish()
    assert list(c.column("epoch")) == [0.0, 1.0, 4.0]
    assert np.isfinite(c.column("train")).all()
    assert np.isfinite(c.curve.y_end)


# the chart's frame --------------------------------------------------------------------------
def test_accuracy_shows_only_for_classification() -> None:
    p = Painted.of()
    for target in charts.ACCURACY:
        assert p.visible(target)
    assert ("test accuracy", "@test_accuracy{0.0%}") in p.prop(charts.LOSS_HOVER, "tooltips")
    p.m.state.problem = "regression"
    for target in charts.ACCURACY:
        assert not p.visible(target)
    tooltips = p.prop(charts.LOSS_HOVER, "tooltips")
    assert all("accuracy" not in name for name, _ in tooltips)
    assert ("train", "@train{0.000}") in tooltips


def test_the_frame_streams_the_new_points_and_sets_the_axes() -> None:
    p = Painted.of()
    for _ in range(3):
        p.loop.step()
    assert list(p.column(charts.LOSS, "epoch")) == [0.0, 1.0, 2.0, 3.0]
    assert list(p.column(charts.LOSS, "train")) == p.loop.trainer.history.train_loss
    assert p.prop(charts.LOSS_X, "end") == p.screen.curve.x_end == 10.0
    assert p.prop(charts.LOSS_Y, "end") == pytest.approx(p.screen.curve.y_end)
    p.m.session.add_layer()  # a new experiment: the curve starts over
    assert list(p.column(charts.LOSS, "epoch")) == [0.0]


# thinning -----------------------------------------------------------------------------------
def test_streaming_past_max_points_thins_every_column_together(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frames, "MAX_POINTS", 20)
    loop, c = chart()
    history = loop.trainer.history
    for _ in range(45):
        loop.step()
        assert len(c.column("epoch")) <= 20
    epochs = c.column("epoch").astype(int)
    assert epochs[0] == 0
    assert epochs[-1] == 45
    assert np.all(np.diff(epochs) > 0)
    for name, values in (("train", history.train_loss), ("test", history.test_loss),
                         ("train_accuracy", history.train_accuracy),
                         ("test_accuracy", history.test_accuracy)):
        assert list(c.column(name)) == [values[e] for e in epochs]


def test_a_long_run_keeps_at_most_max_points() -> None:
    loop, c = chart(Config(batch_size=30))
    loop.trainer.train(frames.MAX_POINTS + 100)
    loop.publish()
    epochs = c.column("epoch")
    assert len(epochs) <= frames.MAX_POINTS
    assert epochs[-1] == frames.MAX_POINTS + 100
    assert len(c.column("test_accuracy")) == len(epochs)
    assert c.column("test_accuracy")[-1] == loop.test_accuracy


# a session that trains all day ----------------------------------------------------------------
def loss_at(epoch: int) -> float:
    return 1.0 / (1.0 + epoch / 1000.0)


def small_history(loop: TrainingLoop, max_points: int) -> None:
    loop.trainer.history = History(max_points=max_points)
    fake_epochs(loop, 0, 0)


def fake_epochs(loop: TrainingLoop, first: int, last: int) -> None:
    """Records for epochs first..last as if trained (so a test needs no hours of training)."""
    history = loop.trainer.history
    for epoch in range(first, last + 1):
        history.append(epoch, loss_at(epoch), 2 * loss_at(epoch), 0.5, 0.25)
    loop.trainer.epoch = last


def check_chart(c: Chart, last: int) -> np.ndarray:
    epochs = c.column("epoch")
    assert len(epochs) <= frames.MAX_POINTS
    assert all(len(c.column(k)) == len(epochs) for k in frames.LOSS_COLUMNS)
    assert epochs[0] == 0
    assert epochs[-1] == last
    assert np.all(np.diff(epochs) > 0)
    expected = [loss_at(int(e)) for e in epochs[1:]]  # epoch 0: the untrained network's
    np.testing.assert_array_equal(c.column("train")[1:], expected)
    np.testing.assert_array_equal(c.column("test")[1:], 2 * np.array(expected))
    return epochs


def test_200k_epochs_keep_the_history_and_the_chart_bounded() -> None:
    loop, c = chart(Config(hidden=(1,)))
    history = loop.trainer.history
    done, largest_source, largest_history = 0, 0, 0
    for refresh_every in (37, 500, 4321):  # refreshes of every size
        target = done + EPOCHS // 3
        while done < target:
            nxt = min(done + refresh_every, target)
            fake_epochs(loop, done + 1, nxt)
            done = nxt
            loop.publish()
            largest_source = max(largest_source, len(c.column("epoch")))
            largest_history = max(largest_history, len(history))
    assert done >= EPOCHS - 2
    assert largest_history <= history.max_points
    assert largest_source <= frames.MAX_POINTS
    epochs = check_chart(c, done)
    # the recent end is dense, and the whole run is still there, coarser further back
    assert len(epochs) > frames.MAX_POINTS // 3
    assert (epochs > done - 10_000).sum() > 50
    assert c.curve.x_end >= done


def test_history_thinning_between_refreshes_neither_skips_nor_repeats_points() -> None:
    loop = TrainingLoop(config=Config(hidden=(1,)))
    small_history(loop, 100)
    c = Chart(loop)
    fake_epochs(loop, 1, 99)
    loop.publish()
    assert len(c.column("epoch")) == 100
    fake_epochs(loop, 100, 180)  # thinned on the way: fewer records than were drawn
    history = loop.trainer.history
    assert len(history) < 100
    new = [e for e in history.epochs if e >= 100]
    change, columns = c.curve.update(loop)  # what the next refresh draws
    assert change == "stream"
    assert list(columns["epoch"]) == new  # the records after the last one drawn, all of them
    assert new[-10:] == list(range(171, 181))
    assert list(columns["train"]) == [loss_at(e) for e in new]
    c.data = {k: np.concatenate([c.data[k], columns[k]]) for k in c.data}
    fake_epochs(loop, 181, 190)
    loop.publish()
    drawn = check_chart(c, 190)
    assert list(drawn[-10:]) == list(range(181, 191))
    assert list(drawn[:100]) == list(range(100))  # what was drawn stays


def test_a_thinned_history_does_not_reset_the_chart_view() -> None:
    loop = TrainingLoop(config=Config(hidden=(1,)))
    small_history(loop, 50)
    c = Chart(loop)
    for last in range(40, 400, 40):
        fake_epochs(loop, last - 39, last)
        loop.publish()
        assert c.curve.x_end >= last  # never zoomed back to 0..10
        assert c.changes[-1] == "stream"


@pytest.mark.parametrize("max_points", [4, 10, 1000])
def test_history_holds_at_most_max_points(max_points: int) -> None:
    history = History(max_points=max_points)
    for epoch in range(EPOCHS // 10):
        history.append(epoch, 1.0, 1.0, None, None)
        assert len(history) <= max_points
    assert history.epochs[0] == 0
    assert history.epochs[-1] == EPOCHS // 10 - 1
