"""Keeps the worker's Bokeh document and the page's in sync: batched, acknowledged, in order.

Panel's stock worker protocol sends one message per Bokeh event, applies incoming patches
asynchronously (two close clicks can overwrite each other) and has no backpressure. This bridge
  * collects every document change made during one turn of the event loop and sends it as one
    message (a training refresh touches several models: one message, binary numpy buffers);
  * applies each patch from the page synchronously, in arrival order, so no click is lost;
  * counts messages the page has not yet painted (`ready()`), so the training loop can skip a
    view refresh instead of queueing seconds of stale frames on a slow tablet;
  * coalesces a batch's data events per source (see `coalesce`).
Only imported inside the Pyodide worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class WorkerBridge:
    """The worker end of the page <-> worker document link."""

    def __init__(self, doc: Any, max_in_flight: int = 1) -> None:
        self.doc = doc
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self._events: list[Any] = []
        self._flush_scheduled = False
        self._send: Callable[[Any, Any], None] | None = None

    # page -> worker -------------------------------------------------------------------------
    def apply(self, patch: Any) -> None:
        """Apply one patch from the page, now (the user's click must not wait or be lost)."""
        from panel.io.pyodide import _convert_json_patch

        self.doc.apply_json_patch(_convert_json_patch(patch), setter="js")

    def ack(self) -> None:
        """The page painted a patch we sent."""
        self.in_flight = max(0, self.in_flight - 1)

    def ready(self) -> bool:
        """True when the page has caught up, so a new view refresh is worth sending."""
        return self._send is not None and self.in_flight < self.max_in_flight

    # worker -> page -------------------------------------------------------------------------
    def link(self, send: Callable[[Any, Any], None]) -> None:
        """Start forwarding document changes to the page (after it embedded the document)."""
        from bokeh.events import DocumentReady

        self._send = send
        self.doc.on_change(self._on_change)
        self.doc.unhold()
        self.doc.callbacks.trigger_event(DocumentReady())

    def resend(self, attributes: list[tuple[Any, str]]) -> None:
        """Send these (model, attribute) values again, changed or not: the page's copies may
        have been changed by someone else (the quick start)."""
        from bokeh.document.events import ColumnDataChangedEvent, ModelChangedEvent

        for model, attr in attributes:
            if attr == "data" and hasattr(model, "stream"):
                event = ColumnDataChangedEvent(self.doc, model, "data")
            else:
                event = ModelChangedEvent(self.doc, model, attr, getattr(model, attr))
            self.doc.callbacks.trigger_on_change(event)

    def _on_change(self, event: Any) -> None:
        if getattr(event, "setter", None) == "js":
            return  # the page made this change; do not echo it back
        self._events.append(event)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_event_loop().call_soon(self.flush)

    def flush(self) -> None:
        """Send every change collected so far as one message."""
        import js
        import pyodide.ffi
        from panel.io.pyodide import _dict_converter, _process_document_events

        self._flush_scheduled = False
        events, self._events = self._events, []
        if not events or self._send is None:
            return
        patch, buffers = _process_document_events(self.doc, coalesce(events))
        self.in_flight += 1
        self._send(
            pyodide.ffi.to_js(patch, dict_converter=_dict_converter),
            js.Map.new(pyodide.ffi.to_js(buffers)),
        )


def coalesce(events: list[Any]) -> list[Any]:
    """One ColumnDataChanged event per source, at the place of its last one.

    Bokeh serializes such an event with the source's data as it is when the batch is sent,
    not as it was when the event happened. A batch that updates one column and later replaces
    the whole source (a new network shape) would otherwise send that column at its new length
    first, while the page's other columns still have the old one: BokehJS throws "Size
    mismatch". Merged, the source's columns arrive together, all at the current length.
    """
    from bokeh.document.events import ColumnDataChangedEvent

    merged: dict[int, tuple[int, set[str] | None]] = {}  # id(model) -> (last index, columns)
    for i, event in enumerate(events):
        if isinstance(event, ColumnDataChangedEvent) and event.data is None:
            _, cols = merged.get(id(event.model), (i, set()))
            if cols is not None:
                cols = None if event.cols is None else cols | set(event.cols)
            merged[id(event.model)] = (i, cols)
    out = []
    for i, event in enumerate(events):
        entry = merged.get(id(getattr(event, "model", None)))
        if entry is None or not isinstance(event, ColumnDataChangedEvent) or event.data is not None:
            out.append(event)
        elif entry[0] == i:
            cols = entry[1]
            out.append(ColumnDataChangedEvent(event.document, event.model, event.attr,
                                              cols=None if cols is None else sorted(cols),
                                              setter=event.setter,
                                              callback_invoker=event.callback_invoker))
    return out


def take_over(result: dict[str, Any], send: Callable[[Any, Any], None],
              trainer: Any = None, running: bool = False) -> None:
    """The page kept its prerendered document (result["adopt"]): link it, and go on with the
    quick start's trainer (a pickle, as bytes or a JS ArrayBuffer; None if there was no quick
    start). Everything the quick start drew is drawn again from here, so the page and this
    document agree."""
    import pickle

    from playground.browser.prerender import changed_by_quick_start

    bridge, app = result["bridge"], result["app"]
    bridge.link(send)
    if trainer is not None:
        data = trainer.to_bytes() if hasattr(trainer, "to_bytes") else bytes(trainer)
        app.loop.adopt(pickle.loads(data), running=bool(running))
    bridge.resend(changed_by_quick_start(app))


async def start_worker_app(query: str = "", fragment: str = "",
                           send_url: Callable[[str], None] | None = None,
                           prerendered: str | None = None) -> dict[str, Any]:
    """Build the app in the worker's document; return what the page needs to render it.

    query and fragment: the page's URL (`?embed`, the settings hash); send_url(hash) is called
    with the new hash whenever a setting changes, so the address bar always holds the link.
    prerendered: the fingerprint of the prerendered document the page shows, if it shows one.
    When it is this document's, the result says "adopt" and carries no document: the page
    keeps the one it has (the same models, the same ids), and nothing is serialized or drawn
    again. Otherwise it carries docs_json, render_items and root_ids to render.
    """
    from panel.io.pyodide import init_doc, write_doc
    from panel.io.state import state

    from playground.browser.prerender import deterministic_ids, fingerprint

    init_doc()
    deterministic_ids()
    from playground.app import create_app

    bridge = WorkerBridge(state.curdoc)
    app = create_app(ready=bridge.ready, query=query, fragment=fragment, share=True)
    app.loop.send_now = bridge.flush
    if send_url is not None:
        app.on_url(send_url)
    app.servable()
    result = {"bridge": bridge, "app": app, "fingerprint": fingerprint(app, state.curdoc)}
    if prerendered is not None and prerendered == result["fingerprint"]:
        # As write_doc does: no more mock server session (its document lock is a no-op that
        # playground.model.sync.locked would wait on).
        state.curdoc._session_context = None
        return result | {"adopt": True}
    docs_json, render_items, root_ids = await write_doc()
    return result | {"adopt": False, "docs_json": docs_json, "render_items": render_items,
                     "root_ids": root_ids}
