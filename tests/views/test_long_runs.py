"""A session that trains all day: the loss history and the loss chart stay bounded, and the
chart keeps the curve's ends and shape (every point it shows is a real record)."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.trainer import History
from playground.experiment import Config
from playground.model.training import TrainingLoop
from playground.painter import frames
from playground.views.loss_chart import LossChart

EPOCHS = 200_000


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


def check_chart(chart: LossChart, last: int) -> np.ndarray:
    data = chart.source.data
    epochs = np.asarray(data["epoch"], dtype=float)
    assert len(epochs) <= frames.MAX_POINTS
    assert all(len(data[k]) == len(epochs) for k in frames.LOSS_COLUMNS)
    assert epochs[0] == 0
    assert epochs[-1] == last
    assert np.all(np.diff(epochs) > 0)
    expected = [loss_at(int(e)) for e in epochs[1:]]  # epoch 0: the untrained network's
    np.testing.assert_array_equal(np.asarray(data["train"], dtype=float)[1:], expected)
    np.testing.assert_array_equal(np.asarray(data["test"], dtype=float)[1:],
                                  2 * np.array(expected))
    return epochs


def test_200k_epochs_keep_the_history_and_the_chart_bounded() -> None:
    loop = TrainingLoop(config=Config(hidden=(1,)))
    chart = LossChart(loop=loop)
    history = loop.trainer.history
    done, largest_source, largest_history = 0, 0, 0
    for refresh_every in (37, 500, 4321):  # refreshes of every size
        target = done + EPOCHS // 3
        while done < target:
            nxt = min(done + refresh_every, target)
            fake_epochs(loop, done + 1, nxt)
            done = nxt
            loop.publish()
            largest_source = max(largest_source, len(chart.source.data["epoch"]))
            largest_history = max(largest_history, len(history))
    assert done >= EPOCHS - 2
    assert largest_history <= history.max_points
    assert largest_source <= frames.MAX_POINTS
    epochs = check_chart(chart, done)
    # the recent end is dense, and the whole run is still there, coarser further back
    assert len(epochs) > frames.MAX_POINTS // 3
    assert (epochs > done - 10_000).sum() > 50
    assert chart.x_range.end >= done


def test_history_thinning_between_refreshes_neither_skips_nor_repeats_points() -> None:
    loop = TrainingLoop(config=Config(hidden=(1,)))
    small_history(loop, 100)
    chart = LossChart(loop=loop)
    fake_epochs(loop, 1, 99)
    loop.publish()
    assert len(chart.source.data["epoch"]) == 100
    fake_epochs(loop, 100, 180)  # thinned on the way: fewer records than were drawn
    history = loop.trainer.history
    assert len(history) < 100
    new = [e for e in history.epochs if e >= 100]
    epochs, train, _test, restart = loop.new_losses()
    assert not restart
    assert list(epochs) == new  # the records after the last one drawn, all of them
    assert new[-10:] == list(range(171, 181))
    assert list(train) == [loss_at(e) for e in new]
    fake_epochs(loop, 181, 190)
    loop.publish()
    drawn = check_chart(chart, 190)
    assert list(drawn[-10:]) == list(range(181, 191))
    assert list(drawn[:100]) == list(range(100))  # what was drawn stays


def test_a_thinned_history_does_not_reset_the_chart_view() -> None:
    loop = TrainingLoop(config=Config(hidden=(1,)))
    small_history(loop, 50)
    chart = LossChart(loop=loop)
    for last in range(40, 400, 40):
        fake_epochs(loop, last - 39, last)
        loop.publish()
        assert chart.x_range.end >= last  # never zoomed back to 0..10


def test_an_opened_model_far_along_shows_its_point() -> None:
    loop = TrainingLoop(config=Config(hidden=(2,)))
    chart = LossChart(loop=loop)
    weights, biases = loop.trainer.network.get_weights()
    loop.load(weights, biases, 5000)
    assert list(chart.source.data["epoch"]) == [5000.0]
    assert chart.x_range.end >= 5000


def test_a_non_finite_loss_is_not_drawn() -> None:
    loop = TrainingLoop(config=Config(hidden=(2,)))
    chart = LossChart(loop=loop)
    loop.step()
    history = loop.trainer.history
    history.append(2, float("inf"), 0.5, 0.5, 0.5)  # e.g. reevaluate() after a typed weight
    history.append(3, 0.4, float("nan"), 0.5, 0.5)
    history.append(4, 0.3, 0.3, 0.5, 0.5)
    loop.publish()
    assert list(chart.source.data["epoch"]) == [0.0, 1.0, 4.0]
    assert np.isfinite(np.asarray(chart.source.data["train"], dtype=float)).all()
    assert np.isfinite(chart.y_range.end)


@pytest.mark.parametrize("max_points", [4, 10, 1000])
def test_history_holds_at_most_max_points(max_points: int) -> None:
    history = History(max_points=max_points)
    for epoch in range(EPOCHS // 10):
        history.append(epoch, 1.0, 1.0, None, None)
        assert len(history) <= max_points
    assert history.epochs[0] == 0
    assert history.epochs[-1] == EPOCHS // 10 - 1
