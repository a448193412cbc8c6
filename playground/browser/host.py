"""The browser host of the painter: paints the page the site build made, by patches, and takes
what the learner does there back to the model. No Panel, no Bokeh.

The build writes the page's document (made by Panel from the real views) and a `Table` beside
it: which model of the document each painted target is, how its properties are named there,
and which widget drives which model parameter (playground.page derives it from the
views' own bindings). Here, a painted frame becomes one patch per turn of the event loop:
each property in the page's own spelling (Panel's conventions, `encode`), sent only when it
differs from what the page shows (`shown`, which the page's own changes update too), data
sources always. The page acknowledges each patch once it painted it; `ready()` says whether
it caught up, so training can skip a refresh rather than queue stale ones.
"""

from __future__ import annotations

import asyncio
import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playground.browser.patch import Patch, clicked, decode
from playground.model.playground import PlaygroundModel
from playground.painter.frame import Columns, Frame
from playground.painter.inputs import INPUTS

FIRST_ATTRS = ("options", "labels")  # sent before the other properties (a select's value)


@dataclass(frozen=True)
class Target:
    """A painted target in the page's document: its model id, what kind of object it is
    (how its values are spelled), and its properties' names there."""

    id: str
    kind: str  # source, model, html, str, select, checks, float, widget
    props: dict[str, str] = field(default_factory=dict)  # painted name -> the model's

    def attr(self, prop: str) -> str:
        return self.props.get(prop, prop)


@dataclass(frozen=True)
class Binding:
    """`target`'s value drives `part`.`name` (a field), or its click triggers it (an event)."""

    target: str
    part: str
    name: str


