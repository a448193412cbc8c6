"""The quick start draws what the full app draws, in patches Bokeh itself would write.

The quick start trains before Panel and Bokeh exist in the page, changing the prerendered
document through hand-written Bokeh patches. Here its patches are applied to a real document
of the full app, and the result must equal what the app's own views draw after the same
training steps; its patches' format must equal Bokeh's serializer's.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import numpy as np
import panel as pn
import pytest
from bokeh.core.serialization import Buffer, Deserializer, Serialized
from bokeh.document import Document
from bokeh.models import ColumnDataSource, Div, Range1d
from bokeh.protocol import Protocol

from playground.app import create_app
from playground.browser.prerender import changed_by_quick_start, target_models, targets
from playground.browser.quick import CHANGES, COMMANDS, ROLES, Patch, QuickStart, str_pane_text


def rendered(query: str = "", fragment: str = ""):
    app = create_app(query=query, fragment=fragment, share=True)
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    return app, doc


def apply(doc: Document, patch: Patch) -> None:
    """Apply a patch as BokehJS does (Bokeh's Python side replaces a source's whole data on
    a ColumnDataChanged event even when it names its columns; BokehJS merges them in)."""
    buffers = [Buffer(id=k, data=bytes(v)) for k, v in patch.buffers.items()]
    content = Deserializer(list(doc.models)).deserialize(
        Serialized(content=patch.content(), buffers=buffers))
    for event in content["events"]:
        model, kind = event["model"], event["kind"]
        if kind == "ColumnDataChanged":
            data = event["data"]
            model.data = data if event["cols"] is None else {**model.data, **data}
        elif kind == "ColumnsStreamed":
            model.stream(event["data"])
        else:
            assert kind == "ModelChanged"
            setattr(model, event["attr"], event["new"])


def values(app) -> dict[str, object]:
    """Everything the quick start may change, as the app's models hold it."""
    models = target_models(app)
    out = {}
    for role, attrs in CHANGES.items():
        for attr in attrs:
            value = getattr(models[role], attr)
            out[f"{role}.{attr}"] = dict(value) if attr == "data" else value
    assert len(out) == len(changed_by_quick_start(app))
    return out


def assert_same(mine: dict, theirs: dict) -> None:
    assert mine.keys() == theirs.keys()
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert mine[key].keys() == value.keys(), key
            for col, column in value.items():
                a, b = mine[key][col], column
                if isinstance(b, list):  # a column of images
                    assert len(a) == len(b), (key, col)
                    for x, y in zip(a, b, strict=True):
                        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
                else:
                    np.testing.assert_array_equal(np.asarray(a, dtype=float),
                                                  np.asarray(b, dtype=float), err_msg=key + col)
        else:
            assert mine[key] == value, key


@pytest.mark.parametrize("steps", [1, 30])
def test_patches_applied_to_the_page_draw_what_the_full_app_draws(steps: int) -> None:
    page_app, page = rendered()  # stands for the prerendered document in the page
    quick = QuickStart("", targets(page_app), send=lambda patch: apply(page, patch))
    full, _ = rendered()  # the app, trained alike
    for _ in range(steps):
        quick.command("step")
        full.loop.step()
    assert quick.loop.epoch == full.loop.epoch == steps
    assert_same(values(page_app), values(full))
    assert page_app.loop.epoch == 0  # only the page's models changed, not its app


def test_play_then_pause_label_the_button_and_refresh_the_page() -> None:
    import asyncio

    page_app, page = rendered()
    play = target_models(page_app)["play"]
    labels: list[str] = []
    quick = QuickStart("", targets(page_app), send=lambda patch: (
        apply(page, patch), labels.append(play.label), quick.ack()))

    async def run() -> None:
        quick.command("play")
        await asyncio.sleep(0.3)
        quick.command("play")

    asyncio.run(run())
    assert labels[0] == "Pause"  # shown with the first epoch
    assert play.label == "Play"
    assert quick.loop.epoch > 1
    assert target_models(page_app)["epoch"].text == str_pane_text(f"Epoch {quick.loop.epoch}")


def test_a_page_that_does_not_paint_gets_no_more_patches_and_training_goes_on() -> None:
    import asyncio

    page_app, _ = rendered()
    sent: list[Patch] = []
    quick = QuickStart("", targets(page_app), send=sent.append)  # never acknowledges

    async def run() -> None:
        quick.command("play")
        await asyncio.sleep(0.3)

    asyncio.run(run())
    assert len(sent) == 1  # the first epoch; then the page is behind: refreshes skipped
    assert quick.loop.trainer.epoch > 5  # (what the page was last shown stays at 1)
    assert not quick.ready()
    quick.ack()
    assert quick.ready()


