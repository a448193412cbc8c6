"""Your own data on the page: the CSV file input of a notebook or `panel serve` (`page=False`),
what the page says about it, the way back, and the file input itself (it checks a file's size
in the browser before reading it). (What a file does to the model:
tests/model/test_user_data.py.)"""

from __future__ import annotations

import json

import panel as pn
import pytest
from bokeh.document import Document
from bokeh.models import Button as BokehButton
from bokeh.models import CustomJS

from playground.app import Playground
from playground.experiment import USER_DATASET
from playground.model.playground import PlaygroundModel
from playground.model.session import MAX_CSV_BYTES
from playground.state import State
from playground.views.file_input import PICK, TextFileInput, read_upload, upload_message
from playground.views.host import Registry
from playground.views.panels import DataFiles

GOOD = "x1,x2,label\n1.5,2,1\n-1,-2.5,-1\n2,-3,1\n-4,1,-1\n0.5,0.5,1\n-0.5,-0.5,-1\n"
GOOD_POINTS = [(1.5, 2.0, 1.0), (-1.0, -2.5, -1.0), (2.0, -3.0, 1.0), (-4.0, 1.0, -1.0),
               (0.5, 0.5, 1.0), (-0.5, -0.5, -1.0)]
LABEL = "Open your own data (CSV: x1, x2, label)"


class Page:
    """The Playground (page=False) and its data card's widgets."""

    def __init__(self, **state) -> None:
        self.app = Playground(State(**state))
        targets = self.app.registry.targets
        self.result, self.status = targets["files.data_message"], targets["files.data_status"]
        self.back = targets["files.back"]
        (self.input,) = [i for i in self.app.__panel__().select(TextFileInput)
                         if "csv" in i.accept]

    def pick(self, name: str, text: str | None = None, size: int | None = None,
             error: str | None = None) -> None:
        """What the page sends when a file is picked (each pick numbered)."""
        n = json.loads(self.input.upload)["n"] + 1 if self.input.upload else 1
        self.input.upload = upload_message(name, text, size, error, n=n)


def test_picking_a_csv_trains_on_it_and_says_the_link_cannot_hold_it() -> None:
    page = Page(dataset="spiral")
    session = page.app.session
    assert not page.status.visible
    assert not page.back.visible
    page.pick("points.csv", GOOD)
    assert session.loop.config.dataset == USER_DATASET
    assert page.result.object == ""
    assert page.status.visible
    status = page.status.object
    assert "Training on your data: points.csv: 6 points (3 to train on, 3 to test)" in status
    assert "it opens the Spiral dataset" in status
    assert page.back.visible
    assert page.back.name == "Back to Spiral"
    page.back.clicks += 1
    assert session.user_data is None
    assert session.loop.config.dataset == "spiral"
    assert not page.status.visible
    assert not page.back.visible


def test_the_status_follows_the_split_and_warns_of_points_off_the_view() -> None:
    page = Page()
    page.pick("far.csv", "0,0,1\n10,10,-1\n1,1,1\n2,2,-1\n")
    assert "outside the output view" in page.status.object
    page.app.settings.controls["train_percent"].value = 80
    assert "(3 to train on, 1 to test)" in page.status.object


def test_the_same_file_twice_is_read_twice() -> None:
    page = Page()
    page.pick("points.csv", GOOD)
    page.app.loop.step()
    page.pick("points.csv", GOOD)
    assert page.app.loop.epoch == 0
    assert page.app.session.topology == 2


@pytest.mark.parametrize(("error", "size", "fragment"), [
    ("too_big", 50 * 2**20, "The file is too big (50 MB): the limit is 2 MB"),
    ("not_text", 10, "not a CSV file: it is not text"),
    ("unreadable", 10, "could not read the file"),
    ("something else", 10, "could not read the file"),
])
def test_what_the_browser_refused_is_said(error: str, size: int, fragment: str) -> None:
    page = Page()
    trainer = page.app.loop.trainer
    page.pick("big.csv", size=size, error=error)
    shown = page.result.object
    assert fragment in shown
    assert "big.csv: " in shown
    assert "The data and weights are unchanged." in shown
    assert 'role="status"' in shown
    assert page.app.loop.trainer is trainer


