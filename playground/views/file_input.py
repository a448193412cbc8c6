"""A file input that reads a text file in the browser and hands Python its text.

Panel's FileInput reads every file whole, base64-encodes it and sends it to Python, whatever its
size: a 50 MB file would cross into the worker and be decoded there before Python could refuse
it. This input checks the file's size in the browser first: a file over `max_bytes` is never
read, and Python only hears its name and size. A file that is not valid UTF-8 is refused in the
browser too. What the browser sends is one JSON message in `upload`:
{"name", "size", "n"} plus "text", or "error" ("too_big", "not_text", "unreadable");
`on_file` callbacks get it as a `PickedFile` (playground.model.files). The static page does
not use this widget: its page reads files itself (site/js/files.js).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import param
from panel.reactive import ReactiveHTML

from playground.model.files import PickedFile

# Runs in the page when a file is picked. `input` is the element, `data` the synced model.
PICK = """
const file = input.files && input.files[0];
if (!file) { return; }
input.value = "";  // picking the same file again is a new pick
const sent = {name: file.name, size: file.size, n: Date.now()};
const send = () => { data.upload = JSON.stringify(sent); };
if (file.size > data.max_bytes) { sent.error = "too_big"; send(); return; }
file.arrayBuffer().then((buffer) => {
  try {
    sent.text = new TextDecoder("utf-8", {fatal: true}).decode(buffer);
  } catch (err) {
    sent.error = "not_text";
  }
  send();
}, () => { sent.error = "unreadable"; send(); });
"""

STYLE = ("input { min-height: 44px; box-sizing: border-box; width: 100%; font: inherit; }"
         " input::file-selector-button { min-height: 38px; }")


class TextFileInput(ReactiveHTML):
    """`<input type=file>` that sends Python the text of a picked file of at most
    `max_bytes` bytes, or says why not (see the module's docstring)."""

    accept = param.String(default="", doc="File types offered, e.g. '.csv,text/csv'.")
    label = param.String(default="", doc="The input's accessible name.")
    max_bytes = param.Integer(default=1024 * 1024, bounds=(0, None))
    upload = param.String(default="", doc="Set by the page: the picked file, as JSON.")

    _template = ('<input type="file" id="input" accept="${accept}" aria-label="${label}" '
                 "onchange=\"${script('pick')}\"></input>")
    _scripts = {"pick": PICK}  # noqa: RUF012 (Panel's class-level declaration)

    def __init__(self, **params) -> None:
        params.setdefault("stylesheets", [STYLE])
        super().__init__(**params)
        self._callbacks: list[Callable[[PickedFile], None]] = []
        self.param.watch(self._on_upload, "upload")

    def on_file(self, callback: Callable[[PickedFile], None]) -> None:
        """Call `callback(picked)` for every file picked."""
        self._callbacks.append(callback)

    def _on_upload(self, event: param.parameterized.Event) -> None:
        picked = read_upload(event.new)
        if picked is None:
            return
        for callback in self._callbacks:
            callback(picked)


def read_upload(text: str) -> PickedFile | None:
    """The page's JSON message as a PickedFile (None if empty or not one)."""
    try:
        return PickedFile.from_message(json.loads(text)) if text else None
    except ValueError:
        return None


def upload_message(name: str, text: str | None = None, size: int | None = None,
                   error: str | None = None, n: int = 0) -> str:
    """The JSON the page sends for a picked file (for tests and scripts)."""
    size = len(text.encode()) if size is None and text is not None else (size or 0)
    msg: dict = {"name": name, "size": size, "n": n}
    if error is not None:
        msg["error"] = error
    else:
        msg["text"] = text
    return json.dumps(msg)
