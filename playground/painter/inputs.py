"""What the learner does to a drawn object that is not a plain control: tapping a line or a
neuron of the network, ticking one of the output view's checkboxes.

Each `Input` names the painted target whose object the page changes, the property it changes,
and what that does to the model (a parameter to set or a method to call, on one of
`PlaygroundModel.parts()`). Both hosts take these the same way: the Panel views watch the
property, the page's worker reads it from the page's patches (playground.browser).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.model.playground import PlaygroundModel
from playground.model.weights import NONE
from playground.painter import network
from playground.painter import settings as settings_painter


@dataclass(frozen=True)
class Input:
    """target's property `prop` (as the page changes it) -> part.name (set, or called)."""

    target: str
    prop: str
    part: str
    name: str
    kind: str  # "first": the first of a list of indices (NONE if empty); "flag": a checkbox
    call: bool = False  # call part.name(value) rather than set it

    def value(self, raw: Any) -> Any:
        """The property's new value (indices, or a checkbox group's ticked options) as the
        model takes it."""
        items = list(raw) if raw is not None else []
        if self.kind == "first":
            return int(items[0]) if items else NONE
        if self.kind == "flag":
            return bool(items)
        raise ValueError(f"unknown input kind {self.kind!r}")

    def apply(self, m: PlaygroundModel, raw: Any) -> None:
        part = m.parts()[self.part]
        value = self.value(raw)
        if self.call:
            if value != NONE:
                getattr(part, self.name)(value)
        else:
            setattr(part, self.name, value)


INPUTS = (
    Input(network.SELECTION, "indices", "weights", "index", "first"),
    Input(network.THUMB_SELECTION, "indices", "app", "tap_neuron", "first", call=True),
    Input(network.BIAS_SELECTION, "indices", "weights", "choose_bias", "first", call=True),
    *(Input(settings_painter.target(flag), "value", "state", flag, "flag")
      for flag in settings_painter.OUTPUT_FLAGS),
)
