"""The quick start: training in the first seconds of a visit, before Panel and Bokeh are loaded.

Starting the full app in the browser takes seconds of CPU (importing Panel and Bokeh, building
and serializing some 400 Bokeh models). So the page does not wait for it. It draws the
playground at once from a document prerendered at build time for the default settings
(build/prerender.js), and a second, small worker (site/js/quick.js) starts Pyodide with numpy
and this package only, builds the same experiment, and trains it when Play is pressed. Each
view refresh goes to the page as one Bokeh patch of the prerendered models: the weight lines,
the heatmaps, the readouts, the loss curve, the Play button's label; the numbers come from
playground.painter.frames, which the Panel views use too, so the picture is the same. When the full
app is up it adopts this trainer (`handover`, then TrainingLoop.adopt), and the run goes on.

No Panel and no Bokeh here. The patches are written in Bokeh's JSON wire format by hand
(`Patch`); tests/ui/test_quick.py checks them against Bokeh's own serializer and the prerendered
document's models.
"""

from __future__ import annotations

import html
import itertools
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import param

from playground.model.training import TrainingLoop
from playground.painter import frames
from playground.painter import network_data as nd
from playground.state import State

# What the quick start changes in the prerendered document: role -> the models' attributes
# (the page learns each role's model id from the prerender: playground.browser.prerender.targets;
# the full app sends these again when it takes over).
CHANGES = {"lines": ("data",), "biases": ("data",), "thumbs": ("data",), "heat": ("data",),
           "loss": ("data",), "loss_x": ("end",), "loss_y": ("end",), "epoch": ("text",),
           "train": ("text",), "test": ("text",), "accuracy": ("text", "visible"),
           "play": ("label",)}
ROLES = tuple(CHANGES)
COMMANDS = ("play", "step", "reset")  # the buttons the quick start answers (by role)
# Of each frame, the share the quick start trains: the full app loads beside it all the while,
# and on two cores it would otherwise wait for the page's drawing and this worker's training.
TRAIN_SHARE = 0.5


class Patch:
    """One Bokeh document patch: its events, and the binary buffers of their arrays."""

    _ids = itertools.count()

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.buffers: dict[str, memoryview] = {}

    def array(self, values: np.ndarray) -> dict[str, Any]:
        """An ndarray reference, its bytes kept in `buffers` (sent alongside, not as JSON)."""
        values = np.ascontiguousarray(values)
        if values.dtype == np.bool_ or values.dtype.kind not in "fiu":
            raise TypeError(f"not a numeric array: {values.dtype}")
        ref = f"quick{next(self._ids)}"
        self.buffers[ref] = memoryview(values).cast("B")
        return {"type": "ndarray", "array": {"type": "bytes", "data": {"id": ref}},
                "shape": list(values.shape), "dtype": values.dtype.name, "order": "little"}

    def _map(self, columns: dict[str, Any]) -> dict[str, Any]:
        def encode(value: Any) -> Any:
            if isinstance(value, list):  # a column of images: one array per row
                return [self.array(v) for v in value]
            return self.array(value)

        return {"type": "map", "entries": [[k, encode(v)] for k, v in columns.items()]}

    def columns(self, model: str, columns: dict[str, Any], replace: bool = False) -> None:
        """Set these columns of a ColumnDataSource (with `replace`, its whole data)."""
        self.events.append({"kind": "ColumnDataChanged", "model": {"id": model}, "attr": "data",
                            "data": self._map(columns),
                            "cols": None if replace else list(columns)})

    def stream(self, model: str, columns: dict[str, Any]) -> None:
        """Append rows to a ColumnDataSource."""
        self.events.append({"kind": "ColumnsStreamed", "model": {"id": model}, "attr": "data",
                            "data": self._map(columns), "rollover": None})

    def set(self, model: str, attr: str, value: str | float | bool | None) -> None:
        """Set one plain property of a model."""
        self.events.append({"kind": "ModelChanged", "model": {"id": model}, "attr": attr,
                            "new": value})

    def content(self) -> dict[str, Any]:
        return {"events": self.events}


def str_pane_text(text: str) -> str:
    """A Panel Str pane's `text` for `text`, as Panel 1.7 writes it (escaped <pre>)."""
    return html.escape(f"<pre>{text}</pre>" if text else "<pre> </pre>")


