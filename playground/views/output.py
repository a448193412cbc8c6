"""The output view: what the network predicts over the whole input plane, with the data on top
(painted by playground.painter.output), and its two checkboxes."""

from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, LinearColorMapper, Range1d
from bokeh.plotting import figure
from bokeh.transform import transform

from playground.painter import network_data as nd
from playground.painter import output as painted
from playground.painter import settings as settings_painter
from playground.views.host import Registry

MAX_WIDTH = 360
# The whole label is the target (44 px tall, for a finger), the box a little larger.
CHECKBOX_CSS = """label { display: inline-flex; align-items: center; gap: 6px; min-height: 44px;
  cursor: pointer; }
input[type="checkbox"] { width: 18px; height: 18px; }"""


class OutputView(pn.viewable.Viewer):
    """Heatmap of the network's output over [-6, 6]^2 with the train (and test) points."""

    def __init__(self, registry: Registry, **params) -> None:
        super().__init__(**params)
        self.mapper = LinearColorMapper(palette=nd.PALETTE, low=-1.0, high=1.0)
        self.heat = ColumnDataSource(data={"image": [np.zeros((2, 2), dtype=np.float32)]})
        self.train_points = ColumnDataSource(data={"x": [], "y": [], "c": []})
        self.test_points = ColumnDataSource(data={"x": [], "y": [], "c": []})
        extent = painted.EXTENT
        # scale_width: square at any width, up to MAX_WIDTH (a phone, an iframe, a desktop)
        fig = figure(width=300, height=300, sizing_mode="scale_width", max_width=MAX_WIDTH,
                     title=None,
                     x_range=Range1d(-extent, extent), y_range=Range1d(-extent, extent),
                     toolbar_location=None, tools="", min_border=4, match_aspect=True,
                     name="output")
        fig.image(image="image", x=-extent, y=-extent, dw=2 * extent, dh=2 * extent,
                  source=self.heat, color_mapper=self.mapper, global_alpha=0.75)
        fig.scatter("x", "y", source=self.train_points, size=6, line_color="white",
                    line_width=1, fill_color=transform("c", self.mapper))
        self.test_renderer = fig.scatter("x", "y", source=self.test_points, size=6,
                                         line_color="#222", line_width=1.5,
                                         fill_color=transform("c", self.mapper), visible=False)
        fig.grid.visible = False
        self.figure = fig
        # One-option checkbox groups rather than Panel's Checkbox: Bokeh 3.7 draws a
        # Checkbox's text as a <div> beside the input, so the input has no accessible name
        # and a click on the text does nothing; a group wraps input and text in a <label>.
        self.flags = [registry.add(settings_painter.target(name), pn.widgets.CheckBoxGroup(
            options=[settings_painter.FLAG_LABELS[name]], value=[], height=44, margin=(0, 8),
            stylesheets=[CHECKBOX_CSS])) for name in settings_painter.OUTPUT_FLAGS]
        for target, obj in ((painted.HEAT, self.heat), (painted.TRAIN, self.train_points),
                            (painted.TEST, self.test_points), (painted.MAPPER, self.mapper),
                            (painted.TEST_RENDERER, self.test_renderer),
                            ("output.figure", self.figure)):
            registry.add(target, obj)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.pane.Bokeh(self.figure, sizing_mode="stretch_width",
                                       max_width=MAX_WIDTH),
                         pn.Row(*self.flags, margin=0, styles={"flex-wrap": "wrap"}),
                         sizing_mode="stretch_width")
