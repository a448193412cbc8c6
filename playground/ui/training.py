"""The training loop as the page sees it: Play, Pause, Step, Reset, and what to show.

The engine's `Trainer` does the learning; this model only decides *when* it runs. Training runs
as an asyncio task in short chunks (about 50 ms), then publishes one view refresh and yields to
the event loop, so a Pause click is handled within one chunk. A refresh is skipped while the page
has not painted the previous one (`ready`), and training goes on: a slow tablet sees fewer
frames, never a growing backlog.

Divergence: when the trainer's loss or weights blow up (the engine keeps the last finite
weights), training pauses, `diverged` turns on with a `message` naming the epoch, the cause and
the learning rate, and `suggested_learning_rate` offers a smaller one from the page's menu.
Play does nothing until Reset (or a new experiment, or an opened model) clears it.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Callable

import numpy as np
import param

from playground.experiment import Config, build_trainer
from playground.state import LEARNING_RATES
from playground.ui.sync import locked

DEFAULT_LEARNING_RATE = 0.03  # TensorFlow Playground's; the most a divergence suggests


class TrainingLoop(param.Parameterized):
    """Owns a Trainer and runs it; its parameters are what the views display."""

    running = param.Boolean(default=False, doc="True while Play is on.")
    epoch = param.Integer(default=0, bounds=(0, None), doc="Epochs trained so far.")
    train_loss = param.Number(default=None, allow_None=True)
    test_loss = param.Number(default=None, allow_None=True)
    train_accuracy = param.Number(default=None, allow_None=True, doc="None for regression.")
    test_accuracy = param.Number(default=None, allow_None=True)
    message = param.String(default="", doc="Why training stopped, when it stopped by itself.")
    diverged = param.Boolean(default=False, doc="The loss or weights blew up: Reset to go on.")
    suggested_learning_rate = param.Number(default=None, allow_None=True, doc=(
        "After a divergence, a smaller learning rate to reset with (None: none smaller)."))
    refreshes = param.Integer(default=0, doc="View refreshes published (for benchmarks).")
    resets = param.Integer(default=0, doc="Counts Reset presses and new experiments.")
    chunk_seconds = param.Number(default=0.05, bounds=(0.001, 1.0))

    def __init__(self, config: Config | None = None, ready: Callable[[], bool] | None = None,
                 **params) -> None:
        super().__init__(**params)
        self.config = config or Config()
        self.ready = ready or (lambda: True)
        self.trainer = build_trainer(self.config)
        self._task: asyncio.Future | None = None
        self._drawn_epoch = -1  # the last epoch new_losses handed out
        self._restart = False
        self.publish()

    # commands -------------------------------------------------------------------------------
    def play(self) -> None:
        if self.running or self.trainer.diverged:
            return
        self.running = True
        self.message = ""
        self._task = asyncio.ensure_future(self._run())

    def pause(self) -> None:
        if self.running:
            self.running = False
            self.publish()

    def toggle(self) -> None:
        self.pause() if self.running else self.play()

    def step(self) -> None:
        """Train exactly one epoch (pausing first), then show it."""
        self.pause()
        self._train_epoch()
        self.publish()

    def reset(self, config: Config | None = None) -> None:
        """New weights (same seed: same start), epoch 0."""
        self.pause()
        if config is not None:
            self.config = config
        self.trainer = build_trainer(self.config)
        self._start_over()

    def load(self, weights: list, biases: list, epoch: int) -> None:
        """Pause, and set the trainer's weights and epoch (ValueError unless every shape fits);
        the loss curve starts over from there."""
        self.pause()
        self.trainer.load_weights(weights, biases, epoch)
        self._start_over()

    def _start_over(self) -> None:
        self._drawn_epoch = -1
        self._restart = True  # the views drop the old run's curve
        with param.parameterized.batch_call_watchers(self):
            self.message = ""
            self.diverged = False
            self.suggested_learning_rate = None
            self.resets += 1
        self.publish()

    # loop -----------------------------------------------------------------------------------
    def _train_epoch(self) -> bool:
        ok = self.trainer.train_epoch()
        if ok is False or self.trainer.diverged:
            self.running = False
            return False
        return True

    def _check_divergence(self) -> None:
        """Pause and explain, the first time the trainer is seen diverged (by Play, Step or the
        step-through, which all publish)."""
        trainer = self.trainer
        if not trainer.diverged or self.diverged:
            return
        self.running = False
        lr = trainer.learning_rate
        self.suggested_learning_rate = smaller_learning_rate(lr)
        self.message = divergence_message(trainer.diverged_epoch, trainer.divergence, lr)
        self.diverged = True

    async def _run(self) -> None:
        try:
            while self.running:
                deadline = time.perf_counter() + self.chunk_seconds
                while self.running and time.perf_counter() < deadline:
                    if not self._train_epoch():
                        break
                if self.ready() or not self.running:
                    await locked(self.publish)
                await asyncio.sleep(0)
        finally:
            self._task = None

    # what the views read --------------------------------------------------------------------
    def publish(self) -> None:
        """Copy the trainer's state into this model's parameters (one view refresh)."""
        history = self.trainer.history
        with param.parameterized.batch_call_watchers(self):
            self._check_divergence()
            self.epoch = int(self.trainer.epoch)
            self.train_loss = _last(history.train_loss)
            self.test_loss = _last(history.test_loss)
            self.train_accuracy = _last_or_none(history.train_accuracy)
            self.test_accuracy = _last_or_none(history.test_accuracy)
            self.refreshes += 1

    def new_losses(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """Loss points not yet drawn: (epochs, train, test, restart). restart: redraw all.

        Points are handed out by epoch (those after the last one handed out), so the history
        thinning its older half in the meantime changes nothing here."""
        history = self.trainer.history
        restart = self._restart
        self._restart = False
        start = 0 if restart else bisect.bisect_right(history.epochs, self._drawn_epoch)
        epochs = np.asarray(history.epochs[start:], dtype=float)
        if len(epochs):
            self._drawn_epoch = history.epochs[-1]
        return (epochs, np.asarray(history.train_loss[start:], dtype=float),
                np.asarray(history.test_loss[start:], dtype=float), restart)


def _last(values) -> float | None:
    return float(values[-1]) if len(values) else None


def _last_or_none(values) -> float | None:
    return float(values[-1]) if len(values) and values[-1] is not None else None


def smaller_learning_rate(lr: float) -> float | None:
    """The learning rate to suggest after a divergence at `lr`: the largest of the page's menu
    that is at most a tenth of it and at most the default 0.03; None if there is none."""
    limit = min(lr / 10, DEFAULT_LEARNING_RATE) * (1 + 1e-9)
    smaller = [rate for rate in LEARNING_RATES if rate <= limit]
    return max(smaller) if smaller else None


def divergence_message(epoch: int | None, cause: str, lr: float) -> str:
    """E.g. "Training diverged at epoch 3: the loss became infinite. The learning rate (10) is
    too large for this network." """
    where = f" at epoch {epoch}" if epoch is not None else ""
    cause = f": {cause}" if cause else ""
    return (f"Training diverged{where}{cause}. The learning rate ({lr:g}) is too large for "
            "this network.")
