"""The training loop as the page sees it: Play, Pause, Step, Reset, and what to show.

The engine's `Trainer` does the learning; this model only decides *when* it runs. Training runs
as an asyncio task in short chunks (about 50 ms), then publishes one view refresh and yields to
the event loop, so a Pause click is handled within one chunk. A refresh is skipped while the page
has not painted the previous one (`ready`), and training goes on: a slow tablet sees fewer
frames, never a growing backlog.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import numpy as np
import param

from playground.experiment import Config, build_trainer
from playground.ui.sync import locked


class TrainingLoop(param.Parameterized):
    """Owns a Trainer and runs it; its parameters are what the views display."""

    running = param.Boolean(default=False, doc="True while Play is on.")
    epoch = param.Integer(default=0, bounds=(0, None), doc="Epochs trained so far.")
    train_loss = param.Number(default=None, allow_None=True)
    test_loss = param.Number(default=None, allow_None=True)
    train_accuracy = param.Number(default=None, allow_None=True, doc="None for regression.")
    test_accuracy = param.Number(default=None, allow_None=True)
    message = param.String(default="", doc="Why training stopped, when it stopped by itself.")
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
        self._published = 0
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
        self._published = 0
        self._restart = True  # the views drop the old run's curve
        self.message = ""
        self.resets += 1
        self.publish()

    def load(self, weights: list, biases: list, epoch: int) -> None:
        """Pause, and set the trainer's weights and epoch (ValueError unless every shape fits);
        the loss curve starts over from there."""
        self.pause()
        self.trainer.load_weights(weights, biases, epoch)
        self._published = 0
        self._restart = True
        self.message = ""
        self.resets += 1
        self.publish()

    # loop -----------------------------------------------------------------------------------
    def _train_epoch(self) -> bool:
        ok = self.trainer.train_epoch()
        if ok is False or self.trainer.diverged:
            self.running = False
            self.message = getattr(self.trainer, "message", "") or (
                "Training diverged: the loss became infinite. Lower the learning rate and press "
                "Reset."
            )
            return False
        return True

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
            self.epoch = int(self.trainer.epoch)
            self.train_loss = _last(history.train_loss)
            self.test_loss = _last(history.test_loss)
            self.train_accuracy = _last_or_none(history.train_accuracy)
            self.test_accuracy = _last_or_none(history.test_accuracy)
            self.refreshes += 1

    def new_losses(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """Loss points not yet drawn: (epochs, train, test, restart). restart: redraw all."""
        history = self.trainer.history
        epochs = np.asarray(history.epochs, dtype=float)
        restart = self._restart or len(epochs) < self._published
        self._restart = False
        start = 0 if restart else self._published
        self._published = len(epochs)
        return (epochs[start:], np.asarray(history.train_loss[start:], dtype=float),
                np.asarray(history.test_loss[start:], dtype=float), restart)


def _last(values) -> float | None:
    return float(values[-1]) if len(values) else None


def _last_or_none(values) -> float | None:
    return float(values[-1]) if len(values) and values[-1] is not None else None
