"""The loss chart: train and test loss per epoch, streamed as training runs, and for
classification the train and test accuracy on a second axis (0 to 1, on the right).

Bounded: the source holds at most MAX_POINTS points. Past that the whole curve is thinned to
every other point (the first and the latest stay), so a run of any length keeps its shape in
constant memory, here and in the page. Points whose loss is not finite are never drawn.
"""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem, LinearAxis, Range1d
from bokeh.plotting import figure

from playground.engine.trainer import History
from playground.ui.training import TrainingLoop

MAX_POINTS = 2000  # beyond this the curve is thinned (every other point), never unbounded
COLUMNS = ("epoch", "train", "test", "train_accuracy", "test_accuracy")
TRAIN_COLOUR, TEST_COLOUR = "#0877bd", "#f59322"
ACCURACY_ALPHA = 0.5
LOSS_TOOLTIPS = [("epoch", "@epoch{0}"), ("train", "@train{0.000}"), ("test", "@test{0.000}")]
ACCURACY_TOOLTIPS = [("train accuracy", "@train_accuracy{0.0%}"),
                     ("test accuracy", "@test_accuracy{0.0%}")]


class LossChart(pn.viewable.Viewer):
    """Train (solid) and test (dashed) loss, with thin, faint accuracy curves for
    classification (NaN, so nothing drawn, for regression); ranges set from Python, so nothing
    echoes back."""

    loop = param.ClassSelector(class_=TrainingLoop)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.source = ColumnDataSource(data=_empty())
        self.x_range = Range1d(0, 10)
        self.y_range = Range1d(0, 1)
        fig = figure(height=210, sizing_mode="stretch_width", x_range=self.x_range,
                     y_range=self.y_range, toolbar_location=None, tools="",
                     x_axis_label="Epoch", y_axis_label="Loss", name="loss")
        fig.extra_y_ranges = {"accuracy": Range1d(0, 1)}
        self.accuracy_axis = LinearAxis(y_range_name="accuracy", axis_label="Accuracy")
        fig.add_layout(self.accuracy_axis, "right")
        train = fig.line("epoch", "train", source=self.source, line_width=2, color=TRAIN_COLOUR)
        test = fig.line("epoch", "test", source=self.source, line_width=2, color=TEST_COLOUR,
                        line_dash="dashed")
        accuracy = {"y_range_name": "accuracy", "line_width": 1, "line_alpha": ACCURACY_ALPHA}
        train_acc = fig.line("epoch", "train_accuracy", source=self.source, color=TRAIN_COLOUR,
                             **accuracy)
        test_acc = fig.line("epoch", "test_accuracy", source=self.source, color=TEST_COLOUR,
                            line_dash="dashed", **accuracy)
        self.accuracy_renderers = (train_acc, test_acc)
        self.accuracy_items = (LegendItem(label="Train accuracy", renderers=[train_acc]),
                               LegendItem(label="Test accuracy", renderers=[test_acc]))
        self.legend = Legend(items=[LegendItem(label="Train", renderers=[train]),
                                    LegendItem(label="Test", renderers=[test]),
                                    *self.accuracy_items],
                             orientation="horizontal", ncols=2, background_fill_alpha=0.6,
                             label_text_font_size="11px", spacing=8, padding=2, margin=2)
        fig.add_layout(self.legend, "below")
        self.hover = HoverTool(renderers=[train], mode="vline", tooltips=list(LOSS_TOOLTIPS))
        fig.add_tools(self.hover)
        self.figure = fig
        self._ymax = 0.0
        self._classification: bool | None = None
        self.loop.param.watch(self._update, "refreshes")
        self._update()

    def _update(self, *_events: param.parameterized.Event) -> None:
        epochs, train, test, restart = self.loop.new_losses()
        train_acc, test_acc = _latest_accuracies(self.loop.trainer.history, len(epochs))
        self._show_accuracy(self.loop.trainer.problem == "classification")
        new = {"epoch": epochs, "train": train, "test": test, "train_accuracy": train_acc,
               "test_accuracy": test_acc}
        finite = np.isfinite(train) & np.isfinite(test) & np.isfinite(epochs)
        if not finite.all():  # never draw a blown-up loss (a weight typed by hand, say)
            new = {k: v[finite] for k, v in new.items()}
            epochs, train, test = new["epoch"], new["train"], new["test"]
        n = len(self.source.data["epoch"])
        if restart or n + len(epochs) > MAX_POINTS:
            data = self.source.data if not restart else _empty()
            columns = {k: np.concatenate([np.asarray(data[k], dtype=float), new[k]])
                       for k in COLUMNS}
            while len(columns["epoch"]) > MAX_POINTS:  # more than once after a long stall
                size = len(columns["epoch"])
                keep = np.unique(np.append(np.arange(0, size, 2), size - 1))
                columns = {k: v[keep] for k, v in columns.items()}
            self.source.data = columns
            self._ymax = float(np.nanmax(np.concatenate([columns["train"], columns["test"]]),
                                         initial=0.0))
        elif len(epochs):
            self.source.stream(new)
            self._ymax = max(self._ymax, float(np.nanmax(np.concatenate([train, test]))))
        last = float(epochs[-1]) if len(epochs) else float(self.loop.epoch)
        if last > self.x_range.end or restart:
            self.x_range.end = max(10.0, last * 1.25)
        top = self._ymax * 1.05 if np.isfinite(self._ymax) and self._ymax > 0 else 1.0
        if abs(top - self.y_range.end) > 1e-9:
            self.y_range.end = top

    def _show_accuracy(self, classification: bool) -> None:
        """Accuracy axis, curves, legend entries and tooltips only where there is accuracy."""
        if classification == self._classification:
            return
        self._classification = classification
        for model in (self.accuracy_axis, *self.accuracy_renderers, *self.accuracy_items):
            model.visible = classification
        self.hover.tooltips = LOSS_TOOLTIPS + (ACCURACY_TOOLTIPS if classification else [])

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.pane.Bokeh(self.figure, sizing_mode="stretch_width")


def _latest_accuracies(history: History, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The last n train and test accuracies (the points `new_losses` just returned), NaN where
    there is none (regression)."""
    start = len(history.epochs) - n
    return (_floats(history.train_accuracy[start:]), _floats(history.test_accuracy[start:]))


def _floats(values: list[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _empty() -> dict[str, np.ndarray]:
    return {k: np.zeros(0) for k in COLUMNS}
