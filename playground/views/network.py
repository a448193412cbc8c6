"""The network view: neurons as heatmaps, weights as lines whose width and colour show them.

One Bokeh figure, made once; what it shows is painted (playground.painter.network). Per refresh
only numbers travel: the weights column of the segment source (width and colour follow on the
page through a colour mapper), the thumbnails and the bias colours. Tap a line (or a bias
square) to edit it; tap an input to switch it off. A tap takes the nearest line within
TAP_PX of the finger, not only one under it (`TAP_JS`, in the page).
"""

from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, CustomJS, HoverTool, LinearColorMapper, Range1d
from bokeh.plotting import figure
from bokeh.transform import transform

from playground.painter import network as painted
from playground.painter import network_data as nd
from playground.views.host import Registry

# Read by screen readers, not drawn: the figure's text alternative (a canvas has none).
VISUALLY_HIDDEN = (":host { position: absolute !important; width: 1px !important; "
                   "height: 1px !important; margin: 0 !important; padding: 0 !important; "
                   "overflow: hidden !important; clip-path: inset(50%) !important; "
                   "white-space: nowrap !important; }")


TAP_PX = 12  # a finger: a tap this close to a line (in CSS pixels) takes it
# Runs in the page on a tap: which neuron, bias square or line the finger meant. On a bias
# square (within 8 px of its centre): that bias; inside a neuron's picture: that neuron; else
# the nearest bias square or line within TAP_PX; else nothing (the choice is cleared). Sets
# the sources' selections, which the views take (playground.painter.inputs).
TAP_JS = """
const view = Bokeh.index.find_one(fig);
if (view === null) { return; }
const xs = view.frame.x_scale, ys = view.frame.y_scale;
const px = cb_obj.sx, py = cb_obj.sy;
const col = (source, name) => {
  const data = source.data;
  return Array.from(data instanceof Map ? data.get(name) : data[name]);
};
function choose(target) {
  for (const [source, wanted] of [[lines, "lines"], [biases, "biases"], [thumbs, "thumbs"]]) {
    if (wanted !== target[0]) source.selected.indices = [];
  }
  if (target[0] !== null) ({lines, biases, thumbs})[target[0]].selected.indices = [target[1]];
}
// A bias square sits on its neuron's corner: close to it, the bias, not the neuron.
const bx = col(biases, "x"), by = col(biases, "y");
const dBias = bx.map((x, i) => Math.hypot(px - xs.compute(x), py - ys.compute(by[i])));
const nearest = dBias.reduce((best, d, i) => (d < dBias[best] ? i : best), 0);
if (dBias.length && dBias[nearest] <= 8) {
  choose(["biases", nearest]);
  return;
}
const cx = col(thumbs, "cx"), cy = col(thumbs, "cy"), side = col(thumbs, "dw");
for (let i = 0; i < cx.length; i++) {
  const half = Math.abs(xs.compute(cx[i] + side[i] / 2) - xs.compute(cx[i]));
  if (Math.abs(px - xs.compute(cx[i])) <= half && Math.abs(py - ys.compute(cy[i])) <= half) {
    choose(["thumbs", i]);
    return;
  }
}
let best = [null, -1], bestDistance = reach;
if (dBias.length && dBias[nearest] <= reach) {
  best = ["biases", nearest];
  bestDistance = dBias[nearest];
}
const x0 = col(lines, "x0"), y0 = col(lines, "y0"), x1 = col(lines, "x1"), y1 = col(lines, "y1");
for (let i = 0; i < x0.length; i++) {
  const ax = xs.compute(x0[i]), ay = ys.compute(y0[i]), bx_ = xs.compute(x1[i]);
  const by_ = ys.compute(y1[i]);
  const dx = bx_ - ax, dy = by_ - ay, length2 = dx * dx + dy * dy;
  const t = length2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2)) : 0;
  const d = Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
  if (d < bestDistance) { best = ["lines", i]; bestDistance = d; }
}
choose(best);
"""


