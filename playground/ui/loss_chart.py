"""The loss chart: train and test loss per epoch, streamed as training runs."""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Range1d
from bokeh.plotting import figure

from playground.ui.training import TrainingLoop

MAX_POINTS = 2000  # beyond this the curve is thinned (every other point), never unbounded


class LossChart(pn.viewable.Viewer):
    """Train (solid) and test (dashed) loss; ranges set from Python, so nothing echoes back."""

    loop = param.ClassSelector(class_=TrainingLoop)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.source = ColumnDataSource(data=_empty())
        self.x_range = Range1d(0, 10)
        self.y_range = Range1d(0, 1)
        fig = figure(height=160, sizing_mode="stretch_width", x_range=self.x_range,
                     y_range=self.y_range, toolbar_location=None, tools="",
                     x_axis_label="Epoch", y_axis_label="Loss")
        train = fig.line("epoch", "train", source=self.source, line_width=2, color="#0877bd",
                         legend_label="Train")
        fig.line("epoch", "test", source=self.source, line_width=2, color="#f59322",
                 line_dash="dashed", legend_label="Test")
        fig.add_tools(HoverTool(renderers=[train], mode="vline", tooltips=[
            ("epoch", "@epoch{0}"), ("train", "@train{0.000}"), ("test", "@test{0.000}")]))
        fig.legend.location = "top_right"
        fig.legend.background_fill_alpha = 0.6
        self.figure = fig
        self._ymax = 0.0
        self.loop.param.watch(self._update, "refreshes")
        self._update()

    def _update(self, *_events: param.parameterized.Event) -> None:
        epochs, train, test, restart = self.loop.new_losses()
        n = len(self.source.data["epoch"])
        if restart or n + len(epochs) > MAX_POINTS:
            data = self.source.data if not restart else _empty()
            allx = np.concatenate([np.asarray(data["epoch"]), epochs])
            alltr = np.concatenate([np.asarray(data["train"]), train])
            allte = np.concatenate([np.asarray(data["test"]), test])
            if len(allx) > MAX_POINTS:
                keep = np.unique(np.append(np.arange(0, len(allx), 2), len(allx) - 1))
                allx, alltr, allte = allx[keep], alltr[keep], allte[keep]
            self.source.data = {"epoch": allx, "train": alltr, "test": allte}
            self._ymax = float(np.nanmax(np.concatenate([alltr, allte]), initial=0.0))
        elif len(epochs):
            self.source.stream({"epoch": epochs, "train": train, "test": test})
            self._ymax = max(self._ymax, float(np.nanmax(np.concatenate([train, test]))))
        last = float(epochs[-1]) if len(epochs) else float(self.loop.epoch)
        if last > self.x_range.end or restart:
            self.x_range.end = max(10.0, last * 1.25 if not restart else 10.0)
        top = self._ymax * 1.05 if np.isfinite(self._ymax) and self._ymax > 0 else 1.0
        if abs(top - self.y_range.end) > 1e-9:
            self.y_range.end = top

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.pane.Bokeh(self.figure, sizing_mode="stretch_width")


def _empty() -> dict[str, np.ndarray]:
    return {"epoch": np.zeros(0), "train": np.zeros(0), "test": np.zeros(0)}
