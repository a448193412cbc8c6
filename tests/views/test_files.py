"""The buttons that save a model and open one: Panel's own file widgets in a notebook or under
`panel serve` (`page=False`), the page's own file handling in the static site (`page=True`).
(What a file does to the model: tests/model/test_model_files.py.)"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document
from bokeh.models import Button as BokehButton
from bokeh.models import CustomJS

from playground.app import Playground
from playground.experiment import Config, build_trainer, save_model
from playground.model.playground import PlaygroundModel
from playground.model.session import MAX_MODEL_BYTES
from playground.state import State
from playground.views.file_input import TextFileInput, upload_message
from playground.views.host import Registry
from playground.views.panels import ModelFiles

SETTINGS = {"dataset": "xor", "noise": 15, "train_percent": 70, "seed": "12345",
            "hidden": [5, 3], "activation": "relu", "learning_rate": 0.1,
            "regularization": "l2", "reg_rate": 0.001, "batch_size": 7, "optimizer": "adam",
            "features": ["x1", "x2", "x1x2", "sin_x1"]}


def trained(epochs: int = 4, **state: Any) -> PlaygroundModel:
    m = PlaygroundModel(State(**state))
    for _ in range(epochs):
        m.loop.step()
    return m


def params(m: PlaygroundModel) -> list[np.ndarray]:
    return [p.copy() for p in m.loop.trainer.network.params()]


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


class Widgets:
    """The model's file widgets as a notebook has them (the Playground's, page=False)."""

    def __init__(self, **state: Any) -> None:
        self.app = Playground(State(**state))
        self.m = self.app.model
        layout = self.app.__panel__()
        (self.save,) = layout.select(pn.widgets.FileDownload)
        (self.input,) = [i for i in layout.select(TextFileInput) if "json" in i.accept]

    def pick(self, text: str | None = None, size: int | None = None,
             error: str | None = None) -> None:
        n = json.loads(self.input.upload)["n"] + 1 if self.input.upload else 1
        self.input.upload = upload_message("model.json", text, size, error, n=n)

    @property
    def shown(self) -> str:
        return self.app.registry.targets["files.model_message"].object


def test_the_save_button_downloads_the_model_json() -> None:
    w = Widgets(**SETTINGS)
    for _ in range(12):
        w.m.loop.step()
    save = w.save
    save._clicks += 1  # what a click does
    assert save.filename == "playground-model-epoch-12.json"
    header, data = save.data.split(",", 1)
    assert header.endswith(";base64")
    assert base64.b64decode(data).decode() == w.m.session.model_json()
    w.m.loop.step()
    save._clicks += 1
    assert save.filename == "playground-model-epoch-13.json"


def test_the_file_input_opens_a_model_and_says_so() -> None:
    saved = trained(epochs=9, **SETTINGS)
    w = Widgets()
    w.pick(saved.session.model_json())
    assert "Opened the model saved at epoch 9." in w.shown
    assert 'role="status"' in w.shown
    assert same(params(w.m), params(saved))
    assert w.app.status.readouts["epoch"].object == "Epoch 9"
    assert w.app.settings.controls["dataset"].value == "xor"


def test_the_same_file_can_be_opened_again() -> None:
    text = trained(epochs=3).session.model_json()
    w = Widgets()
    w.pick(text)
    w.m.loop.step()
    w.pick(text)  # the page numbers each pick
    assert w.m.loop.epoch == 3


def test_a_refusal_is_shown_as_text_never_as_html() -> None:
    w = Widgets()
    before = params(w.m)
    c = Config(hidden=(3,))
    saved = save_model(build_trainer(c), c)
    saved["config"]["dataset"] = "<img src=x>"
    w.pick(json.dumps(saved))
    assert "unknown dataset" in w.shown
    assert "<img" not in w.shown
    assert "&lt;img src=x&gt;" in w.shown
    assert same(params(w.m), before)


@pytest.mark.parametrize(("error", "shown"), [
    ("too_big", "The file is too big for a saved model (more than 5 MB)."),
    ("not_text", "The file is not a saved model: it is not text."),
    ("unreadable", "The browser could not read the file."),
])
def test_what_the_browser_refused_is_said_and_changes_nothing(error: str, shown: str) -> None:
    w = Widgets()
    before, trainer = params(w.m), w.m.loop.trainer
    w.pick(size=50 * 2**20, error=error)
    assert shown in w.shown
    assert same(params(w.m), before)
    assert w.m.loop.trainer is trainer


def test_the_widgets_are_tall_enough_to_tap_refuse_a_big_file_and_render() -> None:
    w = Widgets()
    assert w.save.label == "Save model (JSON)"
    assert w.save.height >= 44
    assert w.input.height >= 44
    assert w.input.accept == ".json,application/json"
    assert w.input.max_bytes == MAX_MODEL_BYTES
    assert w.input.label == "Open a saved model"
    doc = Document()
    doc.add_root(w.app.__panel__().get_root(doc))
    w.pick(trained(epochs=2).session.model_json())
    assert "epoch 2" in w.shown


def test_in_the_static_page_the_buttons_ask_the_page_to_save_and_open() -> None:
    m = PlaygroundModel()
    files = ModelFiles(m, Registry(), page=True)
    assert not list(files.__panel__().select(TextFileInput))  # nothing is read in Python
    doc = Document()
    doc.add_root(files.__panel__().get_root(doc))
    codes = {b.label: [(cb.code, cb.args) for cbs in b.js_event_callbacks.values()
                       for cb in cbs if isinstance(cb, CustomJS)]
             for b in doc.select({"type": BokehButton})}
    (save,), (open_,) = codes["Save model (JSON)"], codes["Open a saved model"]
    assert "window.playgroundFiles[action](kind)" in save[0]
    assert (save[1]["action"], save[1]["kind"]) == ("save", "model")
    assert (open_[1]["action"], open_[1]["kind"]) == ("open", "model")


def test_opening_on_the_rendered_page_keeps_the_loaded_weights() -> None:
    """The settings widgets follow the state (and write back to it) without a second rebuild."""
    app = Playground()
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    config = Config(dataset="spiral", hidden=(6, 3), features=("sin_x1", "x1", "x2"),
                    batch_size=5, learning_rate=0.1, noise=20)
    trainer = build_trainer(config)
    trainer.train(5)
    assert app.session.load_model_json(json.dumps(save_model(trainer, config))) is None
    loaded = app.loop.trainer
    assert app.session.state.features == ["x1", "x2", "sin_x1"]
    assert loaded.epoch == 5
    assert loaded.test_loss == pytest.approx(trainer.test_loss, rel=1e-12)
    assert np.array_equal(loaded.network.weights[0], trainer.network.weights[0][[1, 2, 0]])
    for a, b in zip(loaded.network.weights[1:], trainer.network.weights[1:], strict=True):
        assert np.array_equal(a, b)
    app.loop.step()
    assert app.loop.epoch == 6
    shown = {w.name: w.value for w in app.__panel__().select(pn.widgets.Select) if w.visible}
    assert (shown["Dataset"], shown["Batch size"], shown["Noise"]) == ("spiral", 5, 20)
    assert shown["Learning rate"] == 0.1
    assert app.registry.targets["settings.features"].value == ["x1", "x2", "sin_x1"]
    assert np.array_equal(app.network.shown_weights()[:18],
                          loaded.network.weights[0].ravel())
