"""Open your own data: a CSV file of x1, x2, label, trained on instead of the chosen dataset.

The file is read in the browser (a file over the size limit is not read at all, see
file_input.py) and handed to `Session.open_csv`, which refuses anything it cannot use with a
reason and keeps the data and weights as they were. While your data is in use, a status line
says so, and that the link to the page cannot carry the points (whoever opens it gets the
chosen dataset); "Back to <dataset>" returns to it, as does choosing another dataset.
"""

from __future__ import annotations

import html

import numpy as np
import panel as pn
import param

from playground.experiment import USER_DATASET
from playground.model.session import MAX_CSV_BYTES, Session, csv_size_problem
from playground.views.file_input import PickedFile, TextFileInput
from playground.views.settings import DATASET_LABELS

LABEL = "Open your own data (CSV: x1, x2, label)"
VIEW_EXTENT = 6.0  # the output view shows [-6, 6]^2
REFUSED = {"not_text": "The file is not a CSV file: it is not text.",
           "unreadable": "The browser could not read the file."}


class DataFiles(pn.viewable.Viewer):
    """A file input for CSV data, what happened to the last file, and a way back."""

    session = param.ClassSelector(class_=Session)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._label = pn.pane.HTML(LABEL, margin=(4, 8, 0, 8))
        self.open = TextFileInput(accept=".csv,text/csv", label=LABEL, max_bytes=MAX_CSV_BYTES,
                                  height=48, sizing_mode="stretch_width", margin=(4, 8))
        self.open.on_file(self._on_file)
        self.result = pn.pane.HTML("", css_classes=["pg-data-file"], margin=(0, 8),
                                   sizing_mode="stretch_width")
        self.status = pn.pane.HTML("", css_classes=["pg-user-data"], margin=(0, 8),
                                   sizing_mode="stretch_width", visible=False)
        self.back = pn.widgets.Button(name="Back to the dataset", height=44, visible=False,
                                      sizing_mode="stretch_width", margin=(4, 8))
        self.back.on_click(lambda _: self.session.clear_user_data())
        self.session.param.watch(self._show_user_data, ["user_data", "topology"])
        self.session.state.param.watch(self._show_user_data, ["dataset", "reg_dataset",
                                                              "problem"])
        self._show_user_data()

    def _on_file(self, picked: PickedFile) -> None:
        if picked.error == "too_big":
            message = csv_size_problem(picked.size) or REFUSED["unreadable"]
        elif picked.error is not None:
            message = REFUSED.get(picked.error, REFUSED["unreadable"])
        else:
            message = self.session.open_csv(picked.text or "", picked.name)
        if message is not None:
            self.show(f"{_name(picked.name)}{message} The data and weights are unchanged.")
        else:
            self.show("")

    def show(self, message: str) -> None:
        """Show `message` as plain text (read out by screen readers)."""
        self.result.object = (f'<p role="status" aria-live="polite">{html.escape(message)}'
                              "</p>") if message else ""

    def _show_user_data(self, *_events: param.parameterized.Event) -> None:
        user = self.session.user_data
        state = self.session.state
        dataset = DATASET_LABELS.get(state.active_dataset(), state.active_dataset())
        self.back.name = f"Back to {dataset}"
        self.back.visible = self.status.visible = user is not None
        if user is None:
            self.status.object = ""
            return
        experiment = self.session.loop.trainer.context
        if experiment.config.dataset != USER_DATASET:
            return  # the new experiment is on its way (topology follows)
        data = experiment.dataset
        points = np.array(user.points)[:, :2]
        outside = bool(np.any(np.abs(points) > VIEW_EXTENT))
        text = (f"Training on your data{': ' + user.name if user.name else ''}: {len(user)} "
                f"points ({len(data.x_train)} to train on, {len(data.x_test)} to test). "
                f"A link to this page cannot hold them: it opens the {dataset} dataset.")
        if outside:
            text += f" Points beyond ±{VIEW_EXTENT:g} are outside the output view."
        self.status.object = f"<p>{html.escape(text)}</p>"

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self._label, self.open, self.result, self.status, self.back,
                         sizing_mode="stretch_width", margin=0)


def _name(name: str) -> str:
    """The file's name as a message's prefix ("points.csv: "), short and printable."""
    name = "".join(c if c.isprintable() else "?" for c in name)
    if len(name) > 60:
        name = name[:59] + "…"
    return f"{name}: " if name else ""
