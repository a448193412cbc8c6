"""Save your work: download the trained model as JSON, and open one saved before (here or by
the command line's `--save`)."""

from __future__ import annotations

import html
import io

import panel as pn
import param

from playground.ui.session import Session

BUTTON = {"height": 44, "sizing_mode": "stretch_width", "margin": (4, 8)}
# The browser's file button inside the input, as tall as the other buttons (tablets).
TALL_FILE_BUTTON = ("input[type=file] { min-height: 44px; }"
                    " input[type=file]::file-selector-button { min-height: 38px; }")


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
        self._open_label = pn.pane.HTML("Open a saved model", margin=(4, 8, 0, 8))
        self.open = pn.widgets.FileInput(accept=".json,application/json",
                                         stylesheets=[TALL_FILE_BUTTON], **BUTTON)
        self.result = pn.pane.HTML("", css_classes=["pg-model-file"], margin=(0, 8),
                                   sizing_mode="stretch_width")
        self.open.param.watch(self._on_file, "value")

    def _download(self) -> io.StringIO:
        text = self.session.model_json()
        self.save.filename = model_filename(self.session.loop.epoch)
        return io.StringIO(text)

    def _on_file(self, event: param.parameterized.Event) -> None:
        if event.new is None:
            return
        error = self.session.load_model_json(event.new)
        self.show(error or f"Opened the model saved at epoch {self.session.loop.epoch}.")
        self.open.value = None  # the same file can be opened again
        self.open.clear()

    def show(self, message: str) -> None:
        """Show `message` as plain text (read out by screen readers)."""
        self.result.object = (f'<p role="status" aria-live="polite">{html.escape(message)}'
                              "</p>") if message else ""

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.save, self._open_label, self.open, self.result,
                         sizing_mode="stretch_width")