class NetworkView(pn.viewable.Viewer):
    """The network's figure and its description in words."""

    def __init__(self, registry: Registry, **params) -> None:
        super().__init__(**params)
        self.mapper = LinearColorMapper(palette=nd.PALETTE, low=-1.0, high=1.0)
        empty = painted.placeholder()
        self.lines = ColumnDataSource(data=dict(empty[painted.LINES].data))
        self.thumbs = ColumnDataSource(data=dict(empty[painted.THUMBS].data))
        self.biases = ColumnDataSource(data=dict(empty[painted.BIASES].data))
        self.values = ColumnDataSource(data=dict(empty[painted.VALUES].data))
        self.labels = ColumnDataSource(data=dict(empty[painted.LABELS].data))
        self.x_range = Range1d(-1.0, 10.0)
        self.y_range = Range1d(-7.0, 7.0)
        # scale_width: the drawing keeps its proportions (square neurons) at any width
        fig = figure(width=640, height=400, sizing_mode="scale_width", max_width=720, title=None,
                     x_range=self.x_range, y_range=self.y_range, toolbar_location=None,
                     tools="", match_aspect=False, min_border=4, outline_line_color=None,
                     name="network")
        fig.axis.visible = False
        fig.grid.visible = False
        segs = fig.segment("x0", "y0", "x1", "y1", source=self.lines, line_width="lw",
                           line_color=transform("c", self.mapper), line_alpha="la",
                           selection_line_color="#222", selection_line_alpha=1.0,
                           nonselection_line_alpha=0.6)
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.thumbs,
                  color_mapper=self.mapper, global_alpha=1.0)
        fig.rect(x="cx", y="cy", width="dw", height="dh", source=self.thumbs, fill_alpha=0,
                 line_color="#888", line_alpha="edge_alpha")
        fig.text(x="x", y="y", text="text", source=self.labels, text_font_size="11px",
                 text_align="center", text_baseline="bottom", text_color="#444")
        values = fig.text(x="x", y="y", text="text", source=self.values, text_font_size="12px",
                          text_align="center", text_baseline="middle", text_color="#111",
                          text_font_style="bold", background_fill_color="white",
                          background_fill_alpha=0.8, visible=False)
        bias = fig.rect(x="x", y="y", width=0.28, height=0.28, source=self.biases,
                        fill_color=transform("c", self.mapper), line_color="#555",
                        selection_line_color="#222", selection_line_width=3,
                        nonselection_fill_alpha=1.0, nonselection_line_alpha=1.0)
        fig.add_tools(HoverTool(renderers=[segs], line_policy="interp", tooltips=[
            ("weight", "@w{0.000}"), ("from", "@from_label"), ("to", "@to_label")]))
        fig.add_tools(HoverTool(renderers=[bias], tooltips=[("bias", "@b{0.000}")]))
        fig.js_on_event("tap", CustomJS(args={"fig": fig, "lines": self.lines,
                                              "thumbs": self.thumbs, "biases": self.biases,
                                              "reach": TAP_PX}, code=TAP_JS))
        self.figure = fig
        self.description = pn.pane.HTML("", css_classes=["pg-network-description"],
                                        stylesheets=[VISUALLY_HIDDEN], margin=0)
        for target, obj in ((painted.LINES, self.lines), (painted.THUMBS, self.thumbs),
                            (painted.BIASES, self.biases), (painted.VALUES, self.values),
                            (painted.LABELS, self.labels), (painted.VALUES_RENDERER, values),
                            (painted.X_RANGE, self.x_range), (painted.Y_RANGE, self.y_range),
                            (painted.SELECTION, self.lines.selected),
                            (painted.THUMB_SELECTION, self.thumbs.selected),
                            (painted.BIAS_SELECTION, self.biases.selected),
                            (painted.DESCRIPTION, self.description)):
            registry.add(target, obj)

    def shown_weights(self) -> np.ndarray:
        """The weights the lines show now (for tests and notebooks)."""
        return np.asarray(self.lines.data["w"])

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.description,
                         pn.pane.Bokeh(self.figure, sizing_mode="stretch_width", max_width=720),
                         sizing_mode="stretch_width", margin=0)
