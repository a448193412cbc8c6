"""Divergence on the page: training pauses, the message says what happened and offers a
one-click reset (also with a smaller learning rate), Play waits for it, and no view ever draws
a NaN or an infinity."""

from __future__ import annotations

import asyncio
import math

import numpy as np
import pytest
from bokeh.document import Document
from bokeh.models import ColumnDataSource

from playground.app import Playground
from playground.experiment import Config
from playground.model.training import TrainingLoop, divergence_message, smaller_learning_rate
from playground.painter.frames import DRAW_LIMIT, drawable, format_loss
from playground.state import State
from playground.views.controls import DIVERGED_TIP, TrainingControls, TrainingStatus

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
        app.loop.step()
        if app.loop.diverged:
            return
    raise AssertionError("did not diverge")


# what the learner sees --------------------------------------------------------------------------
def test_a_divergence_pauses_and_says_where_what_and_why() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    loop = app.loop
    assert not loop.running
    assert loop.diverged
    assert loop.message == ("Training diverged at epoch 1: the weights blew up (grew beyond "
                            "100,000,000). The learning rate (10) is too large for this "
                            "network.")
    assert loop.suggested_learning_rate == 0.03
    status = app.status
    assert status._message.visible
    assert status._message.object == loop.message
    assert status.reset_button.visible
    assert status.lower_button.visible
    assert status.lower_button.name == "Reset with learning rate 0.03"


def test_play_and_step_are_disabled_and_say_why_until_reset() -> None:
    app, _ = rendered(**BLOWS_UP)
    controls = app.controls
    assert not controls._play.disabled
    diverge(app)
    assert controls._play.disabled
    assert controls._step.disabled
    assert controls._play.description == DIVERGED_TIP
    app.loop.play()  # a click that got through anyway does nothing
    assert not app.loop.running
    app.status.reset_button.clicks += 1
    assert not app.loop.diverged
    assert not controls._play.disabled
    assert not controls._step.disabled
    assert controls._play.description is None
    assert app.loop.message == ""
    assert not app.status._message.visible
    assert not app.status.reset_button.visible
    assert not app.status.lower_button.visible
    assert app.loop.epoch == 0


def test_reset_keeps_the_learning_rate_and_diverges_again() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    app.status.reset_button.clicks += 1
    assert app.session.state.learning_rate == 10
    assert app.loop.trainer.learning_rate == 10
    diverge(app)


def test_reset_with_a_smaller_learning_rate_sets_the_control_and_the_link() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    topology = app.session.topology
    app.status.lower_button.clicks += 1
    assert not app.loop.diverged
    assert app.session.state.learning_rate == 0.03
    assert "learningRate=0.03" in app.session.state.to_url()
    assert app.loop.trainer.learning_rate == 0.03
    assert app.loop.config.learning_rate == 0.03
    assert app.session.topology == topology  # the same experiment, started over
    for _ in range(5):
        app.loop.step()
    assert not app.loop.diverged
    assert app.loop.epoch == 5


def test_the_main_reset_button_clears_it_too() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    app.controls._reset.clicks += 1
    assert not app.loop.diverged
    assert not app.controls._play.disabled


def test_a_new_experiment_clears_it() -> None:
    app, _ = rendered(**BLOWS_UP)
    diverge(app)
    app.session.state.reg_dataset = "multigauss"
    assert not app.loop.diverged
    assert app.loop.message == ""


def test_play_stops_by_itself_on_a_divergence() -> None:
    async def run() -> Playground:
        app, _ = rendered(**BLOWS_UP)
        app.loop.play()
        for _ in range(50):
            await asyncio.sleep(0.02)
            if not app.loop.running:
                break
        return app

    app = asyncio.run(run())
    assert not app.loop.running
    assert app.loop.diverged
    assert app.controls._play.name == "Play"
    assert app.controls._play.disabled


def test_a_divergence_in_the_step_through_is_caught_too() -> None:
    app, _ = rendered(**BLOWS_UP)
    trainer = app.loop.trainer
    for _ in range(trainer.n_batches):
        trainer.step_through()
        app.loop.publish()  # what the step-through does after each update
        if trainer.diverged:
            break
    assert app.loop.diverged
    assert app.controls._play.disabled


