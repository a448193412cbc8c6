"""Buttons that change the network's shape: add or remove a hidden layer, or a neuron in one."""

from __future__ import annotations

import panel as pn
import param

from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS
from playground.ui.session import Session

BUTTON = {"height": 44, "margin": (2, 2)}


class NetworkControls(pn.viewable.Viewer):
    """`Hidden layers: 2  [−] [+]`, then per layer `Layer 1: 4 neurons  [−] [+]`.

    Each pair of buttons stands right after the label of what it changes (Panel 1.7's buttons
    take no aria-label, so their text is their accessible name). Changing the shape starts a
    new experiment, as in TensorFlow Playground.
    """

    session = param.ClassSelector(class_=Session)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._layout = pn.Row(sizing_mode="stretch_width", margin=0, styles={"flex-wrap": "wrap"})
        self.session.state.param.watch(lambda _: self._build(), "hidden")
        self._build()

    def _button(self, text: str, action, disabled: bool) -> pn.widgets.Button:
        button = pn.widgets.Button(name=text, disabled=disabled, width=12 * len(text) + 24,
                                   **BUTTON)
        button.on_click(lambda _: action())
        return button

    def _build(self) -> None:
        s = self.session
        hidden = list(s.state.hidden)
        items: list[pn.viewable.Viewable] = [
            pn.pane.Str(f"Hidden layers: {len(hidden)}", margin=(14, 4, 0, 8)),
            self._button("− layer", s.remove_layer, not hidden),
            self._button("+ layer", s.add_layer, len(hidden) >= MAX_HIDDEN_LAYERS),
        ]
        for i, n in enumerate(hidden):
            items += [
                pn.pane.Str(f"Layer {i + 1}: {n} neuron{'s' if n != 1 else ''}",
                            margin=(14, 4, 0, 16)),
                self._button("− neuron", lambda i=i: s.remove_neuron(i), n <= 1),
                self._button("+ neuron", lambda i=i: s.add_neuron(i), n >= MAX_NEURONS),
            ]
        self._layout.objects = items

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout
