"""What one view refresh draws, computed from the training loop with numpy alone.

The Panel views (network, output, loss chart, readouts) put these numbers into their Bokeh
models; the quick start (playground.browser.quick), which trains before Panel and Bokeh have even
loaded, sends the very same numbers to the page. One function per thing drawn, so both paths
always draw alike:

  * `drawable_parameters`: the weights and biases, fit to draw (no NaN, no infinity);
  * `heatmaps`: every neuron's activation over the input plane, and the network's output;
  * `status_texts`: "Epoch 12", "Train loss 0.123", ...;
  * `LossCurve`: the loss chart's points, bounded, and its axes' ends;
  * `HeavyTimer`: how often a costly part (the heatmaps, the loss chart) is worth redrawing.
"""

from __future__ import annotations

import bisect
import math
import time
from typing import Any

import numpy as np

from playground.painter import network_data as nd

GRID = 64  # output heatmap resolution while training
THUMB_STEP = 4  # thumbnails: every 4th grid point, 16x16
HEAVY_HZ = 10.0  # heatmaps at most this often while training (always when it stops)
LOSS_HZ = 4.0  # the loss chart likewise: each update redraws all its points and its axes
# (on the page's main thread: measured, the costliest part of a refresh by far)
DRAW_LIMIT = 1e6  # values drawn are clipped to +-this (float32-safe; colours saturate at 1)
MAX_POINTS = 600  # the loss chart's bound (about its width in pixels): beyond it the curve is
# thinned, never unbounded
LOSS_COLUMNS = ("epoch", "train", "test", "train_accuracy", "test_accuracy")


def drawable(values: np.ndarray) -> np.ndarray:
    """`values` as floats fit to draw: NaN becomes 0, anything beyond +-DRAW_LIMIT (infinity
    included) is clipped to it. Returned as is when already fine (the usual case)."""
    values = np.asarray(values, dtype=float)
    if values.size and not (np.isfinite(values).all()
                            and np.abs(values).max() <= DRAW_LIMIT):
        values = np.nan_to_num(np.clip(values, -DRAW_LIMIT, DRAW_LIMIT), nan=0.0)
    return values