# no garbage drawn -------------------------------------------------------------------------------
@pytest.mark.parametrize(("state", "regression"), [(BLOWS_UP, True), (SPIRAL_LR_10, False)])
def test_no_source_on_the_page_holds_nan_or_infinity(state: dict, regression: bool) -> None:
    app, doc = rendered(**state)
    assert non_finite(doc, regression) == []
    for _ in range(10):
        app.loop.step()
        assert non_finite(doc, regression) == []
    if regression:
        assert app.loop.diverged
    # the loss chart, the network's lines and heatmaps, the output: all there, all finite
    lines = app.network.lines.data
    assert len(lines["w"]) == 2 * 8 + 5 * 64 + 8
    assert np.isfinite(lines["w"]).all()
    assert all(np.isfinite(img).all() for img in app.network.thumbs.data["image"])
    assert np.isfinite(app.output.heat.data["image"][0]).all()


def test_weights_that_overflow_the_forward_pass_are_drawn_clipped() -> None:
    app, doc = rendered(activation="relu", hidden=[8] * 6)
    for layer in app.loop.trainer.network.layers:
        layer.W[...] = 1e60  # finite, but 1e60^7 overflows every layer after the first few
    app.live.refresh(heavy=True)
    assert non_finite(doc, regression=False) == []
    image = app.output.heat.data["image"][0]
    assert np.abs(image).max() <= 1.0


def test_drawable() -> None:
    fine = np.array([0.5, -2.0])
    assert drawable(fine) is not None
    np.testing.assert_array_equal(drawable(fine), fine)
    np.testing.assert_array_equal(drawable(np.array([np.nan, np.inf, -np.inf, 1e300, 3.0])),
                                  [0.0, DRAW_LIMIT, -DRAW_LIMIT, DRAW_LIMIT, 3.0])
    assert drawable(np.zeros(0)).shape == (0,)


# the pieces -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("lr", "suggested"), [(10, 0.03), (3, 0.03), (0.3, 0.03), (0.1, 0.01),
                                               (0.03, 0.003), (0.001, 0.0001), (1e-4, 1e-5),
                                               (1e-5, None), (5e-5, None)])
def test_the_suggested_learning_rate_is_a_menu_value_ten_times_smaller(
        lr: float, suggested: float | None) -> None:
    assert smaller_learning_rate(lr) == suggested


def test_the_message_without_an_epoch_or_cause() -> None:
    assert divergence_message(None, "", 3.0) == (
        "Training diverged. The learning rate (3) is too large for this network.")


def test_without_a_smaller_rate_only_reset_is_offered() -> None:
    loop = TrainingLoop(config=Config(dataset="plane", problem="regression", hidden=(8,) * 6,
                                      activation="relu", learning_rate=1e-5))
    status = TrainingStatus(loop=loop)
    loop.trainer._diverge(4, math.inf)  # as if epoch 4 had blown up
    loop.publish()
    assert loop.suggested_learning_rate is None
    assert status.reset_button.visible
    assert not status.lower_button.visible
    assert "the loss became infinite" in loop.message


def test_status_without_a_session_resets_the_loop_with_the_smaller_rate() -> None:
    loop = TrainingLoop(config=Config(dataset="plane", problem="regression", activation="relu",
                                      hidden=(8,) * 6, learning_rate=10))
    status = TrainingStatus(loop=loop)
    controls = TrainingControls(loop=loop)
    loop.step()
    assert loop.diverged
    assert controls._play.disabled
    status.lower_button.clicks += 1
    assert not loop.diverged
    assert loop.trainer.learning_rate == 0.03
    assert loop.config.learning_rate == 0.03


@pytest.mark.parametrize(("value", "shown"), [(None, "–"), (0.12345, "0.123"),
                                              (float("inf"), "–"), (float("nan"), "–"),
                                              (123456789.0, "1.23e+08")])
def test_format_loss(value: float | None, shown: str) -> None:
    assert format_loss(value) == shown
