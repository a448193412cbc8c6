"""A host for the painter's tests: it keeps what each target shows, as the Panel views and the
page would (a source's columns, an object's properties), and checks each change the way Bokeh
does (an update keeps a source's length; a stream gives every column the same new rows)."""

from __future__ import annotations

from typing import Any

import numpy as np

from playground.model.playground import PlaygroundModel
from playground.painter.frame import Columns, Frame
from playground.painter.inputs import INPUTS
from playground.painter.screen import Screen
from playground.state import State


class FakeHost:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}  # source target -> its columns
        self.props: dict[str, dict[str, Any]] = {}  # other targets -> their properties
        self.frames: list[Frame] = []

    def apply(self, frame: Frame) -> None:
        self.frames.append(frame)
        for target, value in frame.items():
            if isinstance(value, Columns):
                self._columns(target, value)
            else:
                self.props.setdefault(target, {}).update(value)

    def _columns(self, target: str, change: Columns) -> None:
        new = {k: _copy(v) for k, v in change.data.items()}
        lengths = {len(v) for v in new.values()}
        if change.mode == "replace":
            assert len(lengths) <= 1, f"{target}: columns of different lengths"
            self.data[target] = new
            return
        data = self.data.get(target)
        if data is None:  # a source the view lays out itself (the heatmap's one image)
            assert change.mode == "update", f"{target}: stream before the source was laid out"
            assert len(lengths) <= 1, f"{target}: columns of different lengths"
            self.data[target] = new
            return
        if change.mode == "update":
            size = len(next(iter(data.values())))
            assert lengths <= {size}, f"{target}: update of {lengths} rows, the source has {size}"
            data.update(new)
        else:
            assert set(new) == set(data), f"{target}: stream must give every column"
            assert len(lengths) == 1, f"{target}: stream of columns of different lengths"
            for k, v in new.items():
                data[k] = np.concatenate([np.asarray(data[k]), np.asarray(v)])

    def column(self, target: str, name: str) -> np.ndarray:
        return np.asarray(self.data[target][name])

    def prop(self, target: str, name: str) -> Any:
        return self.props[target][name]


def _copy(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class Painted:
    """A playground model painted by a Screen onto a FakeHost, as a page shows it."""

    def __init__(self, state: State | None = None, **model: Any) -> None:
        self.m = PlaygroundModel(state=state, **model)
        self.host = FakeHost()
        self.screen = Screen(self.m, self.host.apply)
        self.screen.all()

    @classmethod
    def of(cls, **state: Any) -> Painted:
        return cls(State(**state))

    @property
    def loop(self):
        return self.m.loop

    @property
    def net(self):
        return self.m.loop.trainer.network

    def column(self, target: str, name: str) -> np.ndarray:
        return self.host.column(target, name)

    def prop(self, target: str, name: str) -> Any:
        return self.host.prop(target, name)

    def text(self, target: str) -> str:
        return self.host.prop(target, "object")

    def visible(self, target: str) -> bool:
        return self.host.prop(target, "visible")

    def take(self, target: str, raw: Any) -> None:
        """The learner changes the target's object (a tap, a checkbox), as a host takes it."""
        (spec,) = [s for s in INPUTS if s.target == target]
        self.host.props.setdefault(target, {})[spec.prop] = raw
        spec.apply(self.m, raw)


def non_finite(host: FakeHost, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every numeric column shown holding a NaN or an infinity (`skip`: columns NaN by
    design)."""
    bad = []
    for target, data in host.data.items():
        for name, column in data.items():
            if name in skip:
                continue
            values = column if isinstance(column, list | tuple) else [column]
            for value in values:
                array = np.asarray(value)
                if array.dtype.kind in "fiu" and not np.isfinite(array).all():
                    bad.append(f"{target}.{name}")
                    break
    return bad