class QuickStart(param.Parameterized):
    """Trains the experiment of a link (`fragment`) and sends the prerendered page its views.

    targets: role -> model id in the prerendered document (every role of ROLES); send(patch) is
    called with each Patch. The page acknowledges each patch it painted (`ack`); a refresh is
    skipped while one is unacknowledged, as the full app's bridge does."""

    commands = param.Integer(default=0, doc="Commands obeyed (for tests).")

    def __init__(self, fragment: str, targets: dict[str, str],
                 send: Callable[[Patch], None], **params) -> None:
        super().__init__(**params)
        missing = [role for role in ROLES if role not in targets]
        if missing:
            raise ValueError(f"the prerendered page lacks {', '.join(missing)}")
        self.state, _ = State.from_url(fragment)
        self.targets = targets
        self.send = send
        self.in_flight = 0
        self.closed = False
        self._label: str | None = None  # the Play button's new label, sent with a refresh
        self.loop = TrainingLoop(config=self.state.to_config(), ready=self.ready,
                                 train_share=TRAIN_SHARE)
        experiment = self.loop.trainer.context
        self._n_classes = experiment.dataset.n_classes
        self._grid = nd.grid(frames.GRID)
        self._heavy = frames.HeavyTimer()
        self.curve = frames.LossCurve()
        self.curve.update(self.loop)  # the untrained network's point, as prerendered
        # (role, attribute) -> the value the page shows, for what is only sent when it changes
        self._shown: dict[tuple[str, str], object] = {
            ("loss_x", "end"): self.curve.x_end, ("loss_y", "end"): self.curve.y_end}
        self.loop.param.watch(self._on_running, "running")
        self.loop.param.watch(self._on_refresh, "refreshes")

    # page -> quick start --------------------------------------------------------------------
    def command(self, name: str) -> None:
        """A training button was pressed: "play" (Play or Pause), "step" or "reset"."""
        if self.closed:
            return
        action = {"play": self.loop.toggle, "step": self.loop.step,
                  "reset": self.loop.reset}.get(name)
        if action is None:
            raise ValueError(f"unknown command {name!r}")
        action()
        self.commands += 1

    def ack(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)

    def ready(self) -> bool:
        return self.in_flight < 1

    def handover(self) -> tuple[bytes, bool]:
        """Stop (one last refresh goes out) and give the trainer away: (pickle, was running)."""
        running = self.loop.running
        self.loop.pause()
        self.closed = True
        return pickle.dumps(self.loop.trainer), running

    # quick start -> page --------------------------------------------------------------------
    def _send(self, patch: Patch) -> None:
        if patch.events and not self.closed:
            self.in_flight += 1
            self.send(patch)

    def _on_running(self, event: param.parameterized.Event) -> None:
        """Pause shows at once, before the last refresh's heatmaps are computed; Play's
        "Pause" label comes with the first epoch (one patch, one frame)."""
        if event.new:
            self._label = "Pause"
            return
        self._label = None
        patch = Patch()
        patch.set(self.targets["play"], "label", "Play")
        self._send(patch)

    def _on_refresh(self, *_events: param.parameterized.Event) -> None:
        self._send(self.refresh())

    def refresh(self) -> Patch:
        """One view refresh: what the full app's views would change, as a patch."""
        t = self.targets
        loop = self.loop
        patch = Patch()
        if self._label is not None:
            patch.set(t["play"], "label", self._label)
            self._label = None
        weights, biases = frames.drawable_parameters(loop.trainer.network)
        patch.columns(t["lines"], nd.line_columns(nd.flatten(weights)))
        patch.columns(t["biases"], nd.bias_columns(nd.flatten(biases)))
        if self._heavy.due(loop.running):
            self._heavy.mark()
            images, out, kind = frames.heatmaps(loop.trainer.context, self._grid)
            patch.columns(t["thumbs"], {"image": images})
            patch.columns(t["heat"], {"image": [frames.output_image(
                out, kind, self._n_classes, frames.GRID, self.state.discretize)]})
        texts = frames.status_texts(loop)
        change, data = self.curve.update(loop)
        if change == "replace":
            patch.columns(t["loss"], data, replace=True)
        elif change == "stream":
            patch.stream(t["loss"], data)
        values = {(role, "text"): str_pane_text(texts[role])
                  for role in ("epoch", "train", "test", "accuracy")}
        values |= {("accuracy", "visible"): bool(texts["accuracy"]),
                   ("loss_x", "end"): self.curve.x_end, ("loss_y", "end"): self.curve.y_end}
        for (role, attr), value in values.items():
            if self._shown.get((role, attr)) != value:  # as Panel does: changes only
                patch.set(t[role], attr, value)
                self._shown[role, attr] = value
        return patch
