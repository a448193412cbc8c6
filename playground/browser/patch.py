"""Bokeh's document patches, written and read without Bokeh: the JSON the page's BokehJS
applies (`Document.apply_json_patch(patch, buffers)`) and the JSON it sends when the learner
changes something (`Document.create_json_patch`).

Arrays travel as binary buffers beside the JSON (an `ndarray` reference names its buffer), as
Bokeh's own serializer sends them; everything else is plain JSON. tests/browser checks these
patches against Bokeh's serializer and against documents they are applied to.
"""

from __future__ import annotations

import base64
import itertools
import math
from typing import Any

import numpy as np

_ids = itertools.count()


class Patch:
    """One document patch: its events, and the binary buffers of their arrays."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.buffers: dict[str, memoryview] = {}

    def __bool__(self) -> bool:
        return bool(self.events)

    # values ---------------------------------------------------------------------------------
    def value(self, value: Any) -> Any:
        """A property's value in the wire format."""
        if isinstance(value, np.ndarray):
            return self.array(value)
        if isinstance(value, tuple | list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {"type": "map", "entries": [[k, self.value(v)] for k, v in value.items()]}
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return {"type": "number", "value": "nan" if math.isnan(value) else
                    ("+inf" if value > 0 else "-inf")}
        return value

    def array(self, values: np.ndarray) -> dict[str, Any]:
        """An ndarray reference, its bytes kept in `buffers` (sent alongside, not as JSON)."""
        values = np.ascontiguousarray(values)
        if values.dtype == np.bool_:
            values = values.astype(np.uint8)
        if values.dtype.kind not in "fiu":
            return [self.value(v) for v in values.tolist()]
        ref = f"b{next(_ids)}"
        self.buffers[ref] = memoryview(values).cast("B")
        return {"type": "ndarray", "array": {"type": "bytes", "data": {"id": ref}},
                "shape": list(values.shape), "dtype": values.dtype.name, "order": "little"}

    def _columns(self, columns: dict[str, Any]) -> dict[str, Any]:
        def encode(column: Any) -> Any:
            if isinstance(column, list) and column and isinstance(column[0], np.ndarray):
                return [self.array(v) for v in column]  # a column of images
            if isinstance(column, np.ndarray):
                return self.array(column)
            return [self.value(v) for v in column]

        return {"type": "map", "entries": [[k, encode(v)] for k, v in columns.items()]}

    # events ---------------------------------------------------------------------------------
    def set(self, model: str, attr: str, value: Any) -> None:
        """Set one property of a model."""
        self.events.append({"kind": "ModelChanged", "model": {"id": model}, "attr": attr,
                            "new": self.value(value)})

    def columns(self, model: str, columns: dict[str, Any], replace: bool = False) -> None:
        """Set these columns of a ColumnDataSource (with `replace`, its whole data)."""
        self.events.append({"kind": "ColumnDataChanged", "model": {"id": model}, "attr": "data",
                            "data": self._columns(columns),
                            "cols": None if replace else list(columns)})

    def stream(self, model: str, columns: dict[str, Any]) -> None:
        """Append rows to a ColumnDataSource."""
        self.events.append({"kind": "ColumnsStreamed", "model": {"id": model}, "attr": "data",
                            "data": self._columns(columns), "rollover": None})

    def content(self) -> dict[str, Any]:
        return {"events": self.events}


# the page's patches ---------------------------------------------------------------------------
def decode(value: Any, buffers: dict[str, bytes] | None = None) -> Any:
    """A value as the page serialized it, as plain Python (arrays as lists)."""
    if isinstance(value, list):
        return [decode(v, buffers) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("type")
    if kind == "map":
        return {decode(k, buffers): decode(v, buffers) for k, v in value.get("entries", [])}
    if kind == "number":
        return {"nan": math.nan, "+inf": math.inf, "-inf": -math.inf}.get(value.get("value"),
                                                                           math.nan)
    if kind == "ndarray":
        return _ndarray(value, buffers or {}).tolist()
    if kind in ("bytes", "typed_array"):
        return decode(value.get("array", value), buffers)
    if kind in ("object", "ref") or "id" in value and len(value) == 1:
        return {"id": value.get("id")}
    return {k: decode(v, buffers) for k, v in value.items()}


def _ndarray(value: dict[str, Any], buffers: dict[str, bytes]) -> np.ndarray:
    data = value.get("array", {})
    payload = data.get("data") if isinstance(data, dict) else data
    if isinstance(payload, dict) and "id" in payload:
        raw = bytes(buffers.get(payload["id"], b""))
    elif isinstance(payload, str):
        raw = base64.b64decode(payload)
    elif isinstance(payload, list):
        return np.asarray(payload)
    else:
        raw = b""
    dtype = np.dtype(value.get("dtype", "float64")).newbyteorder(
        "<" if value.get("order", "little") == "little" else ">")
    return np.frombuffer(raw, dtype=dtype).reshape(value.get("shape", [-1]))


def clicked(event: dict[str, Any]) -> str | None:
    """The id of the button a MessageSent event of the page reports clicked, if it is one."""
    if event.get("kind") != "MessageSent":
        return None
    data = event.get("msg_data")
    if not isinstance(data, dict) or data.get("name") != "button_click":
        return None
    values = decode(data.get("values"))
    model = values.get("model") if isinstance(values, dict) else None
    return model.get("id") if isinstance(model, dict) else None
