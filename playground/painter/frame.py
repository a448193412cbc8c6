"""What a repaint says: a Frame maps each target (one drawn object: a data source, a plot's
range, a text, a button) to what it shows now.

A target's value is either `Columns` (a data source's change) or a dict of properties, named
as the view's object names them (a Panel widget's `name`, `disabled`, `visible`, `options`; a
pane's `object`; a Bokeh model's own properties). The hosts apply a frame to whatever they
have: the Panel views set these on their objects, the page's worker sends them as patches of
the built page (playground.browser). A target a host does not have is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

MODES = ("update", "replace", "stream")


@dataclass(frozen=True)
class Columns:
    """A data source's change: `update` sets these columns (of the source's present length),
    `replace` sets the whole data (any length), `stream` appends these rows."""

    mode: str
    data: dict[str, Any]

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}")

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Columns) and self.mode == other.mode
                and self.data.keys() == other.data.keys()
                and all(_same(self.data[k], other.data[k]) for k in self.data))

    __hash__ = None  # type: ignore[assignment]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind == b.dtype.kind and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    return a == b


Frame = dict[str, Any]  # target -> Columns, or {property: value}


def props(**values: Any) -> dict[str, Any]:
    """A target's properties (for readability: `props(visible=False)`)."""
    return values
