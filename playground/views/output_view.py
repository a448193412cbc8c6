"""The output view: what the network predicts over the whole input plane, with the data on top.

A heatmap of the output over [-6, 6]^2, orange for one class and blue for the other (or the
regression surface, or one colour per class for three or more), the training points, and
optionally the test points (outlined in black). "Discretize output" shows hard regions.
"""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, LinearColorMapper, Range1d
from bokeh.plotting import figure
from bokeh.transform import transform

from playground.painter import network_data as nd
from playground.painter.frames import output_image

EXTENT = 6.0
MAX_WIDTH = 360
# One colour per class; the first two are the two-class orange and blue. Chosen so that every
# pair stays apart (CIE76 difference over 20) with normal vision and simulated protanopia,
# deuteranopia and tritanopia; the first three (the 3-class spiral) by CIEDE2000 too. See
# tests/ui/test_colours.py.
CLASS_COLOURS = ("#f59322", "#0877bd", "#b2182b", "#00f0a5", "#8700ff", "#b4d2ff", "#782d5a",
                 "#c387a5", "#4b2db4", "#a5a55a")


def point_colours(labels: np.ndarray, n_classes: int | None) -> np.ndarray:
    """Labels as numbers on the shared colour scale: -1..1 for two classes and regression,
    the class index for three or more."""
    labels = np.asarray(labels, dtype=float)
    if n_classes is not None and n_classes > 2:
        return labels
    return np.clip(labels, -1.0, 1.0)


class OutputView(pn.viewable.Viewer):
    """Heatmap of the network's output over [-6, 6]^2 with the train (and test) points."""

    show_test_data = param.Boolean(default=False, label="Show test data")
    discretize = param.Boolean(default=False, label="Discretize output")
    hidden = param.List(default=[], item_type=str, doc="`_hide` keys of checkboxes left out.")

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.mapper = LinearColorMapper(palette=nd.PALETTE, low=-1.0, high=1.0)
        self.heat = ColumnDataSource(data={"image": [np.zeros((2, 2), dtype=np.float32)]})
        self.train_points = ColumnDataSource(data={"x": [], "y": [], "c": []})
        self.test_points = ColumnDataSource(data={"x": [], "y": [], "c": []})
        rng = (-EXTENT, EXTENT)
        # scale_width: square at any width, up to MAX_WIDTH (a phone, an iframe, a desktop)
        fig = figure(width=300, height=300, sizing_mode="scale_width", max_width=MAX_WIDTH,
                     x_range=Range1d(*rng), y_range=Range1d(*rng), toolbar_location=None,
                     tools="", min_border=4, match_aspect=True, name="output")
        fig.image(image="image", x=-EXTENT, y=-EXTENT, dw=2 * EXTENT, dh=2 * EXTENT,
                  source=self.heat, color_mapper=self.mapper, global_alpha=0.75)
        fig.scatter("x", "y", source=self.train_points, size=6, line_color="white",
                    line_width=1, fill_color=transform("c", self.mapper))
        self._test_renderer = fig.scatter("x", "y", source=self.test_points, size=6,
                                          line_color="#222", line_width=1.5,
                                          fill_color=transform("c", self.mapper),
                                          visible=self.show_test_data)
        fig.grid.visible = False
        self.figure = fig
        self.n_classes: int | None = 2

    def set_points(self, train: tuple[np.ndarray, np.ndarray],
                   test: tuple[np.ndarray, np.ndarray], n_classes: int | None) -> None:
        """Data points (x (N, 2), labels (N,)); a new dataset."""
        self.n_classes = n_classes
        if n_classes is not None and n_classes > 2:
            self.mapper.update(palette=list(CLASS_COLOURS[:n_classes]), low=-0.5,
                               high=n_classes - 0.5)
        else:
            self.mapper.update(palette=nd.PALETTE, low=-1.0, high=1.0)
        for source, (x, y) in ((self.train_points, train), (self.test_points, test)):
            x = np.asarray(x, dtype=float)
            source.data = {"x": x[:, 0], "y": x[:, 1], "c": point_colours(y, n_classes)}

    def set_output(self, out: np.ndarray, kind: str, n: int) -> None:
        """out: the network's outputs over grid(n), (n*n, k); kind: the output activation."""
        self.heat.data.update(image=[output_image(out, kind, self.n_classes, n,
                                                  self.discretize)])

    @param.depends("show_test_data", watch=True)
    def _toggle_test(self) -> None:
        self._test_renderer.visible = self.show_test_data

    def _checkbox(self, name: str) -> pn.widgets.CheckBoxGroup:
        """A checkbox for the Boolean parameter `name`, with its label as a real <label>.

        A one-option CheckboxGroup rather than Panel's Checkbox: Bokeh 3.7 draws a Checkbox's
        text as a <div> beside the input, so the input has no accessible name and a click on
        the text does nothing; a group wraps each input and its text in a <label>."""
        label = self.param[name].label
        box = pn.widgets.CheckBoxGroup(options=[label], value=[label] if getattr(self, name)
                                       else [], height=44, margin=(0, 8),
                                       stylesheets=[CHECKBOX_CSS])
        box.param.watch(lambda e: setattr(self, name, label in e.new), "value")
        self.param.watch(lambda e: setattr(box, "value", [label] if e.new else []), name)
        return box

    def __panel__(self) -> pn.viewable.Viewable:
        boxes = [self._checkbox(name) for key, name in (("showTestData", "show_test_data"),
                                                        ("discretize", "discretize"))
                 if key not in self.hidden]
        return pn.Column(pn.pane.Bokeh(self.figure, sizing_mode="stretch_width",
                                       max_width=MAX_WIDTH),
                         pn.Row(*boxes, margin=0, styles={"flex-wrap": "wrap"}),
                         sizing_mode="stretch_width")


# The whole label is the target (44 px tall, for a finger), the box a little larger.
CHECKBOX_CSS = """label { display: inline-flex; align-items: center; gap: 6px; min-height: 44px;
  cursor: pointer; }
input[type="checkbox"] { width: 18px; height: 18px; }"""
