"""Save your work: download the trained model as JSON, and open one saved before (here or by
the command line's `--save`).

The file input checks the size in the browser (file_input.TextFileInput): a file over the
saved-model limit is refused without being read, and one that is not UTF-8 text too; the rest
is checked by `Session.load_model_json`, which changes nothing unless the model opens."""

from __future__ import annotations

import html
import io

import panel as pn
import param

from playground.model.session import MAX_MODEL_BYTES, Session
from playground.views.file_input import PickedFile, TextFileInput

BUTTON = {"height": 44, "sizing_mode": "stretch_width", "margin": (4, 8)}
OPEN_LABEL = "Open a saved model"
REFUSED = {"too_big": (f"The file is too big for a saved model (more than "
                       f"{MAX_MODEL_BYTES // 2**20} MB)."),
           "not_text": "The file is not a saved model: it is not text.",
           "unreadable": "The browser could not read the file."}


def model_filename(epoch: int) -> str:
    return f"playground-model-epoch-{epoch}.json"


class ModelFiles(pn.viewable.Viewer):
    """A "Save model (JSON)" button and an "Open a saved model" file input, with what
    happened (a file's own text is shown escaped, never as HTML or Markdown)."""

    session = param.ClassSelector(class_=Session)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.save = pn.widgets.FileDownload(
            label="Save model (JSON)", callback=self._download,
            filename=model_filename(self.session.loop.epoch), **BUTTON)
        self._open_label = pn.pane.HTML(OPEN_LABEL, margin=(4, 8, 0, 8))
        self.open = TextFileInput(accept=".json,application/json", label=OPEN_LABEL,
                                  max_bytes=MAX_MODEL_BYTES, height=48,
                                  sizing_mode="stretch_width", margin=(4, 8))
        self.result = pn.pane.HTML("", css_classes=["pg-model-file"], margin=(0, 8),
                                   sizing_mode="stretch_width")
        self.open.on_file(self._on_file)

    def _download(self) -> io.StringIO:
        text = self.session.model_json()
        self.save.filename = model_filename(self.session.loop.epoch)
        return io.StringIO(text)

    def _on_file(self, picked: PickedFile) -> None:
        if picked.error is not None:
            self.show(REFUSED.get(picked.error, REFUSED["unreadable"]))
            return
        self.open_text(picked.text or "")

    def open_text(self, text: str | bytes) -> None:
        """Open a saved model's text (what picking its file does) and say what happened."""
        error = self.session.load_model_json(text)
        self.show(error or f"Opened the model saved at epoch {self.session.loop.epoch}.")

    def show(self, message: str) -> None:
        """Show `message` as plain text (read out by screen readers)."""
        self.result.object = (f'<p role="status" aria-live="polite">{html.escape(message)}'
                              "</p>") if message else ""

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.save, self._open_label, self.open, self.result,
                         sizing_mode="stretch_width")
