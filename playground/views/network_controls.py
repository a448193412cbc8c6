"""Buttons that change the network's shape: add or remove a hidden layer, or a neuron in one."""

from __future__ import annotations

import panel as pn
import param

from playground.model.session import Session
from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS

BUTTON = {"height": 44, "margin": (2, 2)}
WRAP = {"flex-wrap": "wrap"}
LABEL = ":host { white-space: nowrap; min-width: 8em; }"


class NetworkControls(pn.viewable.Viewer):
    """`Hidden layers: 2  [−] [+]`, then per layer `Layer 1: 4 neurons  [−] [+]`.

    Each pair of buttons stands right after the label of what it changes (Panel 1.7's buttons
    take no aria-label, so their text is their accessible name). Changing the shape starts a
    new experiment, as in TensorFlow Playground.
    """

    session = param.ClassSelector(class_=Session)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        s = self.session
        # Every widget exists from the start (one group per possible layer); a new shape only
        # changes their text, visibility and enabled state, never the page's structure.
        self._count = pn.pane.HTML("", margin=(12, 4, 0, 8), stylesheets=[LABEL])
        self._remove_layer = self._button("− layer", s.remove_layer)
        self._add_layer = self._button("+ layer", s.add_layer)
        self._groups = []
        for i in range(MAX_HIDDEN_LAYERS):
            label = pn.pane.HTML("", margin=(12, 4, 0, 16), stylesheets=[LABEL])
            minus = self._button("− neuron", lambda i=i: s.remove_neuron(i))
            plus = self._button("+ neuron", lambda i=i: s.add_neuron(i))
            self._groups.append((label, minus, plus))
        # A layer's label and buttons wrap as one; a FlexBox, since a Row would be as wide as
        # all its children, hidden ones included.
        # (and a Row that wraps: on a phone the buttons go under their label).
        self._rows = [pn.Row(*group, margin=0, styles=WRAP) for group in self._groups]
        self._layout = pn.FlexBox(pn.Row(self._count, self._remove_layer, self._add_layer,
                                         margin=0, styles=WRAP),
                                  *self._rows, flex_wrap="wrap", sizing_mode="stretch_width",
                                  margin=0)
        s.state.param.watch(lambda _: self._show(), "hidden")
        self._show()

    @staticmethod
    def _button(text: str, action) -> pn.widgets.Button:
        button = pn.widgets.Button(name=text, width=9 * len(text) + 28, **BUTTON)
        button.on_click(lambda _: action())
        return button

    def _show(self) -> None:
        hidden = list(self.session.state.hidden)
        self._count.object = f"Hidden layers: {len(hidden)}"
        self._remove_layer.disabled = not hidden
        self._add_layer.disabled = len(hidden) >= MAX_HIDDEN_LAYERS
        for i, (label, minus, plus) in enumerate(self._groups):
            shown = i < len(hidden)
            for widget in (label, minus, plus):  # leaves only: see app.Playground._on_topology
                widget.visible = shown
            if shown:
                n = hidden[i]
                label.object = f"Layer {i + 1}: {n} neuron{'s' if n != 1 else ''}"
                minus.disabled = n <= 1
                plus.disabled = n >= MAX_NEURONS

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout
