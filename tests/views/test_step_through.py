"""Step-through mode: one minibatch's step in four phases, over the live views.

The phases animate with asyncio tasks, so each test runs its body in `asyncio.run`. FRAME is
shortened so the animations finish within a few hundredths of a second.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from html.parser import HTMLParser

import numpy as np
import pytest

from playground.engine.trainer import Step
from playground.model.session import Session
from playground.painter import network_data as nd
from playground.state import State
from playground.views import step_through as st
from playground.views.features_view import FeaturesView
from playground.views.live import LiveViews
from playground.views.network_view import NetworkView
from playground.views.output_view import OutputView
from playground.views.step_through import PHASES, StepThrough

FRAME = 0.005
SETTLE = 0.05  # longer than any animation at this FRAME


@pytest.fixture(autouse=True)
def quick_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st, "FRAME", FRAME)


@dataclass
class Page:
    session: Session
    network: NetworkView
    output: OutputView
    live: LiveViews
    steps: StepThrough

    @property
    def trainer(self):
        return self.session.loop.trainer

    @property
    def step(self) -> Step:
        assert self.steps.step is not None
        return self.steps.step

    def shown_weights(self) -> np.ndarray:
        return np.asarray(self.network.lines.data["w"])

    def values(self) -> list[str]:
        return list(self.network.values.data["text"])

    async def settle(self) -> None:
        """Let the phase's animation run to its end."""
        task = self.steps._task
        if task is not None:
            await task

    async def go_to(self, phase: str) -> None:
        """Press Next phase until `phase`, letting the animations run."""
        for _ in PHASES:
            self.steps.next_phase()
            await self.settle()
            if self.steps.phase == phase:
                return
        raise AssertionError(f"never reached {phase}")


def page(**state) -> Page:
    session = Session(State(**state))
    network, output = NetworkView(), OutputView()
    live = LiveViews(session=session, network=network, output=output, features=FeaturesView())
    return Page(session, network, output, live,
                StepThrough(session=session, network=network, live=live))


