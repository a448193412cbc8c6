"""The step-through as a model: one minibatch's training step in four phases, each animated by
an asyncio task (so each test runs its body in `asyncio.run`), and everything that ends it.
`frame_seconds` is shortened so the animations end within a few hundredths of a second."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from playground.model.playground import PlaygroundModel
from playground.model.steps import FRAME, PHASES, UPDATE_FRAMES
from playground.painter import network_data as nd
from playground.state import State

QUICK = 0.005
SETTLE = 0.05  # longer than any animation at QUICK


def model(**state) -> PlaygroundModel:
    m = PlaygroundModel(State(**state))
    m.steps.frame_seconds = QUICK
    return m


async def settle(m: PlaygroundModel) -> None:
    """Let the phase's animation run to its end."""
    task = m.steps._task
    if task is not None:
        await task


async def go_to(m: PlaygroundModel, phase: str) -> None:
    """Press Next phase until `phase`, letting the animations run."""
    for _ in PHASES:
        m.steps.next_phase = True
        await settle(m)
        if m.steps.phase == phase:
            return
    raise AssertionError(f"never reached {phase}")


def test_next_phase_walks_the_phases_and_then_takes_a_new_step() -> None:
    async def run() -> None:
        m = model()
        seen = [m.steps.phase]
        for _ in range(4):
            m.steps.next_phase = True
            seen.append(m.steps.phase)
        first = m.steps.step
        m.steps.next_phase = True
        seen.append(m.steps.phase)
        assert seen == ["", "Forward", "Loss", "Backward", "Update", "Forward"]
        assert m.steps.step is not first
        assert np.array_equal(m.steps.step.indices, first.indices + len(first.indices))
        m.steps.leave = True
        assert m.steps.phase == ""
        assert not m.steps.active

    asyncio.run(run())


def test_a_step_through_pauses_training_and_takes_the_step_at_once() -> None:
    async def run() -> None:
        m = model()
        m.loop.play()
        await asyncio.sleep(0.02)
        m.steps.next_phase = True
        assert m.loop.running is False
        assert m.steps.phase == "Forward"
        assert m.steps.active
        await asyncio.sleep(0.02)
        step = m.steps.step
        assert np.array_equal(m.loop.trainer.network.weights[0], step.weights_after[0])
        assert not np.array_equal(step.weights_before[0], step.weights_after[0])
        m.steps.leave = True

    asyncio.run(run())


def test_forward_reaches_one_layer_a_frame_and_loss_shows_them_all() -> None:
    async def run() -> None:
        m = model()
        m.steps.next_phase = True
        layers = len(m.steps.step.activations)
        assert m.steps.forward_layers == 0
        await asyncio.sleep(0)  # the animation's first frame: the inputs
        assert m.steps.forward_layers == 1
        await settle(m)
        assert m.steps.forward_layers == layers == 4
        assert m.steps.frames == layers
        m.steps.next_phase = True
        assert m.steps.phase == "Loss"
        assert m.steps.forward_layers == layers
        m.steps.next_phase = True  # Backward: no values on the neurons
        assert m.steps.forward_layers == 0

    asyncio.run(run())


def test_forward_at_real_speed() -> None:
    async def run() -> None:
        m = PlaygroundModel()
        assert m.steps.frame_seconds == FRAME
        m.steps.next_phase = True
        await asyncio.sleep(FRAME * 1.5)
        assert 1 <= m.steps.forward_layers < 4  # still on its way
        await asyncio.sleep(FRAME * 4)
        assert m.steps.forward_layers == len(m.steps.step.activations)
        m.steps.leave = True

    asyncio.run(run())


def test_backward_reaches_every_layer_of_weights() -> None:
    async def run() -> None:
        m = model()
        await go_to(m, "Backward")
        assert m.steps.backward_layers == len(m.steps.step.dW) == 3

    asyncio.run(run())


def test_update_moves_the_weights_all_the_way_in_its_frames() -> None:
    async def run() -> None:
        m = model()
        await go_to(m, "Loss")
        frames = m.steps.frames
        await go_to(m, "Update")
        assert m.steps.update_t == 1.0
        assert m.steps.frames - frames == len(m.steps.step.dW) + UPDATE_FRAMES
        m.steps.leave = True

    asyncio.run(run())


def test_an_update_that_ends_an_epoch_shows_the_new_epoch() -> None:
    async def run() -> None:
        m = model(batch_size=30)  # 250 training points: 9 steps an epoch
        loop = m.loop
        for _ in range(9):
            for _ in ("Forward", "Loss", "Backward"):
                m.steps.next_phase = True
            assert loop.epoch == 0
            m.steps.next_phase = True
            assert m.steps.phase == "Update"  # publishing the epoch did not end the walk
            if m.steps.step.epoch_done:
                break
        assert m.steps.step.epoch_done
        assert loop.epoch == 1
        assert loop.train_loss == loop.trainer.history.train_loss[-1]
        m.steps.leave = True

    asyncio.run(run())


def test_the_frames_change_the_model_through_the_loops_lock() -> None:
    async def run() -> list[str]:
        m = model()
        locked: list[str] = []

        async def lock(change) -> None:
            locked.append(m.steps.phase)
            change()

        m.loop.lock = lock
        await go_to(m, "Update")
        return locked

    locked = asyncio.run(run())
    assert locked == ["Forward"] * 4 + ["Backward"] * 3 + ["Update"] * UPDATE_FRAMES


# leaving --------------------------------------------------------------------------------------
def leave_by_play(m: PlaygroundModel) -> None:
    m.loop.play()
    m.loop.pause()


@pytest.mark.parametrize(
    "leave",
    [
        leave_by_play,
        lambda m: m.loop.reset(),
        lambda m: m.session.add_layer(),
        lambda m: setattr(m.state, "dataset", "xor"),
        lambda m: m.loop.step(),
        lambda m: m.session.set_weight(2, 0, 0, 3.0),
        lambda m: setattr(m.steps, "leave", True),
    ],
    ids=["play", "reset", "add-layer", "dataset", "step", "weight", "leave"],
)
@pytest.mark.parametrize("phase", PHASES)
def test_what_else_moves_the_network_leaves_the_step_through(leave, phase: str) -> None:
    async def run() -> None:
        m = model()
        if phase != "Forward":
            await go_to(m, PHASES[PHASES.index(phase) - 1])
        m.steps.next_phase = True  # its animation (Loss has none) is on its way
        assert m.steps.phase == phase
        assert (m.steps._task is not None) is (phase != "Loss")
        leave(m)
        assert m.steps.phase == ""
        assert m.steps.step is None
        assert not m.steps.active
        frames = m.steps.frames
        await asyncio.sleep(SETTLE)  # a cancelled animation does not change anything more
        assert m.steps.frames == frames
        assert m.steps.phase == ""

    asyncio.run(run())


def test_the_live_weights_are_those_after_the_step_once_it_is_left() -> None:
    async def run() -> None:
        m = model()
        await go_to(m, "Backward")
        after = m.steps.step.weights_after
        m.steps.leave = True
        assert np.array_equal(nd.flatten(m.loop.trainer.network.weights), nd.flatten(after))

    asyncio.run(run())
