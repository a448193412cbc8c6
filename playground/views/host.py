"""The Panel host of the painter: the views' objects by target, and how a frame is set on them.

Every view registers what it draws under the painter's target names (`Registry.add`), binds
its controls to the model with Panel's own `from_param` (`Registry.field`, `Registry.event`,
which also record the binding), and the `PanelHost` sets each painted frame on those objects.
The same records tell the site build which model in the page's document is which target and
which widget drives which parameter (playground.page), so the browser paints the page
it was given exactly as these views paint themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import panel as pn
import param
from bokeh.model import Model

from playground.model.playground import PlaygroundModel
from playground.painter.frame import Columns, Frame
from playground.painter.inputs import INPUTS, Input


@dataclass(frozen=True)
class FieldBinding:
    """A widget (the target's object) bound both ways to `owner.name` by `from_param`."""

    target: str
    owner: param.Parameterized
    name: str


class Registry(param.Parameterized):
    """Targets -> the views' objects, and the bindings made with from_param."""

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.targets: dict[str, Any] = {}
        self.fields: list[FieldBinding] = []
        self.events: list[FieldBinding] = []

    def add(self, target: str, obj: Any) -> Any:
        if target in self.targets:
            raise ValueError(f"target {target!r} registered twice")
        self.targets[target] = obj
        return obj

    def field(self, target: str, widget: type[pn.widgets.Widget],
              parameter: param.Parameter, **params: Any) -> pn.widgets.Widget:
        """A widget of type `widget` bound to `parameter` (from_param), painted as `target`."""
        made = widget.from_param(parameter, **params)
        owner, name = parameter.owner, parameter.name

        def follow(_event: param.parameterized.Event) -> None:
            # from_param does not show a change the model makes while taking the widget's
            # value (unticking the last feature leaves it on): show what the model has.
            value = getattr(owner, name)
            if made.value != value:
                made.value = value

        made.param.watch(follow, "value")
        self.fields.append(FieldBinding(target, owner, name))
        return self.add(target, made)

    def event(self, target: str, parameter: param.Parameter, **params: Any) -> pn.widgets.Button:
        """A button that triggers the param.Event `parameter`, painted as `target`."""
        made = pn.widgets.Button.from_param(parameter, **params)
        self.events.append(FieldBinding(target, parameter.owner, parameter.name))
        return self.add(target, made)


class PanelHost:
    """Sets painted frames on the registered objects, and takes the learner's taps."""

    def __init__(self, registry: Registry, m: PlaygroundModel) -> None:
        self.registry = registry
        self.m = m
        self.closed = False  # the page went away (a `panel serve` session ended)
        for spec in INPUTS:
            self._listen(spec)

    def apply(self, frame: Frame) -> None:
        if self.closed:
            return
        targets = self.registry.targets
        for target, value in frame.items():
            obj = targets.get(target)
            if obj is None:
                continue  # not on this page (an embedded page has no explanations)
            if isinstance(value, Columns):
                set_columns(obj, value)
            elif isinstance(obj, Model):
                obj.update(**value)
            else:
                obj.param.update(**{k: panel_value(k, v) for k, v in value.items()})

    def _listen(self, spec: Input) -> None:
        obj = self.registry.targets.get(spec.target)
        if obj is None:
            return
        take: Callable[[Any], None] = lambda raw: spec.apply(self.m, raw)  # noqa: E731
        if isinstance(obj, Model):
            obj.on_change(spec.prop, lambda _attr, _old, new: take(new))
        else:
            obj.param.watch(lambda event: take(event.new), spec.prop)


def set_columns(source: Any, change: Columns) -> None:
    if change.mode == "replace":
        source.data = dict(change.data)
    elif change.mode == "stream":
        source.stream(dict(change.data))
    else:
        source.data.update(**change.data)


def panel_value(prop: str, value: Any) -> Any:
    """A painted value as the Panel widget takes it: (label, value) pairs become a dict."""
    if prop == "options" and value and isinstance(value[0], tuple):
        return dict(value)
    return value