def test_handover_stops_and_gives_a_trainer_that_continues_the_run() -> None:
    page_app, _ = rendered()
    quick = QuickStart("", targets(page_app), send=lambda patch: quick.ack())
    for _ in range(5):
        quick.command("step")
    data, running = quick.handover()
    assert not running
    full, _ = rendered()
    full.loop.adopt(pickle.loads(data))
    assert full.loop.epoch == 5
    quick.command("step")  # after the handover, the quick start obeys nothing
    assert quick.loop.epoch == 5


def test_reset_starts_over_and_unknown_commands_are_refused() -> None:
    page_app, page = rendered()
    quick = QuickStart("", targets(page_app), send=lambda patch: apply(page, patch))
    for _ in range(3):
        quick.command("step")
    quick.command("reset")
    assert quick.loop.epoch == 0
    full, _ = rendered()
    assert_same(values(page_app), values(full))  # the untrained network, curve and all
    with pytest.raises(ValueError, match="unknown command"):
        quick.command("explode")


def test_the_targets_are_every_role_and_button() -> None:
    app, _ = rendered()
    found = targets(app)
    assert set(ROLES) | set(COMMANDS) <= set(found)
    assert len(set(found.values())) == len(found)  # one model per role
    with pytest.raises(ValueError, match="lacks loss"):
        QuickStart("", {k: v for k, v in found.items() if k != "loss"}, send=print)


@pytest.mark.parametrize("text", ["", "Epoch 3", "Train loss –", "a <b> & c"])
def test_readouts_are_written_as_panels_str_pane_writes_them(text: str) -> None:
    pane = pn.pane.Str(text)
    model = pane.get_root(Document())
    assert str_pane_text(text) == model.text


def _normal(content: dict, data: dict) -> str:
    """A patch's JSON with each buffer reference replaced by the buffer's bytes, and columns
    in name order (which BokehJS does not care about)."""
    def walk(obj):
        if isinstance(obj, dict):
            if set(obj) == {"id"} and obj["id"] in data:
                return bytes(data[obj["id"]]).hex()
            if obj.get("type") == "map":
                return {"type": "map", "entries": sorted(walk(obj["entries"]))}
            if isinstance(obj.get("cols"), list):
                obj = {**obj, "cols": sorted(obj["cols"])}
            return {k: walk(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [walk(v) for v in obj]
        return obj
    return json.dumps(walk(content), sort_keys=True)


def test_patches_are_in_bokehs_own_wire_format() -> None:
    doc = Document()
    source = ColumnDataSource(data={"w": np.zeros(3), "image": [np.zeros((2, 2), "f4")] * 3})
    axis, div = Range1d(0, 1), Div(text="a")
    for model in (source, axis, div):
        doc.add_root(model)
    w, image = np.arange(3.0), [np.full((2, 2), i, "f4") for i in range(3)]
    one = {"w": np.array([5.0]), "image": [np.ones((2, 2), "f4")]}
    changes = [  # (what Bokeh is told, what the quick start writes)
        (lambda: source.data.update(w=w, image=image),
         lambda p: p.columns(source.id, {"w": w, "image": image})),
        (lambda: source.stream(one), lambda p: p.stream(source.id, one)),
        (lambda: setattr(source, "data", {"w": np.arange(2.0), "image": image[:2]}),
         lambda p: p.columns(source.id, {"w": np.arange(2.0), "image": image[:2]},
                             replace=True)),
        (lambda: setattr(axis, "end", 5.0), lambda p: p.set(axis.id, "end", 5.0)),
        (lambda: setattr(div, "text", "b"), lambda p: p.set(div.id, "text", "b")),
    ]
    for tell_bokeh, write in changes:
        events: list = []
        doc.on_change(events.append)
        tell_bokeh()
        doc.remove_on_change(events.append)
        theirs = Protocol().create("PATCH-DOC", events)  # serialized now, as the bridge does
        bokeh_json = json.loads(json.dumps(theirs.content, default=lambda b: b.ref))
        mine = Patch()
        write(mine)
        assert _normal(mine.content(), mine.buffers) == _normal(
            bokeh_json, {b.id: b.to_bytes() for b in theirs.buffers})


def test_the_quick_start_imports_neither_panel_nor_bokeh() -> None:
    code = ("import sys, playground.browser.quick; "
            "print(sorted(m for m in ('panel', 'bokeh') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
