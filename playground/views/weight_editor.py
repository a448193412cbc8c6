"""Edit one weight by hand: tap its line in the network view (or choose it from a list, with
the keyboard), type a new value."""

from __future__ import annotations

import panel as pn
import param

from playground.model.session import MAX_TYPED_WEIGHT, Session
from playground.views.network_view import NetworkView

HINT = ("Tap a line in the network, or choose it below, to see its weight here and change "
        "it.")
NONE = -1  # the list's value when no weight is chosen
SELECT_CSS = "select.bk-input { min-height: 44px; }"


class WeightEditor(pn.viewable.Viewer):
    """Shows the tapped weight in a number field; a new value goes into the network."""

    session = param.ClassSelector(class_=Session)
    network = param.ClassSelector(class_=NetworkView)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._hint = pn.pane.Markdown(HINT, margin=(4, 8), sizing_mode="stretch_width")
        self._input = pn.widgets.FloatInput(name="Weight", step=0.1, width=220, height=60,
                                            start=-MAX_TYPED_WEIGHT, end=MAX_TYPED_WEIGHT,
                                            visible=False, margin=(0, 8))
        # The same choice without a pointer: every line of the drawing, by its two ends.
        self._choose = pn.widgets.Select(name="Choose a weight to edit", options=self._choices(),
                                         value=NONE, sizing_mode="stretch_width",
                                         max_width=420, margin=(0, 8),
                                         stylesheets=[SELECT_CSS])
        self._selected: tuple[int, int, int] | None = None
        self._setting = False
        self._choosing = False
        self.network.param.watch(self._on_select, "selected_weight")
        self._input.param.watch(self._on_value, "value")
        self._choose.param.watch(self._on_choose, "value")
        self.session.param.watch(lambda _: self._new_topology(), "topology")

    def _choices(self) -> dict[str, int]:
        data = self.network.lines.data
        return {"(none)": NONE} | {
            f"{a} → {b}": i for i, (a, b) in enumerate(zip(data["from_label"], data["to_label"],
                                                          strict=True))}

    def _on_choose(self, event: param.parameterized.Event) -> None:
        """A weight chosen from the list: select its line, as a tap on it does."""
        if self._choosing:
            return
        self.network.lines.selected.indices = [] if event.new in (None, NONE) else [event.new]

    def _show_choice(self, index: int) -> None:
        self._choosing = True
        try:
            self._choose.value = index
        finally:
            self._choosing = False

    def _new_topology(self) -> None:
        self._clear()
        self._choosing = True
        try:
            self._choose.param.update(options=self._choices(), value=NONE)
        finally:
            self._choosing = False

    def _on_select(self, event: param.parameterized.Event) -> None:
        if event.new is None:
            self._clear()
            return
        layer, src, dst = event.new
        self._selected = (layer, src, dst)
        data = self.network.lines.data
        index = next((i for i, (k, s, d) in enumerate(zip(data["layer"], data["src"],
                                                          data["dst"], strict=True))
                      if (int(k), int(s), int(d)) == (layer, src, dst)), None)
        where = f"{data['from_label'][index]} → {data['to_label'][index]}" if index is not None \
            else f"layer {layer + 1}"
        self._show_choice(NONE if index is None else index)
        self._setting = True
        try:
            self._input.param.update(name=f"Weight {where}", visible=True,
                                     value=round(self.session.weight(layer, src, dst), 4))
        finally:
            self._setting = False
        self._hint.object = "Type a new value and press Enter; the output changes at once."

    def _on_value(self, event: param.parameterized.Event) -> None:
        if self._setting or self._selected is None or event.new is None:
            return
        self.session.set_weight(*self._selected, float(event.new))

    def _clear(self) -> None:
        self._selected = None
        self._input.visible = False
        self._hint.object = HINT
        self._show_choice(NONE)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self._hint, self._choose, self._input, sizing_mode="stretch_width")
