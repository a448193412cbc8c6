"""The worker bridge merges a batch's data events per source, so the page never sees a source
whose columns have different lengths."""

from __future__ import annotations

from bokeh.document import Document
from bokeh.document.events import ColumnDataChangedEvent, ColumnsStreamedEvent
from bokeh.models import ColumnDataSource

from playground.browser.bridge import coalesce


def _events_of(doc: Document, action) -> list:
    events: list = []
    doc.on_change(events.append)
    action()
    return events


def test_a_column_update_then_a_replacement_become_one_event_with_every_column() -> None:
    doc = Document()
    source = ColumnDataSource(data={"x": [1, 2], "text": ["a", "b"]})
    doc.add_root(source)

    def change() -> None:
        source.data.update(text=["", ""])  # the old length ...
        source.data = {"x": [1, 2, 3], "text": ["", "", ""]}  # ... then a new one

    events = _events_of(doc, change)
    assert len(events) == 2
    merged = coalesce(events)
    assert len(merged) == 1
    assert isinstance(merged[0], ColumnDataChangedEvent)
    assert merged[0].cols is None  # the whole source, at its current length


def test_column_updates_merge_their_columns_and_keep_other_events_in_order() -> None:
    doc = Document()
    a = ColumnDataSource(data={"x": [1], "y": [2], "z": [3]})
    b = ColumnDataSource(data={"x": [1]})
    doc.add_root(a)
    doc.add_root(b)

    def change() -> None:
        a.data.update(x=[5])
        b.stream({"x": [2]})
        a.data.update(y=[6])

    merged = coalesce(_events_of(doc, change))
    assert [type(e) for e in merged] == [ColumnsStreamedEvent, ColumnDataChangedEvent]
    assert merged[1].model is a
    assert merged[1].cols == ["x", "y"]


def test_events_of_other_kinds_pass_through_untouched() -> None:
    doc = Document()
    source = ColumnDataSource(data={"x": [1]})
    doc.add_root(source)
    events = _events_of(doc, lambda: source.stream({"x": [2]}))
    assert coalesce(events) == events
