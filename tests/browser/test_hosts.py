"""One painter, two hosts: the page the site build makes, painted by the browser host, shows
exactly what the Panel views show, for every painted target and bound widget.

Each test builds a pair: the Panel component for a link, rendered into its own Bokeh document
(as a notebook or `panel serve` shows it), and the built page's document (the default link's,
as the site ships it) painted by a PageWorker, with every patch applied by Bokeh's own
`apply_json_patch`. The learner's actions go to both the way each receives them: Bokeh model
changes and button clicks for Panel, the page's JSON patches for the worker.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from bokeh.core.serialization import Buffer, Serialized
from bokeh.document import Document

from playground.app import create_app
from playground.browser.host import Table
from playground.browser.patch import Patch
from playground.browser.worker import PageWorker
from playground.page import bokeh_model, page
from playground.painter.screen import Screen

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    return page()


@dataclass
class Pair:
    app: Any  # the Panel component
    panel_doc: Document
    page_doc: Document
    worker: PageWorker
    table: Table

    def panel_model(self, target: str):
        return self.panel_models[target]

    # the learner's actions, given to both hosts ---------------------------------------------
    def click(self, target: str) -> None:
        self.app.registry.targets[target].clicks += 1
        model = self.table.targets[target].id
        self.worker.patch({"events": [{"kind": "MessageSent", "msg_type": "bokeh_event",
                                       "msg_data": {"type": "event", "name": "button_click",
                                                    "values": {"type": "map", "entries": [
                                                        ["model", {"id": model}]]}}}]})

    def change(self, target: str, attr: str, value: Any) -> None:
        """The page sets `attr` of the target's model to `value` (as BokehJS would)."""
        setattr(self.panel_models[target], attr, value)
        model = self.table.targets[target].id
        setattr(self.page_doc.get_model_by_id(model), attr, value)
        self.worker.patch({"events": [{"kind": "ModelChanged", "model": {"id": model},
                                       "attr": attr, "new": value}]})

    def settle(self) -> None:
        self.worker.host.flush()


def make_pair(built: dict[str, Any], fragment: str = "") -> Pair:
    app = create_app(fragment=fragment, share=True, page=True)
    panel_doc = Document()
    root = app.__panel__().get_root(panel_doc)
    panel_doc.add_root(root)
    document = built["document"]
    (doc_json,) = json.loads(document["docs_json"]).values()
    page_doc = Document.from_json(doc_json)
    table = Table.from_json(built["table"])

    def send(patch: Patch) -> None:
        apply_as_bokehjs(patch, page_doc)
        sent.append(patch)

    sent: list[Patch] = []

    pair = Pair(app, panel_doc, page_doc, None, table)  # type: ignore[arg-type]
    pair.panel_models = {name: bokeh_model(obj, root)
                         for name, obj in app.registry.targets.items()}
    # flushed by the test (settle); the page here paints at once
    pair.worker = PageWorker("", fragment, table, send, lambda kind, data: None,
                             schedule=lambda: None, max_in_flight=10**9)
    pair.settle()
    return pair


def apply_as_bokehjs(patch: Patch, doc: Document) -> None:
    """Apply the patch's events one after another, as BokehJS does. BokehJS keeps a source's
    other columns when an event sets some of them (`cols`); Bokeh's Python `apply_json_patch`
    replaces the whole data: those columns are added first, as BokehJS has them then."""
    for event in patch.events:
        one = Patch()
        one.buffers = dict(patch.buffers)
        if event["kind"] == "ColumnDataChanged" and event["cols"] is not None:
            given = {k for k, _ in event["data"]["entries"]}
            data = doc.get_model_by_id(event["model"]["id"]).data
            entries = one._columns({k: v for k, v in data.items() if k not in given})
            event = {**event, "data": {"type": "map",
                                       "entries": event["data"]["entries"] + entries["entries"]}}
        one.events.append(event)
        buffers = [Buffer(k, bytes(v)) for k, v in one.buffers.items()]
        doc.apply_json_patch(Serialized(one.content(), buffers))


def painted_props(pair: Pair) -> dict[str, set[str]]:
    """target -> the properties the painter paints on it (Panel's names), and "value" for
    the bound widgets."""
    out: dict[str, set[str]] = {}
    for frame in Screen(pair.worker.model, lambda _frame: None).everything():
        for name, value in frame.items():
            if isinstance(value, dict):
                out.setdefault(name, set()).update(value)
    for binding in pair.table.fields:
        out.setdefault(binding.target, set()).add("value")
    return out


