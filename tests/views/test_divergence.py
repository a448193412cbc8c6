"""Divergence on the page: training pauses, the message says what happened and offers a
one-click reset (also with a smaller learning rate), Play and Step wait for it, and no source
of the page ever holds a NaN or an infinity. (The painter's side: tests/painter/
test_paint_controls.py; the model's: tests/model/test_playground_model.py.)"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from bokeh.document import Document
from bokeh.models import ColumnDataSource

from playground.app import Playground
from playground.state import State

BLOWS_UP = {"problem": "regression", "activation": "relu", "hidden": [8] * 6,
            "learning_rate": 10.0}
# What the issue asked for: TF's spiral at learning rate 10 (classification stays finite here).
SPIRAL_LR_10 = {"dataset": "spiral", "activation": "relu", "hidden": [8] * 6,
                "learning_rate": 10.0}
ACCURACY = {"train_accuracy", "test_accuracy"}  # NaN by design for regression: not drawn


def rendered(**state) -> tuple[Playground, Document]:
    app = Playground(state=State(**state))
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    return app, doc


def non_finite(doc: Document, regression: bool) -> list[str]:
    """Every numeric column of every source in the page holding a NaN or an infinity."""
    bad = []
    for source in doc.select({"type": ColumnDataSource}):
        for name, column in source.data.items():
            if regression and name in ACCURACY:
                continue
            values = column if isinstance(column, list | tuple) else [column]
            for value in values:
                array = np.asarray(value)
                if array.dtype.kind in "fiu" and not np.isfinite(array).all():
                    bad.append(f"{source.id}.{name}")
                    break
    return bad


def diverge(app: Playground) -> None:
    for _ in range(3):
        app.controls.step.clicks += 1
        if app.loop.diverged:
            return
    raise AssertionError("did not diverge")


def test_a_divergence_pauses_and_says_where_what_and_why() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    loop, status = app.loop, app.status
    assert not loop.running
    assert loop.message == ("Training diverged at epoch 1: the weights blew up (grew beyond "
                            "100,000,000). The learning rate (10) is too large for this "
                            "network.")
    assert loop.suggested_learning_rate == 0.03
    assert status.message.visible
    assert status.message.object == f"<p>{loop.message}</p>"
    assert status.recover.visible
    assert status.recover_lower.visible
    assert status.recover_lower.name == "Reset with learning rate 0.03"


def test_play_and_step_are_disabled_until_reset() -> None:
    app, _ = rendered(**BLOWS_UP)
    controls, status = app.controls, app.status
    assert not controls.play.disabled
    diverge(app)
    assert controls.play.disabled
    assert controls.step.disabled
    controls.play.clicks += 1  # a click that got through anyway does nothing
    assert not app.loop.running
    status.recover.clicks += 1
    assert not app.loop.diverged
    assert not controls.play.disabled
    assert not controls.step.disabled
    assert app.loop.message == ""
    assert not status.message.visible
    assert not status.recover.visible
    assert not status.recover_lower.visible
    assert status.readouts["epoch"].object == "Epoch 0"


def test_reset_with_a_smaller_learning_rate_sets_the_control_too() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    app.status.recover_lower.clicks += 1
    assert not app.loop.diverged
    assert app.session.state.learning_rate == 0.03
    assert app.settings.controls["learning_rate"].value == 0.03
    for _ in range(5):
        app.controls.step.clicks += 1
    assert not app.loop.diverged
    assert app.status.readouts["epoch"].object == "Epoch 5"


def test_the_main_reset_button_clears_it_too() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    app.controls.reset.clicks += 1
    assert not app.loop.diverged
    assert not app.controls.play.disabled
    assert not app.status.message.visible


def test_play_stops_by_itself_on_a_divergence() -> None:
    async def run() -> Playground:
        app, _ = rendered(**BLOWS_UP)
        app.controls.play.clicks += 1
        for _ in range(50):
            await asyncio.sleep(0.02)
            if not app.loop.running:
                break
        return app

    app = asyncio.run(run())
    assert not app.loop.running
    assert app.loop.diverged
    assert app.controls.play.name == "Play"
    assert app.controls.play.disabled
    assert app.status.message.visible


@pytest.mark.parametrize(("state", "regression"), [(BLOWS_UP, True), (SPIRAL_LR_10, False)])
def test_no_source_on_the_page_holds_nan_or_infinity(state: dict, regression: bool) -> None:
    app, doc = rendered(**state)
    assert non_finite(doc, regression) == []
    for _ in range(10):
        app.loop.step()
        assert non_finite(doc, regression) == []
    assert app.loop.diverged is regression
    lines = app.network.lines.data
    assert len(lines["w"]) == 2 * 8 + 5 * 64 + 8
    assert np.isfinite(lines["w"]).all()
    assert all(np.isfinite(img).all() for img in app.network.thumbs.data["image"])
    assert np.isfinite(app.output.heat.data["image"][0]).all()


def test_weights_that_overflow_the_forward_pass_are_drawn_clipped() -> None:
    app, doc = rendered(activation="relu", hidden=[8] * 6)
    for layer in app.loop.trainer.network.layers:
        layer.W[...] = 1e60  # finite, but 1e60^7 overflows every layer after the first few
    app.screen.paint([app.screen.heavy()])
    app.loop.publish()
    assert non_finite(doc, regression=False) == []
    assert np.abs(app.output.heat.data["image"][0]).max() <= 1.0
