"""The prerendered document is a deterministic function of the link: built twice, the same
models with the same ids, and a fingerprint that tells documents of other links apart."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import bokeh.util.serialization as serialization
import pytest
from bokeh.document import Document
from bokeh.document.events import ColumnDataChangedEvent, ModelChangedEvent
from bokeh.embed.util import standalone_docs_json_and_render_items

from playground.app import create_app
from playground.browser.bridge import WorkerBridge
from playground.browser.prerender import (
    ID_BASE,
    changed_by_quick_start,
    deterministic_ids,
    fingerprint,
    targets,
)


@pytest.fixture(autouse=True)
def _fresh_ids_afterwards() -> Iterator[None]:
    """Models made after this test get ids no model of these tests has."""
    yield
    serialization._simple_id = max(serialization._simple_id, ID_BASE) + 1_000_000


def built(query: str = "", fragment: str = ""):
    deterministic_ids()
    app = create_app(query=query, fragment=fragment, share=True)
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    return app, doc


def test_the_same_link_builds_the_same_document_ids_included() -> None:
    first, doc1 = built()
    second, doc2 = built()
    assert fingerprint(first, doc1) == fingerprint(second, doc2)
    assert targets(first) == targets(second)
    assert min(int(m.id[1:]) for m in doc1.models) > ID_BASE
    assert _without_callback_tags(doc1) == _without_callback_tags(doc2)


def _without_callback_tags(doc: Document) -> str:
    """The JSON of a document, less the Python object ids Panel tags its JS callbacks with
    (they differ from one interpreter to the next and the page does not read them) and the
    numbers of param's instance names ("Row00580": a count of the Rows this process made, the
    same in two fresh interpreters, not twice in one)."""
    docs, _ = standalone_docs_json_and_render_items(doc.roots, suppress_callback_warning=True)
    (doc_json,) = docs.values()
    text = json.dumps(doc_json["roots"], sort_keys=True)
    text = re.sub(r'"name": "([A-Za-z]+)\d{5}"', r'"name": "\1"', text)
    return re.sub(r'"tags": \[\[\d+, ', '"tags": [[0, ', text)


@pytest.mark.parametrize(("query", "fragment"), [
    ("", "dataset=spiral"), ("embed", ""), ("", "networkShape=4,3"), ("", "seed=2"),
])
def test_another_link_or_layout_has_another_fingerprint(query: str, fragment: str) -> None:
    default = fingerprint(*built())
    assert fingerprint(*built(query, fragment)) != default


def test_resend_sends_every_value_the_quick_start_may_have_changed() -> None:
    app, doc = built()
    bridge = WorkerBridge(doc)
    events: list = []
    doc.on_change(events.append)
    pairs = changed_by_quick_start(app)
    bridge.resend(pairs)
    assert len(events) == len(pairs)
    for event, (model, attr) in zip(events, pairs, strict=True):
        assert event.model is model
        if attr == "data":
            assert isinstance(event, ColumnDataChangedEvent)
            assert event.cols is None  # the whole source
        else:
            assert isinstance(event, ModelChangedEvent)
            assert (event.attr, event.new) == (attr, getattr(model, attr))