def drawable_parameters(network: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The network's weights and biases, each passed through `drawable`."""
    return ([drawable(w) for w in network.weights], [drawable(b) for b in network.biases])


def heatmaps(experiment: Any, grid: np.ndarray, n: int = GRID, step: int = THUMB_STEP
             ) -> tuple[list[np.ndarray], np.ndarray, str]:
    """(thumbnails, output, kind) over grid(n) for a 2-D dataset's experiment.

    thumbnails: one float32 (n // step)^2 image per neuron, inputs first, each on the [-1, 1]
    colour scale (inputs scaled by their largest |value|, the output mapped as its activation
    says); output: the network's outputs over the grid, (n*n, k); kind: the output activation.
    """
    network = experiment.trainer.network
    out = drawable(experiment.predict(grid))  # also leaves every layer's activations
    layers = network.activations
    kind = network.layers[-1].act.name
    images: list[np.ndarray] = []
    for i, values in enumerate(layers):
        values = drawable(values)
        if i == 0:
            values = nd.scale_columns(values)
        elif i == len(layers) - 1:
            values = nd.output_to_unit(values, kind)
        images += nd.heatmaps(values, n, step)
    return images, out, kind


def output_image(out: np.ndarray, kind: str, n_classes: int | None, n: int,
                 discretize: bool) -> np.ndarray:
    """The heatmap for network outputs `out` (n*n, k) over grid(n): float32 (n, n)."""
    if n_classes is not None and n_classes > 2:
        image = out.argmax(axis=1).astype(np.float32)
    else:
        image = nd.output_to_unit(out[:, 0], kind).astype(np.float32)
        if discretize:
            image = np.where(image >= 0, 1.0, -1.0).astype(np.float32)
    return image.reshape(n, n)


def format_loss(value: float | None) -> str:
    """3 decimals; huge values in scientific notation; nothing (a dash) when there is none."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.3f}" if abs(value) < 1e6 else f"{value:.3g}"


def status_texts(loop: Any) -> dict[str, str]:
    """The readouts under the buttons: epoch, train and test loss, test accuracy ('' when
    there is none: regression)."""
    acc = loop.test_accuracy
    return {"epoch": f"Epoch {loop.epoch}",
            "train": f"Train loss {format_loss(loop.train_loss)}",
            "test": f"Test loss {format_loss(loop.test_loss)}",
            "accuracy": "" if acc is None else f"Test accuracy {acc:.0%}"}


class HeavyTimer:
    """Decides when a refresh also redraws a costly part (the heatmaps, the loss chart): at
    most `hz` times a second while training, and always when training is stopped."""

    def __init__(self, hz: float = HEAVY_HZ) -> None:
        self.hz = hz
        self.last = 0.0

    def due(self, running: bool) -> bool:
        return not running or time.perf_counter() - self.last >= 1.0 / self.hz

    def mark(self) -> None:
        """The part was just drawn."""
        self.last = time.perf_counter()


class LossCurve:
    """The loss chart's data: every epoch's train and test loss and accuracy, as drawn.

    It remembers the last epoch it drew and the training loop's Reset count, so each update
    takes the points after that one (the history thinning its older half in the meantime
    changes nothing), and a Reset or a new experiment redraws the whole curve.

    Bounded: at most MAX_POINTS points. Past that the whole curve is thinned to every other
    point (the first and the latest stay), so a run of any length keeps its shape in constant
    memory. Points whose loss is not finite are never drawn. `x_end` and `y_end` are the axes'
    ends: the x axis grows by a quarter when the curve reaches its end, the y axis fits the
    highest loss drawn."""

    def __init__(self) -> None:
        self._chunks: list[dict[str, np.ndarray]] = []  # the points drawn, as streamed
        self.size = 0
        self.ymax = 0.0
        self.x_end = 10.0
        self.y_end = 1.0
        self._drawn_epoch = -1  # the last epoch taken from the history
        self._resets: int | None = None  # the loop's Reset count when last drawn

    def _new_points(self, loop: Any) -> tuple[dict[str, np.ndarray], bool]:
        """The history's points after the last one drawn, and whether to start over."""
        history = loop.trainer.history
        restart = loop.resets != self._resets
        self._resets = loop.resets
        start = 0 if restart else bisect.bisect_right(history.epochs, self._drawn_epoch)
        if len(history.epochs) > start:
            self._drawn_epoch = history.epochs[-1]
        elif restart:
            self._drawn_epoch = -1
        new = {"epoch": np.asarray(history.epochs[start:], dtype=float),
               "train": np.asarray(history.train_loss[start:], dtype=float),
               "test": np.asarray(history.test_loss[start:], dtype=float),
               "train_accuracy": _floats(history.train_accuracy[start:]),
               "test_accuracy": _floats(history.test_accuracy[start:])}
        return new, restart

    def update(self, loop: Any) -> tuple[str, dict[str, np.ndarray]]:
        """Take the loop's new points: ("replace", every column), ("stream", the new points
        to append), or ("none", {}) when there are none."""
        new, restart = self._new_points(loop)
        finite = np.isfinite(new["train"]) & np.isfinite(new["test"])
        if not finite.all():  # never draw a blown-up loss (a weight typed by hand, say)
            new = {k: v[finite] for k, v in new.items()}
        epochs = new["epoch"]
        if restart or self.size + len(epochs) > MAX_POINTS:
            kept = [] if restart else self._chunks  # joined only here, not on every refresh
            columns = {k: np.concatenate([c[k] for c in kept] + [new[k]]) for k in LOSS_COLUMNS}
            while len(columns["epoch"]) > MAX_POINTS:  # more than once after a long stall
                size = len(columns["epoch"])
                keep = np.unique(np.append(np.arange(0, size, 2), size - 1))
                columns = {k: v[keep] for k, v in columns.items()}
            self._chunks, self.size = [columns], len(columns["epoch"])
            self.ymax = float(np.nanmax(np.concatenate([columns["train"], columns["test"]]),
                                        initial=0.0))
            change = ("replace", columns)
        elif len(epochs):
            self._chunks.append(new)
            self.size += len(epochs)
            self.ymax = max(self.ymax, float(np.nanmax(np.concatenate([new["train"],
                                                                       new["test"]]))))
            change = ("stream", new)
        else:
            change = ("none", {})
        last = float(epochs[-1]) if len(epochs) else float(loop.epoch)
        if last > self.x_end or restart:
            self.x_end = max(10.0, last * 1.25)
        self.y_end = self.ymax * 1.05 if np.isfinite(self.ymax) and self.ymax > 0 else 1.0
        return change


def _floats(values: list[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def empty_losses() -> dict[str, np.ndarray]:
    return {k: np.zeros(0) for k in LOSS_COLUMNS}
