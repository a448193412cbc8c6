"""The smaller panels: edit one weight by hand, open and save files, and the step-through.

Files: in the static page the browser itself reads a picked file and downloads a saved model
(site/js/files.js; the buttons here only call it), since no Python runs behind the page's
document there; in a notebook or under `panel serve`, Panel's own widgets do it
(`page=False`). Either way the file goes to playground.model.files.
"""

from __future__ import annotations

import io

import panel as pn

from playground.model.files import LIMITS
from playground.model.playground import PlaygroundModel
from playground.painter import panels as painted
from playground.painter import steps as steps_painted
from playground.views.file_input import TextFileInput
from playground.views.host import Registry

SELECT_CSS = "select.bk-input { min-height: 44px; }"
BUTTON = {"height": 44, "sizing_mode": "stretch_width", "margin": (4, 8)}
# A button of the static page that asks the page to do what only the browser can.
PAGE_ACTION = "if (window.playgroundFiles) { window.playgroundFiles[action](kind); }"


class WeightEditor(pn.viewable.Viewer):
    """The chosen weight in a number field (tap its line, or choose it from the list)."""

    def __init__(self, model: PlaygroundModel, registry: Registry, **params) -> None:
        super().__init__(**params)
        weights = model.weights.param
        self.hint = registry.add(painted.HINT, pn.pane.HTML(
            f"<p>{painted.HINT_TEXT}</p>", margin=(4, 8), sizing_mode="stretch_width"))
        # The same choice without a pointer: every line of the drawing, by its two ends.
        self.choose = registry.field(painted.CHOOSE, pn.widgets.Select, weights.index,
                                     options={"(none)": -1}, sizing_mode="stretch_width",
                                     max_width=420, margin=(0, 8), stylesheets=[SELECT_CSS])
        self.value = registry.field(painted.VALUE, pn.widgets.FloatInput, weights.value,
                                    step=0.1, width=220, height=60, visible=False,
                                    margin=(0, 8))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.hint, self.choose, self.value, sizing_mode="stretch_width")


def page_button(label: str, action: str, kind: str) -> pn.widgets.Button:
    """A button that has the page open a file of `kind` (action "open") or save (action
    "save")."""
    button = pn.widgets.Button(name=label, **BUTTON)
    button.js_on_click(args={"action": action, "kind": kind}, code=PAGE_ACTION)
    return button


class ModelFiles(pn.viewable.Viewer):
    """"Save model (JSON)" and "Open a saved model", with what happened."""

    def __init__(self, model: PlaygroundModel, registry: Registry, page: bool = True,
                 **params) -> None:
        super().__init__(**params)
        files = model.files
        if page:
            self.save = page_button("Save model (JSON)", "save", "model")
            self.open = page_button("Open a saved model", "open", "model")
        else:
            def download() -> io.StringIO:
                name, text = files.save_model()
                self.save.filename = name
                return io.StringIO(text)

            self.save = pn.widgets.FileDownload(label="Save model (JSON)", callback=download,
                                                filename="model.json", **BUTTON)
            self.open = file_input("Open a saved model", ".json,application/json",
                                   LIMITS["model"], files.open_model)
        self.result = registry.add(painted.MODEL_MESSAGE, pn.pane.HTML(
            "", css_classes=["pg-model-file"], margin=(0, 8), sizing_mode="stretch_width"))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.save, self.open, self.result, sizing_mode="stretch_width")


class DataFiles(pn.viewable.Viewer):
    """Open your own data (a CSV file of x1, x2, label); what happened; a way back."""

    def __init__(self, model: PlaygroundModel, registry: Registry, page: bool = True,
                 **params) -> None:
        super().__init__(**params)
        label = "Open your own data (CSV: x1, x2, label)"
        self.open = (page_button(label, "open", "data") if page else
                     file_input(label, ".csv,text/csv", LIMITS["data"], model.files.open_data))
        self.result = registry.add(painted.DATA_MESSAGE, pn.pane.HTML(
            "", css_classes=["pg-data-file"], margin=(0, 8), sizing_mode="stretch_width"))
        self.status = registry.add(painted.DATA_STATUS, pn.pane.HTML(
            "", css_classes=["pg-user-data"], margin=(0, 8), sizing_mode="stretch_width",
            visible=False))
        self.back = registry.event(painted.BACK, model.files.param.back_to_dataset,
                                   name="Back to the dataset", visible=False, **BUTTON)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.open, self.result, self.status, self.back,
                         sizing_mode="stretch_width", margin=0)


def file_input(label: str, accept: str, limit: int, take) -> pn.Column:
    """A labelled file input (a notebook's, `panel serve`'s) that hands `take` a PickedFile."""
    picker = TextFileInput(accept=accept, label=label, max_bytes=limit, height=48,
                           sizing_mode="stretch_width", margin=(4, 8))
    picker.on_file(take)
    return pn.Column(pn.pane.HTML(label, margin=(4, 8, 0, 8)), picker, margin=0,
                     sizing_mode="stretch_width")


class StepThroughView(pn.viewable.Viewer):
    """The four-phase walk through one training step, with a Next phase button."""

    def __init__(self, model: PlaygroundModel, registry: Registry, **params) -> None:
        super().__init__(**params)
        steps = model.steps.param
        self.next = registry.event(steps_painted.NEXT, steps.next_phase, name="Next phase",
                                   button_type="primary", height=44, width=140)
        self.leave = registry.event(steps_painted.LEAVE, steps.leave, name="Back to training",
                                    height=44, width=160, visible=False)
        self.phases = registry.add(steps_painted.PHASES_TEXT, pn.pane.HTML(
            "", css_classes=["pg-phases"], margin=(0, 8)))
        self.explain = registry.add(steps_painted.EXPLAIN, pn.pane.HTML(
            "", margin=(0, 8), sizing_mode="stretch_width"))
        self.detail = registry.add(steps_painted.DETAIL, pn.pane.HTML(
            "", margin=(0, 8), sizing_mode="stretch_width", css_classes=["pg-step-detail"]))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.pane.HTML("<h3>Step through one training step</h3>", margin=(0, 8)),
                         self.phases, pn.Row(self.next, self.leave), self.explain, self.detail,
                         sizing_mode="stretch_width")
