"""The training loop as the page sees it: Play, Pause, Step, Reset, and what to show.

The engine's `Trainer` does the learning; this model only decides *when* it runs. Training runs
as an asyncio task in frames of `frame_seconds` (45 ms: 20 view refreshes a second). Each frame
trains for what is left of it after the recent cost of a refresh, yields to the event loop (a
Pause click and the page's acknowledgement of the previous refresh get in), then publishes one
view refresh and yields again so the bridge sends it. A refresh is skipped while the page has
not painted the previous one (`ready`), and training goes on: a slow tablet sees fewer frames,
never a growing backlog.

Divergence: when the trainer's loss or weights blow up (the engine keeps the last finite
weights), training pauses, `diverged` turns on with a `message` naming the epoch, the cause and
the learning rate, and `suggested_learning_rate` offers a smaller one from the page's menu.
Play does nothing until Reset (or a new experiment, or an opened model) clears it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import param

from playground.engine.divergence import diverged_message
from playground.engine.trainer import Trainer
from playground.experiment import Config, build_trainer
from playground.state import LEARNING_RATES

DEFAULT_LEARNING_RATE = 0.03  # TensorFlow Playground's; the most a divergence suggests
# The sentence a divergence shows: the trainer's, one function for the engine, the page and the
# command line.
divergence_message = diverged_message


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
    frame_seconds = param.Number(default=0.045, bounds=(0.001, 1.0), doc=(
        "Training plus one view refresh should take this long: 45 ms, 22 a second, so that "
        "the odd frame whose acknowledgement comes late still leaves 20 refreshes a second."))
    train_share = param.Number(default=1.0, bounds=(0.05, 1.0), doc=(
        "The share of each frame spent training; the rest is left idle to whatever else the "
        "machine does (the quick start leaves half to the full app loading beside it)."))

    def __init__(self, config: Config | None = None, ready: Callable[[], bool] | None = None,
                 **params) -> None:
        super().__init__(**params)
        self.config = config or Config()
        self.ready = ready or (lambda: True)
        # Sends the changes made so far to the page at once, ahead of the rest of this event
        # loop turn's (the worker bridge sets its flush here; elsewhere there is nothing to do).
        self.send_now: Callable[[], None] = lambda: None
        # Runs a change of the views from a background task (Play, the step-through's frames):
        # at once here; under `panel serve` its host runs it under the document lock.
        self.lock: Callable[[Callable[[], None]], Awaitable[None]] = run_now
        self.trainer = build_trainer(self.config)
        self._task: asyncio.Future | None = None
        self.refresh_seconds = 0.0  # recent cost of a frame's refresh and yields (smoothed)
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
            self.send_now()  # "Play" goes to the page before this refresh's heatmaps
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

    def adopt(self, trainer: Trainer, running: bool = False) -> None:
        """Take over a trainer that trained elsewhere for this loop's config (the quick start's,
        in the page), as if this loop had trained it: its weights, epoch, loss history and
        random state. Training goes on if `running`. ValueError if it is another experiment."""
        if trainer.context.config != self.config:
            raise ValueError("that trainer belongs to another experiment")
        self.pause()
        self.trainer = trainer
        self._start_over()
        if running:
            self.play()

    def _start_over(self) -> None:
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
        if trainer.diverged_epoch is None:  # the weights it was given cannot be trained
            self.suggested_learning_rate = None
        else:
            self.suggested_learning_rate = smaller_learning_rate(trainer.learning_rate)
        self.message = trainer.message  # the engine's sentence (engine.divergence), as it is
        self.diverged = True

    def chunk_seconds(self) -> float:
        """How long to train before the next refresh: the frame (its training share) less the
        refresh's recent cost, but never under a fifth of it (a slow refresh must not starve
        training)."""
        frame = self.frame_seconds * self.train_share
        return max(frame / 5, frame - self.refresh_seconds)

    async def _run(self) -> None:
        try:
            first = True  # Play shows its first epoch at once; then a chunk per frame
            while self.running:
                deadline = time.perf_counter() + (0.0 if first else self.chunk_seconds())
                first = False
                while self._train_epoch() and time.perf_counter() < deadline:
                    pass
                trained = time.perf_counter()
                stopped_itself = not self.running  # diverged, or the trainer said stop
                await asyncio.sleep(0)  # clicks and the page's acknowledgement arrive here
                if stopped_itself:
                    await self.lock(self.publish)
                elif self.running and self.ready():  # (a Pause published already)
                    await self.lock(self.publish)
                    await asyncio.sleep(0)  # the bridge sends the refresh
                    cost = time.perf_counter() - trained  # all of the frame but training
                    self.refresh_seconds += 0.25 * (cost - self.refresh_seconds)
                idle = self.frame_seconds * (1.0 - self.train_share)
                if idle > 0 and self.running:
                    await asyncio.sleep(idle)
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


async def run_now(change: Callable[[], None]) -> None:
    """TrainingLoop.lock where nothing needs locking: make the change now."""
    change()


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