def test_a_refusal_is_text_never_html() -> None:
    page = Page()
    page.pick("<img src=x onerror=alert(1)>.csv", "1,2,1\n3,<b>4</b>,-1\n")
    shown = page.result.object
    assert "<img" not in shown
    assert "<b>" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in shown
    assert "&lt;b&gt;4&lt;/b&gt;" in shown


def test_the_playground_has_the_csv_input_in_the_data_card() -> None:
    page = Page()
    doc = Document()
    doc.add_root(page.app.__panel__().get_root(doc))
    inputs = list(page.app.__panel__().select(TextFileInput))
    assert len(inputs) == 2  # and the saved model's
    assert {i.accept for i in inputs} == {".csv,text/csv", ".json,application/json"}
    assert page.input.label == LABEL
    assert page.input.max_bytes == MAX_CSV_BYTES
    cards = [c for c in page.app.__panel__().select(pn.Column) if "pg-card" in c.css_classes]
    (data_card,) = [c for c in cards if page.input in c.select(TextFileInput)]
    assert page.app.settings.controls["problem"] in data_card.select(pn.widgets.Select)
    page.pick("points.csv", GOOD)  # rendered: the views follow
    output = page.app.output
    shown = {(float(x), float(y)) for source in (output.train_points, output.test_points)
             for x, y in zip(source.data["x"], source.data["y"], strict=True)}
    assert shown == {(a, b) for a, b, _ in GOOD_POINTS}
    assert page.status.visible


def test_in_the_static_page_the_button_asks_the_page_to_open_the_file() -> None:
    files = DataFiles(PlaygroundModel(), Registry(), page=True)
    assert not list(files.__panel__().select(TextFileInput))
    doc = Document()
    doc.add_root(files.__panel__().get_root(doc))
    (button,) = [b for b in doc.select({"type": BokehButton}) if b.label == LABEL]
    (callback,) = [cb for cbs in button.js_event_callbacks.values() for cb in cbs
                   if isinstance(cb, CustomJS)]
    assert "window.playgroundFiles[action](kind)" in callback.code
    assert (callback.args["action"], callback.args["kind"]) == ("open", "data")


# the file input ---------------------------------------------------------------------------------
def test_the_file_input_checks_the_size_in_the_browser_before_reading() -> None:
    widget = TextFileInput(accept=".csv", label="Data", max_bytes=123)
    root = widget.get_root(Document())
    assert 'type="file"' in root.html.replace("&quot;", '"')
    data = root.data
    assert (data.accept, data.label, data.max_bytes) == (".csv", "Data", 123)
    size_check = PICK.index("file.size > data.max_bytes")
    assert size_check < PICK.index("arrayBuffer")  # refused before it is read
    assert 'TextDecoder("utf-8", {fatal: true})' in PICK


def test_read_upload() -> None:
    assert read_upload("") is None
    assert read_upload("not json") is None
    assert read_upload("[1]") is None
    picked = read_upload(upload_message("a.csv", "1,2,3"))
    assert (picked.name, picked.size, picked.text, picked.error) == ("a.csv", 5, "1,2,3", None)
    assert read_upload(upload_message("a.csv", size=9, error="too_big")).error == "too_big"
    assert read_upload(json.dumps({"name": 3, "size": "x", "error": "??"})).error == "unreadable"
    assert read_upload(json.dumps({"name": "a", "size": 1})).error == "unreadable"


def test_on_file_callbacks_get_every_pick() -> None:
    widget = TextFileInput()
    got = []
    widget.on_file(got.append)
    widget.upload = upload_message("a.csv", "x", n=1)
    widget.upload = upload_message("a.csv", "x", n=2)
    widget.upload = ""
    assert [p.text for p in got] == ["x", "x"]
