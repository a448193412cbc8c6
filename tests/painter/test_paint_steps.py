"""The step-through's words and tables: which phase is shown, what it means, and its numbers
(every number's exact value in its cell's title)."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pytest
from fake_host import Painted

from playground.model.steps import PHASES
from playground.painter import network_data as nd
from playground.painter import steps as painted


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


def stepped(p: Painted, phase: str) -> None:
    p.m.steps.step = p.loop.trainer.step_through()
    p.m.steps.phase = phase


def detail(p: Painted) -> str:
    return p.text(painted.DETAIL)


def test_before_a_step_the_panel_says_what_next_phase_does() -> None:
    p = Painted.of()
    assert p.text(painted.PHASES_TEXT) == (
        "<p>Training step: Forward → Loss → Backward → Update</p>")
    assert "Press <strong>Next phase</strong>" in p.text(painted.EXPLAIN)
    assert detail(p) == ""
    assert not p.visible(painted.LEAVE)


@pytest.mark.parametrize("phase", PHASES)
def test_the_phase_line_marks_the_current_phase_and_explains_it(phase: str) -> None:
    p = Painted.of()
    stepped(p, phase)
    line = p.text(painted.PHASES_TEXT)
    assert f"<strong>▶ {phase}</strong>" in line
    assert line.count("▶") == 1
    assert p.text(painted.EXPLAIN) == f"<p>{painted.EXPLAIN_TEXT[phase]}</p>"
    assert p.visible(painted.LEAVE)
    p.m.steps.stop()
    assert "▶" not in p.text(painted.PHASES_TEXT)
    assert detail(p) == ""
    assert not p.visible(painted.LEAVE)


def test_forward_lists_the_minibatch() -> None:
    p = Painted.of()
    stepped(p, "Forward")
    step = p.m.steps.step
    assert "The minibatch: 10 points (first 5 shown)" in detail(p)
    assert f'title="{float(step.x[0, 0])!r}"' in detail(p)
    assert f'title="{float(step.output[0, 0])!r}"' in detail(p)


def test_loss_shows_the_minibatch_loss() -> None:
    p = Painted.of()
    stepped(p, "Loss")
    step = p.m.steps.step
    assert f"{step.loss:.4f}" in detail(p)
    assert step.loss == pytest.approx(step.loss_per_sample.mean())
    for error in step.loss_per_sample:
        assert f'title="{float(error)!r}"' in detail(p)


def test_backward_gives_the_largest_gradient_of_each_layer() -> None:
    p = Painted.of()
    stepped(p, "Backward")
    largest = [float(np.abs(g).max()) for g in p.m.steps.step.dW]
    assert detail(p) == ("<p>Largest gradient per layer of weights (output last): "
                         + ", ".join(f"layer {i + 1}: {n:.4f}" for i, n in enumerate(largest))
                         + "</p>")


def test_update_table_is_the_sgd_rule_for_every_weight() -> None:
    p = Painted.of()
    p.loop.step()
    stepped(p, "Update")
    step, html = p.m.steps.step, detail(p)
    rows = UpdateRows(html).rows
    lr = p.loop.trainer.learning_rate
    assert f'data-lr="{lr!r}"' in html
    assert len(rows) == 18
    for _, before, gradient, after in rows:
        assert abs(after - (before - lr * gradient)) <= 1e-12
    # all the weights, in line order: their after values are the trainer's weights now
    assert [r[3] for r in rows] == list(nd.flatten(p.net.weights))
    assert [r[1] for r in rows] == list(nd.flatten(step.weights_before))
    assert [r[2] for r in rows] == list(nd.flatten(step.dW))
    data = p.host.data["network.lines"]
    labels = [f"{a} → {b}" for a, b in zip(data["from_label"], data["to_label"], strict=True)]
    assert [r[0] for r in rows] == labels


def test_update_table_of_a_large_network_lists_the_largest_changes() -> None:
    p = Painted.of(hidden=[8, 8], learning_rate=0.3)
    stepped(p, "Update")
    step, html = p.m.steps.step, detail(p)
    rows = UpdateRows(html).rows
    lr = p.loop.trainer.learning_rate
    assert len(rows) == painted.MAX_ROWS
    assert f"({painted.MAX_ROWS} of {2 * 8 + 8 * 8 + 8} weights shown" in html
    for _, before, gradient, after in rows:
        assert abs(after - (before - lr * gradient)) <= 1e-12
    changes = [abs(after - before) for _, before, _, after in rows]
    assert changes == sorted(changes, reverse=True)
    everything = np.abs(nd.flatten(step.weights_after) - nd.flatten(step.weights_before))
    assert changes[0] == everything.max()
    assert {r[3] for r in rows} <= set(nd.flatten(p.net.weights))
