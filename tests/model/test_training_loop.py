"""When the training loop publishes: one view refresh per frame while the page keeps up, none
while it lags (training goes on), and Pause is the last word.

`FakePage` stands in for the worker bridge and the page as asyncio sees them: a refresh is sent
one event-loop turn after it is published (the bridge's `call_soon` flush), and the page's
acknowledgement comes back one turn after that, so it arrives while the next chunk trains,
as it does in the browser.
"""

from __future__ import annotations

import asyncio
import pickle

import pytest

from playground.experiment import Config
from playground.model.training import (
    TrainingLoop,
    divergence_message,
    run_now,
    smaller_learning_rate,
)
from playground.painter.frames import LossCurve


class FakePage:
    """Counts refreshes sent, acknowledges each one a turn later (unless `painting` is off),
    and counts how often the loop asked whether it may refresh and was told no."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.sent = 0
        self.asked = 0
        self.refused = 0
        self.painting = True

    def ready(self) -> bool:
        self.asked += 1
        ok = self.in_flight < 1
        self.refused += not ok
        return ok

    def on_publish(self, *_event) -> None:
        asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self.in_flight += 1
        self.sent += 1
        if self.painting:
            asyncio.get_running_loop().call_soon(self._ack)

    def _ack(self) -> None:
        self.in_flight -= 1


def looped(frame: float = 0.01) -> tuple[TrainingLoop, FakePage]:
    page = FakePage()
    loop = TrainingLoop(config=Config(hidden=(4, 2)), ready=page.ready, frame_seconds=frame)
    loop.param.watch(page.on_publish, "refreshes")
    return loop, page


def test_an_acknowledgement_that_arrives_during_a_chunk_lets_the_next_frame_refresh() -> None:
    async def run() -> tuple[TrainingLoop, FakePage]:
        loop, page = looped()
        loop.play()
        await asyncio.sleep(0.2)
        loop.pause()
        await asyncio.sleep(0)
        return loop, page

    loop, page = asyncio.run(run())
    assert page.asked >= 5
    assert page.refused == 0  # every frame found the previous refresh painted
    assert page.sent >= page.asked  # so every frame sent one (plus the pause's)


def test_a_page_that_stops_painting_gets_no_more_refreshes_and_training_goes_on() -> None:
    async def run() -> tuple[TrainingLoop, FakePage, int, int]:
        loop, page = looped()
        loop.play()
        await asyncio.sleep(0.05)
        page.painting = False
        await asyncio.sleep(0.03)
        sent, epoch = page.sent, loop.trainer.epoch
        await asyncio.sleep(0.1)
        sent_after, epoch_after = page.sent, loop.trainer.epoch
        loop.pause()
        return loop, page, sent_after - sent, epoch_after - epoch

    loop, page, more_sent, more_epochs = asyncio.run(run())
    assert more_sent == 0
    assert more_epochs > 0
    assert page.refused > 0


def test_pause_stops_the_task_within_a_frame_and_publishes_once() -> None:
    async def run() -> tuple[TrainingLoop, FakePage, int, int]:
        loop, page = looped(frame=0.02)
        loop.play()
        await asyncio.sleep(0.1)
        loop.pause()
        epoch, published = loop.trainer.epoch, loop.refreshes
        await asyncio.sleep(0.05)
        return loop, page, epoch, published

    loop, page, epoch, published = asyncio.run(run())
    assert loop._task is None  # the task ended
    assert loop.trainer.epoch == epoch  # not one epoch after the pause
    assert loop.refreshes == published  # the pause's refresh was the last
    assert loop.epoch == epoch  # and it shows where training stopped


def test_training_that_stops_by_itself_still_publishes_where_it_stopped() -> None:
    async def run() -> TrainingLoop:
        loop, _ = looped()
        loop.trainer.train_epoch = lambda: False  # the trainer says stop
        loop.play()
        await asyncio.sleep(0.05)
        return loop

    loop = asyncio.run(run())
    assert not loop.running
    assert loop._task is None
    assert loop.refreshes >= 2  # the first publish at start, and the one when it stopped


@pytest.mark.parametrize(("cost", "chunk"), [(0.0, 0.05), (0.02, 0.03), (0.045, 0.01), (1.0, 0.01)])
def test_a_chunk_is_the_frame_less_the_refresh_cost_but_at_least_a_fifth(
        cost: float, chunk: float) -> None:
    loop = TrainingLoop(config=Config(hidden=(2,)), frame_seconds=0.05)
    loop.refresh_seconds = cost
    assert loop.chunk_seconds() == pytest.approx(chunk)


def test_the_refresh_cost_is_measured_while_training() -> None:
    async def run() -> TrainingLoop:
        loop, _ = looped()
        loop.play()
        await asyncio.sleep(0.1)
        loop.pause()
        return loop

    loop = asyncio.run(run())
    assert 0 < loop.refresh_seconds < 0.5


def test_play_shows_its_first_epoch_at_once_then_trains_in_chunks() -> None:
    async def run() -> tuple[int, int]:
        loop, _ = looped(frame=0.05)
        loop.play()
        while loop.epoch == 0:
            await asyncio.sleep(0)
        first = loop.epoch
        await asyncio.sleep(0.2)
        loop.pause()
        return first, loop.epoch

    first, later = asyncio.run(run())
    assert first == 1  # the first refresh came after one epoch, not a whole chunk
    assert later > 10


def test_pause_sends_the_stop_to_the_page_before_it_draws_the_last_refresh() -> None:
    loop = TrainingLoop(config=Config(hidden=(2,)))
    seen: list[tuple[str, bool]] = []
    loop.send_now = lambda: seen.append(("sent", loop.running))
    loop.param.watch(lambda _: seen.append(("refresh", loop.running)), "refreshes")
    loop.running = True  # as Play leaves it (without starting the task)
    loop.pause()
    assert seen == [("sent", False), ("refresh", False)]


def test_adopting_a_trainer_from_elsewhere_continues_its_run() -> None:
    """The quick start hands its trainer over: the epoch, the curve and the next epochs are
    those of one uninterrupted run."""
    config = Config(hidden=(3,))
    quick, full, alone = (TrainingLoop(config=config) for _ in range(3))
    for _ in range(12):
        quick.trainer.train_epoch()
        alone.trainer.train_epoch()
    curve = LossCurve()
    assert curve.update(full)[0] == "replace"  # the loss chart, drawn before the handover
    full.adopt(pickle.loads(pickle.dumps(quick.trainer)))
    assert full.epoch == 12
    assert full.resets == 1  # the views redraw everything, the whole curve included
    change, columns = curve.update(full)
    assert change == "replace"
    assert list(columns["train"]) == alone.trainer.history.train_loss
    full.step()
    alone.trainer.train_epoch()
    assert full.trainer.history.train_loss == alone.trainer.history.train_loss
    assert not full.running


def test_an_adopted_trainer_that_was_running_plays_on() -> None:
    async def run() -> tuple[bool, int]:
        loop = TrainingLoop(config=Config(hidden=(2,)), frame_seconds=0.01)
        trainer = TrainingLoop(config=Config(hidden=(2,))).trainer
        loop.adopt(trainer, running=True)
        running = loop.running
        await asyncio.sleep(0.1)
        loop.pause()
        return running, loop.epoch

    running, epoch = asyncio.run(run())
    assert running
    assert epoch > 0


def test_a_trainer_of_another_experiment_is_refused() -> None:
    loop = TrainingLoop(config=Config(hidden=(2,)))
    other = TrainingLoop(config=Config(hidden=(3,))).trainer
    before = loop.trainer
    with pytest.raises(ValueError, match="another experiment"):
        loop.adopt(other)
    assert loop.trainer is before


def test_a_training_share_leaves_the_rest_of_each_frame_idle(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import playground.model.training as training

    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr(training.asyncio, "sleep", sleep)

    async def run() -> TrainingLoop:
        loop = TrainingLoop(config=Config(hidden=(2,)), frame_seconds=0.02, train_share=0.25)
        loop.play()
        await real_sleep(0.2)
        loop.pause()
        return loop

    loop = asyncio.run(run())
    idle = [s for s in slept if s > 0]
    assert len(idle) >= 3  # frame after frame
    assert idle == pytest.approx([0.015] * len(idle))  # three quarters of a 20 ms frame
    assert loop.chunk_seconds() <= 0.005  # training gets the other quarter


def test_the_views_change_only_through_the_lock_while_training() -> None:
    """Play's refreshes run in a background task: each goes through `lock` (the document lock
    under `panel serve`), never straight from the task; a click's own publish does not."""
    async def run() -> tuple[TrainingLoop, list[bool], int]:
        loop = TrainingLoop(config=Config(hidden=(2,)), frame_seconds=0.01)
        assert loop.lock is run_now  # nothing to lock by default
        held: list[bool] = []
        inside = [False]

        async def lock(change) -> None:
            inside[0] = True
            try:
                change()
            finally:
                inside[0] = False

        loop.lock = lock
        loop.param.watch(lambda _: held.append(inside[0]), "refreshes")
        loop.play()
        await asyncio.sleep(0.1)
        published = len(held)
        loop.pause()
        return loop, held, published

    loop, held, published = asyncio.run(run())
    assert published >= 3
    assert all(held[:published])  # every refresh of the task, under the lock
    assert held[-1] is False  # Pause's own, at once
    assert loop.epoch > 0


def test_run_now_makes_the_change_at_once() -> None:
    changed: list[int] = []
    asyncio.run(run_now(lambda: changed.append(1)))
    assert changed == [1]


# after a divergence ---------------------------------------------------------------------------
@pytest.mark.parametrize(("lr", "suggested"), [(10, 0.03), (3, 0.03), (0.3, 0.03), (0.1, 0.01),
                                               (0.03, 0.003), (0.001, 0.0001), (1e-4, 1e-5),
                                               (1e-5, None), (5e-5, None)])
def test_the_suggested_learning_rate_is_a_menu_value_ten_times_smaller(
        lr: float, suggested: float | None) -> None:
    assert smaller_learning_rate(lr) == suggested


def test_the_message_without_an_epoch_or_cause() -> None:
    assert divergence_message(None, "", 3.0) == (
        "Training diverged. The learning rate (3) is too large for this network.")