def differences(pair: Pair) -> list[str]:
    """Every painted property and source where the two documents differ."""
    out = []
    painted = painted_props(pair)
    for name, target in pair.table.targets.items():
        mine = pair.page_doc.get_model_by_id(target.id)
        theirs = pair.panel_models[name]
        if target.kind == "source":
            a, b = mine.data, theirs.data
            if set(a) != set(b):
                out.append(f"{name}: columns {sorted(a)} != {sorted(b)}")
                continue
            for column in a:
                if not same(a[column], b[column]):
                    out.append(f"{name}.{column} differs")
            continue
        for prop in painted.get(name, ()):
            attr = target.attr(prop)
            a, b = getattr(mine, attr), getattr(theirs, attr)
            if not same(a, b):
                out.append(f"{name}.{attr}: page {short(a)} != panel {short(b)}")
    return out


def same(a: Any, b: Any) -> bool:
    if {type(a), type(b)} <= {type(None), float} and all(
            v is None or v != v for v in (a, b)):
        return True  # no number: Panel's number field sends None as NaN, or keeps None
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                                       equal_nan=True))
        except (TypeError, ValueError):
            return False
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 120 else text[:117] + "..."


LINKS = ("", "dataset=xor&networkShape=6,3,2&activation=relu&learningRate=0.1&seed=7",
         "problem=regression&regDataset=reg-gauss&networkShape=3", "dataset=spiral3",
         "dataset=digits&networkShape=5", "hideText=true&lossChart_hide=true&playButton_hide=true"
         "&batchSize=7&showTestData=true&discretize=true")


@pytest.mark.parametrize("fragment", LINKS)
def test_the_first_frame_paints_the_built_page_as_the_views_show_the_link(
        built: dict[str, Any], fragment: str) -> None:
    pair = make_pair(built, fragment)
    assert differences(pair) == []


def test_training_and_settings_stay_equal(built: dict[str, Any]) -> None:
    pair = make_pair(built)
    for _ in range(3):
        pair.click("controls.step")
        pair.settle()
    assert differences(pair) == []
    pair.change("settings.learning_rate", "value", "0.3")
    pair.change("settings.activation", "value", "relu")
    pair.change("settings.features", "active", [0, 1, 2])
    pair.settle()
    assert pair.worker.model.state.learning_rate == pair.app.model.state.learning_rate == 0.3
    assert differences(pair) == []
    pair.click("shape.add_layer")
    pair.click("shape.layer0.add")
    pair.change("settings.show_test_data", "active", [0])
    pair.settle()
    assert differences(pair) == []
    pair.change("settings.problem", "value", "regression")
    pair.settle()
    assert differences(pair) == []


def test_taps_and_the_weight_editor_stay_equal(built: dict[str, Any]) -> None:
    pair = make_pair(built)
    pair.change("network.selection", "indices", [3])
    pair.settle()
    assert pair.worker.model.weights.index == pair.app.model.weights.index == 3
    assert differences(pair) == []
    pair.change("weights.value", "value", 1.25)
    pair.settle()
    assert differences(pair) == []
    pair.change("network.thumb_selection", "indices", [0])  # switches X1 off
    pair.settle()
    assert pair.worker.model.state.features == pair.app.model.state.features == ["x2"]
    assert differences(pair) == []


def test_the_step_through_stays_equal(built: dict[str, Any]) -> None:
    async def walk() -> None:
        pair = make_pair(built)
        for m in (pair.app.model, pair.worker.model):
            m.steps.frame_seconds = 0.001  # the animations end within the sleep below
        for _phase in range(5):
            pair.click("steps.next")
            await asyncio.sleep(0.05)  # both animations end
            pair.settle()
            assert differences(pair) == [], pair.worker.model.steps.phase
        pair.click("steps.leave")
        pair.settle()
        assert differences(pair) == []

    asyncio.run(walk())


def test_a_change_the_model_does_not_take_shows_the_same_on_both(built: dict[str, Any]) -> None:
    """Unticking every feature leaves the last ones on: both pages tick them again (Panel's
    from_param alone would leave its checkboxes unticked)."""
    pair = make_pair(built)
    pair.change("settings.features", "active", [])
    pair.settle()
    assert pair.worker.model.state.features == pair.app.model.state.features == ["x1", "x2"]
    assert pair.panel_model("settings.features").active == [0, 1]
    assert differences(pair) == []
