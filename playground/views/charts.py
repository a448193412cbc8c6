"""The charts: the loss per epoch, the activation explorer, and the digits' learned features.
Made once; what they show is painted (playground.painter.charts, playground.painter.features).
Ranges are set from Python (Range1d), so nothing echoes back from the page."""

from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import (
    ColumnDataSource,
    HoverTool,
    Legend,
    LegendItem,
    LinearAxis,
    LinearColorMapper,
    Range1d,
    Span,
)
from bokeh.palettes import Greys256
from bokeh.plotting import figure

from playground.painter import charts as painted
from playground.painter import features as feats
from playground.painter.frames import empty_losses
from playground.painter.network_data import PALETTE
from playground.views.host import Registry

TRAIN_COLOUR, TEST_COLOUR = "#0877bd", "#f59322"
ACCURACY_ALPHA = 0.5
FEATURES_INTRO = (
    "Layers learn features: each square shows what one first-layer neuron looks for, its 64 "
    "weights drawn as an 8x8 image (blue: pixel pushes the neuron up, orange: pushes it down). "
    "Under it, the training digits that excite it most.")


class LossChart(pn.viewable.Viewer):
    """Train (solid) and test (dashed) loss, with thin, faint accuracy curves on a second
    axis (0 to 1) for classification."""

    def __init__(self, registry: Registry, **params) -> None:
        super().__init__(**params)
        self.source = ColumnDataSource(data=empty_losses())
        self.x_range = Range1d(0, 10)
        self.y_range = Range1d(0, 1)
        fig = figure(height=210, sizing_mode="stretch_width", x_range=self.x_range, title=None,
                     y_range=self.y_range, toolbar_location=None, tools="",
                     x_axis_label="Epoch", y_axis_label="Loss", name="loss")
        fig.extra_y_ranges = {"accuracy": Range1d(0, 1)}
        accuracy_axis = LinearAxis(y_range_name="accuracy", axis_label="Accuracy")
        fig.add_layout(accuracy_axis, "right")
        train = fig.line("epoch", "train", source=self.source, line_width=2, color=TRAIN_COLOUR)
        test = fig.line("epoch", "test", source=self.source, line_width=2, color=TEST_COLOUR,
                        line_dash="dashed")
        accuracy = {"y_range_name": "accuracy", "line_width": 1, "line_alpha": ACCURACY_ALPHA}
        train_acc = fig.line("epoch", "train_accuracy", source=self.source, color=TRAIN_COLOUR,
                             **accuracy)
        test_acc = fig.line("epoch", "test_accuracy", source=self.source, color=TEST_COLOUR,
                            line_dash="dashed", **accuracy)
        items = (LegendItem(label="Train accuracy", renderers=[train_acc]),
                 LegendItem(label="Test accuracy", renderers=[test_acc]))
        fig.add_layout(Legend(items=[LegendItem(label="Train", renderers=[train]),
                                     LegendItem(label="Test", renderers=[test]), *items],
                              orientation="horizontal", ncols=2, background_fill_alpha=0.6,
                              label_text_font_size="11px", spacing=8, padding=2, margin=2),
                       "below")
        hover = HoverTool(renderers=[train], mode="vline", tooltips=list(painted.LOSS_TOOLTIPS))
        fig.add_tools(hover)
        self.figure = fig
        for target, obj in zip(painted.ACCURACY, (accuracy_axis, train_acc, test_acc, *items),
                               strict=True):
            registry.add(target, obj)
        for target, obj in ((painted.LOSS, self.source), (painted.LOSS_X, self.x_range),
                            (painted.LOSS_Y, self.y_range), (painted.LOSS_HOVER, hover)):
            registry.add(target, obj)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.pane.Bokeh(self.figure, sizing_mode="stretch_width")


class ActivationView(pn.viewable.Viewer):
    """One figure with f(x) (solid blue) and f'(x) (dashed orange), and a short explanation."""

    def __init__(self, registry: Registry, **params) -> None:
        super().__init__(**params)
        n = 161
        self.source = ColumnDataSource(data={"x": np.linspace(painted.X_LO, painted.X_HI, n),
                                             "f": np.zeros(n), "df": np.zeros(n)})
        self.x_range = Range1d(painted.X_LO, painted.X_HI)
        self.y_range = Range1d(-1.0, 1.0)
        fig = figure(height=170, sizing_mode="stretch_width", x_range=self.x_range, title=None,
                     y_range=self.y_range, toolbar_location=None, tools="", min_border=4)
        fig.add_layout(Span(location=0, dimension="width", line_color="#bbb", line_width=1))
        fig.add_layout(Span(location=0, dimension="height", line_color="#bbb", line_width=1))
        f_line = fig.line("x", "f", source=self.source, line_width=2, color=TRAIN_COLOUR,
                          legend_label="f(x)")
        fig.line("x", "df", source=self.source, line_width=2, color=TEST_COLOUR,
                 line_dash="dashed", legend_label="f′(x) (derivative)")
        fig.add_tools(HoverTool(renderers=[f_line], mode="vline", tooltips=[
            ("x", "@x{0.00}"), ("f(x)", "@f{0.000}"), ("f′(x)", "@df{0.000}")]))
        fig.legend.location = "top_left"
        fig.legend.background_fill_alpha = 0.6
        self.figure = fig
        self.text = pn.pane.HTML("", sizing_mode="stretch_width")
        for target, obj in ((painted.ACT_SOURCE, self.source), (painted.ACT_Y, self.y_range),
                            (painted.ACT_TEXT, self.text)):
            registry.add(target, obj)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"), self.text,
                         sizing_mode="stretch_width")


class FeaturesView(pn.viewable.Viewer):
    """Weight images (diverging colours) over each neuron's most exciting digits (greyscale)."""

    def __init__(self, registry: Registry, **params) -> None:
        super().__init__(**params)
        images = {"image": [], "x": np.zeros(0), "y": np.zeros(0), "dw": np.zeros(0),
                  "dh": np.zeros(0), "neuron": np.zeros(0, dtype=int)}
        self.weights_source = ColumnDataSource(data=dict(images))
        self.examples_source = ColumnDataSource(data={**images, "row": np.zeros(0, dtype=int)})
        self.labels_source = ColumnDataSource(data={"x": np.zeros(0), "y": np.zeros(0),
                                                    "label": []})
        self.x_range = Range1d(*feats.x_extent(4))
        fig = figure(height=300, sizing_mode="stretch_width", x_range=self.x_range, title=None,
                     y_range=Range1d(-0.15, feats.Y_TOP), toolbar_location=None, tools="",
                     min_border=4, outline_line_color=None, visible=False)
        fig.axis.visible = False
        fig.grid.visible = False
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.weights_source,
                  color_mapper=LinearColorMapper(palette=PALETTE, low=-1.0, high=1.0))
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.examples_source,
                  color_mapper=LinearColorMapper(palette=list(reversed(Greys256)), low=0.0,
                                                 high=1.0))
        fig.text(x="x", y="y", text="label", source=self.labels_source, text_font_size="10px",
                 text_align="center", text_baseline="bottom", text_color="#444")
        self.figure = fig
        self.intro = pn.pane.HTML(f"<p>{FEATURES_INTRO}</p>", sizing_mode="stretch_width",
                                  visible=False)
        for target, obj in ((feats.WEIGHTS, self.weights_source),
                            (feats.EXAMPLES, self.examples_source),
                            (feats.LABELS, self.labels_source), (feats.X_RANGE, self.x_range),
                            ("features.figure", fig), ("features.intro", self.intro)):
            registry.add(target, obj)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.intro, pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"),
                         sizing_mode="stretch_width")
