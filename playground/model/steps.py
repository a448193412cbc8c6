"""Step-through: one minibatch's training step, walked through in four phases.

Forward (activations light up layer by layer), Loss (prediction against answer), Backward
(gradients, from the output back to the inputs), Update (every weight moves by -learning
rate x gradient). The engine computes the whole step at once (`Trainer.step_through`); this
model only says which phase is shown and how far its animation has got, so a view can draw
it: `forward_layers` layers show their values, the backward pass has reached `backward_layers`
layers (counted from the output), the weights are `update_t` of the way to their new values.
While a phase is shown the network view holds the weights from before the update.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import param

from playground.engine.trainer import Step
from playground.model.session import Session

PHASES = ("Forward", "Loss", "Backward", "Update")
FRAME = 0.3  # seconds between the layers of an animation
UPDATE_FRAMES = 6  # the Update phase moves the lines in this many frames


class StepThrough(param.Parameterized):
    """Which phase of one training step is shown, and how far its animation has got."""

    session = param.ClassSelector(class_=Session)
    phase = param.Selector(default="", objects=["", *PHASES])
    next_phase = param.Event(label="Next phase")
    leave = param.Event(label="Back to training")
    forward_layers = param.Integer(default=0, doc="Layers (inputs first) showing values.")
    backward_layers = param.Integer(default=0, doc="Layers of weights the error has reached.")
    update_t = param.Number(default=0.0, bounds=(0.0, 1.0), doc="How far the weights moved.")
    frames = param.Integer(default=0, doc="Animation frames shown (a notebook pushes each).")
    frame_seconds = param.Number(default=FRAME, bounds=(0.0, None))

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.step: Step | None = None
        self._task: asyncio.Future | None = None
        self._updating = False  # the Update phase publishes the loop itself
        loop = self.session.loop
        loop.param.watch(self._on_running, "running")
        loop.param.watch(lambda _: self.stop(), "resets")
        loop.param.watch(self._on_refresh, "refreshes")
        self.session.param.watch(lambda _: self.stop(), "topology")

    @property
    def active(self) -> bool:
        """A phase is shown (the network view shows the step, not the live weights)."""
        return bool(self.phase) and self.step is not None

    # commands ---------------------------------------------------------------------------------
    @param.depends("next_phase", watch=True)
    def advance(self) -> None:
        """The next phase; after Update (or first), a new step of the next minibatch."""
        if self.phase in ("", "Update") or self.step is None:
            self._take_step()
        else:
            self._show(PHASES[PHASES.index(self.phase) + 1])

    @param.depends("leave", watch=True)
    def stop(self) -> None:
        """Back to the live views."""
        self._cancel()
        self.step = None
        if self.phase:
            self.phase = ""

    def _take_step(self) -> None:
        loop = self.session.loop
        loop.pause()
        self.step = loop.trainer.step_through()
        self._show("Forward")

    def _on_running(self, event: param.parameterized.Event) -> None:
        if event.new and self.phase:
            self.stop()

    def _on_refresh(self, _event: param.parameterized.Event) -> None:
        """Anything else that moved the network (Step, a weight typed in) ends the walk."""
        if self.phase and not self._updating:
            self.stop()

    # the phases' animations -------------------------------------------------------------------
    def _show(self, phase: str) -> None:
        self._cancel()
        step = self.step
        assert step is not None
        with param.parameterized.batch_call_watchers(self):
            # values on the neurons: grown layer by layer in Forward, all of them in Loss
            self.forward_layers = len(step.activations) if phase == "Loss" else 0
            self.backward_layers = 0
            self.update_t = 0.0
            self.phase = phase
        if phase == "Forward":
            self._animate(self._forward(step))
        elif phase == "Backward":
            self._animate(self._backward(step))
        elif phase == "Update":
            self._updating = True
            try:
                self.session.loop.publish()  # the epoch count and losses, if an epoch ended
            finally:
                self._updating = False
            self._animate(self._update())

    async def _frame(self, change: Callable[[], None]) -> None:
        """One frame of an animation, under the views' lock (TrainingLoop.lock)."""
        await self.session.loop.lock(change)
        self.frames += 1

    async def _forward(self, step: Step) -> None:
        for k in range(1, len(step.activations) + 1):
            await self._frame(lambda k=k: setattr(self, "forward_layers", k))
            await asyncio.sleep(self.frame_seconds)

    async def _backward(self, step: Step) -> None:
        for reached in range(1, len(step.dW) + 1):
            await self._frame(lambda r=reached: setattr(self, "backward_layers", r))
            await asyncio.sleep(self.frame_seconds)

    async def _update(self) -> None:
        for k in range(1, UPDATE_FRAMES + 1):
            await self._frame(lambda t=k / UPDATE_FRAMES: setattr(self, "update_t", t))
            if k < UPDATE_FRAMES:
                await asyncio.sleep(self.frame_seconds / 2)

    def _animate(self, coroutine: Awaitable[None]) -> None:
        self._task = asyncio.ensure_future(coroutine)

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
