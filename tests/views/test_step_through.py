"""The step-through on the page: its buttons drive the phases, its panes say which phase is
shown and what it means, and the network view shows the step over the live weights.
(The model: tests/model/test_step_model.py; the words and tables:
tests/painter/test_paint_steps.py.)"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from playground.app import Playground
from playground.model.steps import PHASES
from playground.painter import network_data as nd
from playground.painter.steps import EXPLAIN_TEXT

QUICK = 0.005


def page() -> Playground:
    app = Playground()
    app.model.steps.frame_seconds = QUICK
    return app


async def settle(app: Playground) -> None:
    task = app.model.steps._task
    if task is not None:
        await task


def values(app: Playground) -> list[str]:
    return list(app.network.values.data["text"])


def test_the_buttons_drive_the_phases_and_the_panes_follow() -> None:
    async def run() -> None:
        app = page()
        view = app.steps
        assert not view.leave.visible
        for phase in PHASES:
            view.next.clicks += 1
            await settle(app)
            assert app.model.steps.phase == phase
            assert f"<strong>▶ {phase}</strong>" in view.phases.object
            assert view.explain.object == f"<p>{EXPLAIN_TEXT[phase]}</p>"
            assert view.detail.object
            assert view.leave.visible
        view.leave.clicks += 1
        assert app.model.steps.phase == ""
        assert "▶" not in view.phases.object
        assert view.detail.object == ""
        assert not view.leave.visible

    asyncio.run(run())


@pytest.mark.parametrize("phase", ["Forward", "Loss", "Backward"])
def test_until_update_the_lines_show_the_weights_from_before_the_step(phase: str) -> None:
    async def run() -> None:
        app = page()
        app.loop.step()
        for _ in range(PHASES.index(phase) + 1):
            app.steps.next.clicks += 1
            await settle(app)
        step = app.model.steps.step
        assert np.array_equal(app.network.shown_weights(), nd.flatten(step.weights_before))
        assert np.array_equal(nd.flatten(app.loop.trainer.network.weights),
                              nd.flatten(step.weights_after))
        app.steps.leave.clicks += 1
        assert np.array_equal(app.network.shown_weights(), nd.flatten(step.weights_after))

    asyncio.run(run())


def test_forward_lights_up_the_first_points_values_on_the_neurons() -> None:
    async def run() -> None:
        app = page()
        app.steps.next.clicks += 1
        assert values(app) == [""] * 9
        await settle(app)
        step = app.model.steps.step
        assert values(app) == [f"{v:.2f}" for a in step.activations for v in a[0]]
        assert values(app)[:2] == [f"{v:.2f}" for v in step.x[0]]
        assert "The minibatch: 10 points" in app.steps.detail.object
        app.steps.leave.clicks += 1
        assert values(app) == [""] * 9

    asyncio.run(run())


def test_update_moves_the_lines_to_the_new_weights_and_the_output_follows_after() -> None:
    async def run() -> None:
        app = page()
        heat = app.output.heat.data["image"][0].copy()
        for _ in PHASES:
            app.steps.next.clicks += 1
            await settle(app)
        step = app.model.steps.step
        np.testing.assert_allclose(app.network.shown_weights(), nd.flatten(step.weights_after),
                                   rtol=0, atol=1e-15)
        assert np.array_equal(app.output.heat.data["image"][0], heat)  # held meanwhile
        app.steps.leave.clicks += 1
        assert not np.array_equal(app.output.heat.data["image"][0], heat)

    asyncio.run(run())


def test_a_weight_edit_during_the_step_through_ends_it_and_shows_on_the_output() -> None:
    async def run() -> None:
        app = page()
        app.steps.next.clicks += 1
        app.steps.next.clicks += 1  # Loss
        before = app.output.heat.data["image"][0].copy()
        assert app.session.set_weight(2, 0, 0, 3.0)
        assert app.model.steps.phase == ""
        assert not app.steps.leave.visible
        assert not np.array_equal(app.output.heat.data["image"][0], before)
        assert app.network.shown_weights()[-2] == 3.0

    asyncio.run(run())


def test_play_leaves_the_step_through() -> None:
    async def run() -> None:
        app = page()
        app.steps.next.clicks += 1
        app.controls.play.clicks += 1
        assert app.model.steps.phase == ""
        assert app.controls.play.name == "Pause"
        app.controls.play.clicks += 1
        await asyncio.sleep(QUICK * 4)
        assert values(app) == [""] * 9
        assert np.array_equal(app.network.shown_weights(),
                              nd.flatten(app.loop.trainer.network.weights))

    asyncio.run(run())
