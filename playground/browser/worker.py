"""The page's worker, in Python: the playground for the page's link, painting the page the
build made (site/js/worker.js starts it with `start` and forwards the page's messages).

No Panel and no Bokeh are imported here or below: the worker loads numpy, param and this
package only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playground.browser.host import BrowserHost, Table
from playground.browser.patch import Patch
from playground.model.files import PickedFile
from playground.model.playground import PlaygroundModel
from playground.painter.screen import Screen


class PageWorker:
    """One page's playground: `send(patch)` paints the page, `post(kind, data)` tells it
    anything else (its new hash, a model file to download)."""

    def __init__(self, query: str, fragment: str, table: Table,
                 send: Callable[[Patch], None], post: Callable[[str, dict], None],
                 **host: Any) -> None:
        self.post = post
        self.model = m = PlaygroundModel.from_url(query, fragment, share=True)
        self.host = BrowserHost(table, m, send, **host)
        m.loop.ready = self.host.ready
        m.loop.send_now = self.host.flush
        self.screen = Screen(m, self.host.apply)
        self.screen.all()
        self.host.paint_fields()
        self.host.flush()  # the link's first frame, at once
        m.on_url(lambda text: post("url", {"hash": text}))

    # what the page says ---------------------------------------------------------------------
    def patch(self, patch: dict[str, Any], buffers: dict[str, bytes] | None = None) -> None:
        """The learner changed something on the page (a Bokeh patch of its document)."""
        self.host.handle(patch, buffers)

    def ack(self) -> None:
        self.host.ack()

    def open_link(self, fragment: str) -> None:
        self.model.open_link(fragment)

    def file(self, kind: str, message: dict[str, Any]) -> None:
        """A file the learner picked: a saved model ("model") or their data ("data")."""
        picked = PickedFile.from_message(message)
        if picked is None:
            return
        files = self.model.files
        (files.open_model if kind == "model" else files.open_data)(picked)

    def save(self) -> None:
        """Save model: the page downloads what this posts."""
        name, text = self.model.files.save_model()
        self.post("download", {"name": name, "text": text})


# Pyodide's side: JavaScript values in and out ---------------------------------------------------
def start(query: str, fragment: str, table: Any, send_patch: Any, post: Any) -> Any:
    """Called by site/js/worker.js: the PageWorker for the page, its methods as JS functions.

    table: the build's table (JSON text); send_patch(patch, buffers) and post(kind, data) are
    JS functions."""
    import js
    from pyodide.ffi import to_js

    def send(patch: Patch) -> None:
        buffers = js.Map.new()
        for key, view in patch.buffers.items():
            array = js.Uint8Array.new(len(view))
            array.assign(view)
            buffers.set(key, array.buffer)
        send_patch(to_js(patch.content(), dict_converter=js.Object.fromEntries), buffers)

    def tell(kind: str, data: dict) -> None:
        post(kind, to_js(data, dict_converter=js.Object.fromEntries))

    worker = PageWorker(query, fragment, Table.from_json(json.loads(table)), send, tell)

    def patch(message: Any) -> None:
        content = message.patch.to_py()
        buffers = None
        if getattr(message, "buffers", None) is not None:
            buffers = {k: bytes(v.to_py()) for k, v in message.buffers.to_py().items()}
        worker.patch(content, buffers)

    def file(kind: str, message: Any) -> None:
        worker.file(kind, message.to_py())

    return to_js({"patch": patch, "ack": worker.ack, "open_link": worker.open_link,
                  "file": file, "save": worker.save}, dict_converter=js.Object.fromEntries)
