"""The loss chart: train and test loss per epoch, streamed as training runs, and for
classification the train and test accuracy on a second axis (0 to 1, on the right).

Bounded: the source holds at most frames.MAX_POINTS points. Past that the whole curve is thinned
to every other point (the first and the latest stay), so a run of any length keeps its shape in
constant memory, here and in the page. Points whose loss is not finite are never drawn. What is
drawn is frames.LossCurve's, which the quick start (before this chart exists) draws too.
"""

from __future__ import annotations

import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem, LinearAxis, Range1d
from bokeh.plotting import figure

from playground.model.training import TrainingLoop
from playground.painter.frames import LossCurve, empty_losses

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
        self.curve = LossCurve()
        self.source = ColumnDataSource(data=empty_losses())
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
        self._classification: bool | None = None
        self.loop.param.watch(self._update, "refreshes")
        self._update()

    def _update(self, *_events: param.parameterized.Event) -> None:
        self._show_accuracy(self.loop.trainer.problem == "classification")
        change, data = self.curve.update(self.loop)
        if change == "replace":
            self.source.data = data
        elif change == "stream":
            self.source.stream(data)
        if self.curve.x_end != self.x_range.end:
            self.x_range.end = self.curve.x_end
        if abs(self.curve.y_end - self.y_range.end) > 1e-9:
            self.y_range.end = self.curve.y_end

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