class UpdateRows(HTMLParser):
    """The `<tr class="pg-weight">` rows of the Update table: label, and the exact before,
    gradient and after values from the cells' title attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[tuple[str, float, float, float]] = []
        self._row: list | None = None
        self._in_cell = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "tr" and attributes.get("class") == "pg-weight":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._in_cell = True
            title = attributes.get("title")
            self._row.append(float(title) if title is not None else "")

    def handle_data(self, data: str) -> None:
        if self._in_cell and self._row is not None and isinstance(self._row[-1], str):
            self._row[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False
        elif tag == "tr" and self._row is not None:
            label, before, gradient, after = self._row
            self.rows.append((label, before, gradient, after))
            self._row = None


def first_point_values(step: Step, layers: int) -> list[str]:
    return [f"{v:.2f}" if i < layers else "" for i, a in enumerate(step.activations)
            for v in a[0]]


# the walk through the phases --------------------------------------------------------------------
def test_next_phase_walks_the_phases_and_then_takes_a_new_step() -> None:
    async def run() -> None:
        p = page()
        seen = [p.steps.phase]
        for _ in range(4):
            p.steps.next_phase()
            seen.append(p.steps.phase)
        first = p.step
        p.steps.next_phase()
        seen.append(p.steps.phase)
        assert seen == ["", "Forward", "Loss", "Backward", "Update", "Forward"]
        assert p.step is not first
        assert np.array_equal(p.step.indices, first.indices + len(first.indices))
        p.steps.leave()

    asyncio.run(run())


def test_the_phase_line_marks_the_current_phase() -> None:
    async def run() -> None:
        p = page()
        p.steps.next_phase()
        p.steps.next_phase()
        assert "**▶ Loss**" in p.steps._phases.object
        assert "**▶ Forward**" not in p.steps._phases.object
        assert p.steps._leave.visible
        p.steps.leave()
        assert not p.steps._leave.visible

    asyncio.run(run())


def test_the_buttons_drive_the_phases() -> None:
    async def run() -> None:
        p = page()
        p.steps._next.clicks += 1
        assert p.steps.phase == "Forward"
        assert p.live.frozen
        p.steps._leave.clicks += 1
        assert p.steps.phase == ""
        assert not p.live.frozen

    asyncio.run(run())


def test_a_step_through_pauses_training() -> None:
    async def run() -> None:
        p = page()
        p.session.loop.play()
        await asyncio.sleep(0.02)
        p.steps.next_phase()
        assert p.session.loop.running is False
        assert p.steps.phase == "Forward"
        await asyncio.sleep(0.02)
        assert np.array_equal(p.trainer.network.weights[0], p.step.weights_after[0])
        p.steps.leave()

    asyncio.run(run())


# what each phase shows --------------------------------------------------------------------------
@pytest.mark.parametrize("phase", ["Forward", "Loss", "Backward"])
def test_until_update_the_lines_show_the_weights_from_before_the_step(phase: str) -> None:
    async def run() -> None:
        p = page()
        p.session.loop.step()
        await p.go_to(phase)
        step = p.step
        assert np.array_equal(p.shown_weights(), nd.flatten(step.weights_before))
        assert np.array_equal(nd.flatten(p.trainer.network.weights),
                              nd.flatten(step.weights_after))
        assert not np.array_equal(nd.flatten(step.weights_after),
                                  nd.flatten(step.weights_before))
        p.steps.leave()

    asyncio.run(run())


def test_forward_lights_up_the_first_points_values_layer_by_layer() -> None:
    async def run() -> None:
        p = page()
        p.steps.next_phase()
        assert p.values() == [""] * 9
        await asyncio.sleep(0)  # the animation's first frame: the inputs
        assert p.values() == first_point_values(p.step, 1)
        await p.settle()
        assert p.values() == first_point_values(p.step, 4)
        assert p.values()[:2] == [f"{v:.2f}" for v in p.step.x[0]]
        assert "The minibatch: 10 points" in p.steps._detail.object
        p.steps.leave()
        assert p.values() == [""] * 9

    asyncio.run(run())


def test_forward_values_at_real_speed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st, "FRAME", 0.3)

    async def run() -> None:
        p = page()
        p.steps.next_phase()
        await asyncio.sleep(2)
        assert p.values() == first_point_values(p.step, len(p.step.activations))
        p.steps.leave()

    asyncio.run(run())


def test_loss_shows_the_minibatch_loss() -> None:
    async def run() -> None:
        p = page()
        await p.go_to("Loss")
        step = p.step
        assert f"{step.loss:.4f}" in p.steps._detail.object
        assert step.loss == pytest.approx(step.loss_per_sample.mean())
        assert p.values() == first_point_values(step, 4)
        p.steps.leave()

    asyncio.run(run())


def test_backward_draws_the_gradients() -> None:
    async def run() -> None:
        p = page()
        await p.go_to("Backward")
        colour, widths, _ = nd.gradient_lines(p.step.dW)
        assert np.array_equal(p.network.lines.data["c"], colour)
        assert np.array_equal(p.network.lines.data["lw"], widths)
        assert p.values() == [""] * 9
        p.steps.leave()

    asyncio.run(run())


def test_update_moves_the_lines_to_the_new_weights() -> None:
    async def run() -> None:
        p = page()
        await p.go_to("Update")
        np.testing.assert_allclose(p.shown_weights(), nd.flatten(p.step.weights_after),
                                   rtol=0, atol=1e-15)
        p.steps.leave()

    asyncio.run(run())


# the Update table -------------------------------------------------------------------------------
def test_update_table_is_the_sgd_rule_for_every_weight() -> None:
    async def run() -> None:
        p = page()
        p.session.loop.step()
        await p.go_to("Update")
        html = p.steps._detail.object
        rows = UpdateRows(html).rows
        lr = p.trainer.learning_rate
        assert f'data-lr="{lr!r}"' in html
        assert len(rows) == 18
        for _, before, gradient, after in rows:
            assert abs(after - (before - lr * gradient)) <= 1e-12
        # all the weights, in line order: their after values are the trainer's weights now
        assert [r[3] for r in rows] == list(nd.flatten(p.trainer.network.weights))
        assert [r[1] for r in rows] == list(nd.flatten(p.step.weights_before))
        assert [r[2] for r in rows] == list(nd.flatten(p.step.dW))
        data = p.network.lines.data
        labels = [f"{a} → {b}" for a, b in zip(data["from_label"], data["to_label"], strict=True)]
        assert [r[0] for r in rows] == labels
        p.steps.leave()

    asyncio.run(run())


def test_update_table_of_a_large_network_lists_the_largest_changes() -> None:
    async def run() -> None:
        p = page(hidden=[8, 8], learning_rate=0.3)
        await p.go_to("Update")
        rows = UpdateRows(p.steps._detail.object).rows
        lr = p.trainer.learning_rate
        assert len(rows) == st.MAX_ROWS
        assert f"({st.MAX_ROWS} of {2 * 8 + 8 * 8 + 8} weights shown" in p.steps._detail.object
        for _, before, gradient, after in rows:
            assert abs(after - (before - lr * gradient)) <= 1e-12
        changes = [abs(after - before) for _, before, _, after in rows]
        assert changes == sorted(changes, reverse=True)
        everything = np.abs(nd.flatten(p.step.weights_after) - nd.flatten(p.step.weights_before))
        assert changes[0] == everything.max()
        now = set(nd.flatten(p.trainer.network.weights))
        assert {r[3] for r in rows} <= now
        p.steps.leave()

    asyncio.run(run())


def test_an_update_that_ends_an_epoch_shows_the_new_epoch() -> None:
    async def run() -> None:
        p = page(batch_size=30)  # 250 training points: 9 steps an epoch
        loop = p.session.loop
        for _ in range(9):
            for _ in ("Forward", "Loss", "Backward"):
                p.steps.next_phase()
            assert loop.epoch == 0
            p.steps.next_phase()
            assert p.steps.phase == "Update"
            if p.step.epoch_done:
                break
        assert p.step.epoch_done
        assert loop.epoch == 1
        assert loop.train_loss == p.trainer.history.train_loss[-1]
        p.steps.leave()

    asyncio.run(run())


# leaving ----------------------------------------------------------------------------------------
def leave_by_play(p: Page) -> None:
    p.session.loop.play()
    p.session.loop.pause()


@pytest.mark.parametrize(
    "leave",
    [
        leave_by_play,
        lambda p: p.session.loop.reset(),
        lambda p: p.session.add_layer(),
        lambda p: setattr(p.session.state, "dataset", "xor"),
    ],
    ids=["play", "reset", "add-layer", "dataset"],
)
@pytest.mark.parametrize("phase", PHASES)
def test_play_reset_or_a_new_experiment_leaves_the_step_through(leave, phase: str) -> None:
    async def run() -> None:
        p = page()
        await p.go_to(phase)
        assert p.live.frozen
        leave(p)
        assert p.steps.phase == ""
        assert p.steps.step is None
        assert not p.live.frozen
        assert p.steps._detail.object == ""
        await asyncio.sleep(SETTLE)  # a cancelled animation does not draw any more
        assert np.array_equal(p.shown_weights(), nd.flatten(p.trainer.network.weights))
        assert p.values() == [""] * len(p.values())

    asyncio.run(run())


def test_the_step_button_leaves_the_step_through() -> None:
    async def run() -> None:
        p = page()
        await p.go_to("Forward")
        p.session.loop.step()
        assert p.steps.phase == ""
        assert not p.live.frozen
        assert np.array_equal(p.shown_weights(), nd.flatten(p.trainer.network.weights))

    asyncio.run(run())


def test_a_weight_edit_during_the_step_through_shows_on_the_output() -> None:
    async def run() -> None:
        p = page()
        await p.go_to("Loss")
        before = p.output.heat.data["image"][0].copy()
        assert p.session.set_weight(2, 0, 0, 3.0)
        assert not np.array_equal(p.output.heat.data["image"][0], before)

    asyncio.run(run())