@dataclass(frozen=True)
class Table:
    """What the browser host needs to know of a built page (the build writes it as JSON)."""

    targets: dict[str, Target]
    fields: tuple[Binding, ...]
    events: tuple[Binding, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        return cls(targets={k: Target(**v) for k, v in data["targets"].items()},
                   fields=tuple(Binding(**b) for b in data["fields"]),
                   events=tuple(Binding(**b) for b in data["events"]))

    def to_json(self) -> dict[str, Any]:
        return {"targets": {k: {"id": t.id, "kind": t.kind, "props": t.props}
                            for k, t in self.targets.items()},
                "fields": [vars(b) for b in self.fields],
                "events": [vars(b) for b in self.events]}


def encode(kind: str, prop: str, value: Any, options: list[tuple[str, Any]] | None) -> Any:
    """A painted property as the page's model holds it (Panel's conventions: an HTML pane's
    text is its HTML escaped, a select's options are (value as text, label) pairs...)."""
    if kind == "html" and prop == "object":
        return html.escape(value or "")
    if kind == "str" and prop == "object":
        return html.escape(f"<pre>{value}</pre>" if value else "<pre> </pre>")
    if kind == "select":
        if prop == "options":
            return [[str(v), label] for label, v in value]
        if prop == "value":
            return str(value)
    if kind == "float" and prop == "value" and value is None:
        return math.nan  # a number field with no number (Panel's FloatInput)
    if kind == "checks":
        if prop == "options":
            return [label for label, _ in value] if value and isinstance(value[0], tuple) \
                else list(value)
        if prop == "value":
            values = [v for _, v in options] if options and isinstance(options[0], tuple) \
                else list(options or [])
            return [values.index(v) for v in value if v in values]
    return plain(value)


def plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def decode_value(kind: str, raw: Any, options: list[tuple[str, Any]] | None) -> Any:
    """The page's value of a widget (a select's text, a checkbox group's ticked indices) as the
    model parameter it is bound to takes it; ValueError if it is none of the options."""
    if kind == "select":
        for _, value in options or []:
            if str(value) == raw:
                return value
        raise ValueError(f"{raw!r} is not one of the options")
    if kind == "checks":
        values = [v for _, v in options or []]
        return [values[i] for i in raw if isinstance(i, int) and 0 <= i < len(values)]
    if kind == "float":
        if raw is None or not isinstance(raw, int | float) or isinstance(raw, bool):
            return None
        return None if math.isnan(raw) else float(raw)
    return raw


def same(a: Any, b: Any) -> bool:
    """Equal values as the page shows them (NaN equals NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


class BrowserHost:
    """Paints the built page by patches; applies the page's events to the model."""

    def __init__(self, table: Table, m: PlaygroundModel, send: Callable[[Patch], None],
                 max_in_flight: int = 1, schedule: Callable[[], None] | None = None) -> None:
        self.table, self.m, self.send = table, m, send
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self.shown: dict[tuple[str, str], Any] = {}  # (model id, attr) -> the page's value
        self.options: dict[str, list[tuple[str, Any]]] = {}  # target -> its painted options
        self._props: dict[tuple[str, str], Any] = {}  # pending property changes, in order
        self._data: list[tuple[str, Columns]] = []  # pending source changes, in order
        self._scheduled = False
        # How a flush is scheduled after a change: on the event loop's next turn (in the
        # worker, Pyodide's loop), or as the caller says (tests flush by hand).
        self.schedule: Callable[[], None] = schedule or self._call_soon
        self._by_id = {t.id: name for name, t in table.targets.items()}
        self._fields = {b.target: b for b in table.fields}
        self._events = {table.targets[b.target].id: b for b in table.events
                        if b.target in table.targets}
        self._inputs = {(t.id, t.attr(spec.prop)): spec for spec in INPUTS
                        if (t := table.targets.get(spec.target)) is not None}
        parts = m.parts()
        for binding in table.fields:
            parts[binding.part].param.watch(
                lambda _e, b=binding: self.paint_field(b), binding.name)

    # model -> page --------------------------------------------------------------------------
    def apply(self, frame: Frame) -> None:
        for name, value in frame.items():
            target = self.table.targets.get(name)
            if target is None:
                continue  # not on this page
            if isinstance(value, Columns):
                self._data.append((target.id, value))
            else:
                if "options" in value:
                    self.options[name] = list(value["options"])
                for prop, v in value.items():
                    self._set(target, prop, encode(target.kind, prop, v,
                                                   self.options.get(name)))
                if "options" in value and name in self._fields:
                    self.paint_field(self._fields[name])  # the value among its new options
        self._soon()

    def paint_field(self, binding: Binding) -> None:
        """Show a bound parameter's value in its widget."""
        target = self.table.targets.get(binding.target)
        if target is None:
            return
        value = getattr(self.m.parts()[binding.part], binding.name)
        self._set(target, "value", encode(target.kind, "value", value,
                                          self.options.get(binding.target)))
        self._soon()

    def paint_fields(self) -> None:
        for binding in self.table.fields:
            self.paint_field(binding)

    def _set(self, target: Target, prop: str, value: Any) -> None:
        key = (target.id, target.attr(prop))
        if same(self.shown.get(key, _UNKNOWN), value) and key not in self._props:
            return
        self._props[key] = value

    def _soon(self) -> None:
        if not self._scheduled and (self._props or self._data):
            self._scheduled = True
            self.schedule()

    def _call_soon(self) -> None:
        asyncio.get_event_loop().call_soon(self.flush)

    def flush(self) -> None:
        """Send everything painted so far as one patch (nothing if nothing changed)."""
        self._scheduled = False
        patch = Patch()
        props = [(k, v) for k, v in self._props.items()
                 if not same(self.shown.get(k, _UNKNOWN), v)]
        first = [(k, v) for k, v in props if k[1] in FIRST_ATTRS]
        for (model, attr), value in first:
            patch.set(model, attr, value)
        for model, change in self._data:
            if change.mode == "stream":
                patch.stream(model, change.data)
            else:
                patch.columns(model, change.data, replace=change.mode == "replace")
        for (model, attr), value in props:
            if attr not in FIRST_ATTRS:
                patch.set(model, attr, value)
        self.shown.update(props)
        self._props, self._data = {}, []
        if patch:
            self.in_flight += 1
            self.send(patch)

    def ack(self) -> None:
        """The page painted a patch."""
        self.in_flight = max(0, self.in_flight - 1)

    def ready(self) -> bool:
        """The page has caught up: a new view refresh is worth sending."""
        return self.in_flight < self.max_in_flight

    # page -> model --------------------------------------------------------------------------
    def handle(self, patch: dict[str, Any], buffers: dict[str, bytes] | None = None) -> None:
        """Apply one patch of the page's (the learner's changes), now and in order."""
        for event in patch.get("events", []):
            if event.get("kind") == "ModelChanged":
                model = (event.get("model") or {}).get("id")
                self._changed(model, event.get("attr"), decode(event.get("new"), buffers))
            elif (model := clicked(event)) is not None and model in self._events:
                binding = self._events[model]
                self.m.parts()[binding.part].param.trigger(binding.name)
        self._soon()

    def _changed(self, model: str, attr: str, value: Any) -> None:
        self.shown[(model, attr)] = value
        name = self._by_id.get(model)
        if name is None:
            return
        target = self.table.targets[name]
        spec = self._inputs.get((model, attr))
        if spec is not None:
            spec.apply(self.m, value)
            return
        binding = self._fields.get(name)
        if binding is None or attr != target.attr("value"):
            return
        owner = self.m.parts()[binding.part]
        try:
            setattr(owner, binding.name, decode_value(target.kind, value,
                                                      self.options.get(name)))
        except (ValueError, TypeError):
            pass  # not a value the model takes: the widget goes back to the model's
        current = encode(target.kind, "value", getattr(owner, binding.name),
                         self.options.get(name))
        if not same(current, value):  # refused, or the model made something else of it
            self.shown.pop((model, attr), None)
            self.paint_field(binding)


_UNKNOWN = object()
