"""The network view: neurons as heatmaps, weights as lines whose width and colour show them.

One Bokeh figure, created once. Per refresh only numbers travel: the weights column of the
segment source (width and colour follow on the page through a colour mapper), the thumbnails
and the bias colours. A new topology replaces the sources' data (not per frame).
Tap a line (or its neuron's bias square) to edit that weight; tap an input to switch it on/off.
"""

from __future__ import annotations

import html

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, LinearColorMapper, Range1d, TapTool
from bokeh.plotting import figure
from bokeh.transform import transform

from playground.painter import network_data as nd

THUMB_GRID = 16  # thumbnail resolution (a 64x64 forward pass, every 4th point)
# Read by screen readers, not drawn: the figure's text alternative (a canvas has none).
VISUALLY_HIDDEN = (":host { position: absolute !important; width: 1px !important; "
                   "height: 1px !important; margin: 0 !important; padding: 0 !important; "
                   "overflow: hidden !important; clip-path: inset(50%) !important; "
                   "white-space: nowrap !important; }")
ASPECT = 640 / 400  # the figure's width / height


class NetworkView(pn.viewable.Viewer):
    """Draws a network given its layer sizes, weights, biases and per-neuron heatmaps."""

    selected_weight = param.Parameter(default=None, doc="(layer, src, dst) of the tapped line")
    tapped_input = param.Integer(default=None, allow_None=True, doc="index of a tapped input")

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.mapper = LinearColorMapper(palette=nd.PALETTE, low=-1.0, high=1.0)
        self.lines = ColumnDataSource(data=_empty_lines())
        self.thumbs = ColumnDataSource(data=_empty_thumbs())
        self.biases = ColumnDataSource(data=_empty_biases())
        self.x_range = Range1d(-1.0, 10.0)
        self.y_range = Range1d(-7.0, 7.0)
        # scale_width: the drawing keeps its proportions (square neurons) at any width
        fig = figure(width=640, height=400, sizing_mode="scale_width", max_width=720,
                     x_range=self.x_range,
                     y_range=self.y_range, toolbar_location=None, tools="",
                     match_aspect=False, min_border=4, outline_line_color=None,
                     name="network")
        fig.axis.visible = False
        fig.grid.visible = False
        segs = fig.segment("x0", "y0", "x1", "y1", source=self.lines, line_width="lw",
                           line_color=transform("c", self.mapper), line_alpha="la",
                           selection_line_color="#222", selection_line_alpha=1.0,
                           nonselection_line_alpha=0.6)
        imgs = fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.thumbs,
                         color_mapper=self.mapper, global_alpha=1.0)
        fig.rect(x="cx", y="cy", width="dw", height="dh", source=self.thumbs, fill_alpha=0,
                 line_color="#888", line_alpha="edge_alpha")
        fig.text(x="x", y="ty", text="label", source=self.thumbs, text_font_size="11px",
                 text_align="center", text_baseline="bottom", text_color="#444")
        self.values = ColumnDataSource(data={"x": [], "y": [], "text": []})
        fig.text(x="x", y="y", text="text", source=self.values, text_font_size="12px",
                 text_align="center", text_baseline="middle", text_color="#111",
                 text_font_style="bold", background_fill_color="white",
                 background_fill_alpha=0.8)
        bias = fig.rect(x="x", y="y", width=0.28, height=0.28, source=self.biases,
                        fill_color=transform("c", self.mapper), line_color="#555")
        fig.add_tools(HoverTool(renderers=[segs], line_policy="interp", tooltips=[
            ("weight", "@w{0.000}"), ("from", "@from_label"), ("to", "@to_label")]))
        fig.add_tools(HoverTool(renderers=[bias], tooltips=[("bias", "@b{0.000}")]))
        fig.add_tools(TapTool(renderers=[segs, imgs]))
        self.lines.selected.on_change("indices", self._on_line_tap)
        self.thumbs.selected.on_change("indices", self._on_thumb_tap)
        self.figure = fig
        self.sizes: list[int] = []
        # The figure's text alternative, announced again whenever the shape changes.
        self.description = pn.pane.HTML("", css_classes=["pg-network-description"],
                                        stylesheets=[VISUALLY_HIDDEN], margin=0)

    # topology --------------------------------------------------------------------------------
    def set_topology(self, sizes: list[int], input_labels: list[str], inactive: list[bool],
                     output_label: str = "output") -> None:
        """Lay the network out again (a layer or neuron was added/removed, inputs switched)."""
        self.sizes = list(sizes)
        self.description.object = (f'<p role="status" aria-live="polite">'
                                   f"{html.escape(describe(sizes, input_labels))}</p>")
        segs = nd.weight_segments(sizes)
        labels = _neuron_labels(sizes, input_labels, output_label)
        pairs = zip(segs["layer"], segs["src"], segs["dst"], strict=True)
        ends = [(labels[int(k)][int(s)], labels[int(k) + 1][int(d)]) for k, s, d in pairs]
        segs["from_label"] = [a for a, _ in ends]
        segs["to_label"] = [b for _, b in ends]
        segs["w"] = np.zeros(len(segs["x0"]))
        segs["c"] = np.zeros(len(segs["x0"]))
        segs["lw"] = nd.line_widths(segs["w"])
        segs["la"] = np.full(len(segs["x0"]), nd.LINE_ALPHA)
        self.lines.selected.indices = []
        self.lines.data = segs
        pos = nd.neuron_positions(sizes)
        xy = np.concatenate(pos)
        n = len(xy)
        side = np.concatenate([np.full(len(p), nd.thumb_size(len(p))) for p in pos])
        blank = np.zeros((THUMB_GRID, THUMB_GRID), dtype=np.float32)
        layer_of = np.concatenate([np.full(len(p), i) for i, p in enumerate(pos)])
        edge = np.ones(n)
        edge[: len(inactive)] = np.where(inactive, 0.25, 1.0)
        self.thumbs.selected.indices = []
        self.thumbs.data = {
            "image": [blank] * n,
            "x": xy[:, 0] - side / 2, "y": xy[:, 1] - side / 2, "cx": xy[:, 0], "cy": xy[:, 1],
            "dw": side, "dh": side, "ty": xy[:, 1] + side / 2 + 0.05,
            "label": [lab if (layer_of[i] == 0 and sizes[0] <= nd.MAX_ROWS)
                      or (layer_of[i] == len(sizes) - 1 and sizes[-1] <= 3) else ""
                      for i, lab in enumerate(sum(labels, []))],
            "layer": layer_of, "edge_alpha": edge,
        }
        hidden = np.concatenate(pos[1:]) if len(pos) > 1 else np.zeros((0, 2))
        self.biases.data = {"x": hidden[:, 0] - nd.THUMB / 2, "y": hidden[:, 1] - nd.THUMB / 2,
                            "b": np.zeros(len(hidden)), "c": np.zeros(len(hidden))}
        self.values.data = {"x": xy[:, 0], "y": xy[:, 1], "text": [""] * n}
        (x0, x1), (y0, y1) = nd.view_ranges(sizes, ASPECT)
        self.x_range.update(start=x0, end=x1)
        self.y_range.update(start=y0, end=y1)

    # per refresh ------------------------------------------------------------------------------
    def set_weights(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        w = nd.flatten(weights)
        b = nd.flatten(biases)
        if len(w) != len(self.lines.data["x0"]):
            return  # topology and weights out of step for one frame; the next refresh fixes it
        self.lines.data.update(**nd.line_columns(w))
        self.biases.data.update(**nd.bias_columns(b))

    def show_lines(self, colour: np.ndarray, widths: np.ndarray, alpha: np.ndarray) -> None:
        """Draw the lines from other numbers than the weights (gradients, in the step-through):
        colour in [-1, 1], widths in pixels, alpha per line."""
        if len(colour) == len(self.lines.data["x0"]):
            self.lines.data.update(c=colour, lw=widths, la=alpha)

    def set_values(self, texts: list[str]) -> None:
        """A short text on every neuron, inputs first ('' for none)."""
        if len(texts) == len(self.values.data["x"]):
            self.values.data.update(text=list(texts))

    def set_heatmaps(self, images: list[np.ndarray]) -> None:
        if len(images) == len(self.thumbs.data["x"]):
            self.thumbs.data.update(image=images)

    # taps -----------------------------------------------------------------------------------
    def _on_line_tap(self, attr: str, old: list[int], new: list[int]) -> None:
        if not new:
            self.selected_weight = None
            return
        i = new[0]
        data = self.lines.data
        self.selected_weight = (int(data["layer"][i]), int(data["src"][i]), int(data["dst"][i]))

    def _on_thumb_tap(self, attr: str, old: list[int], new: list[int]) -> None:
        if new and int(self.thumbs.data["layer"][new[0]]) == 0:
            self.tapped_input = int(new[0])
            self.tapped_input = None  # a tap is an event, not a state
        if new:
            self.thumbs.selected.indices = []

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.description,
                         pn.pane.Bokeh(self.figure, sizing_mode="stretch_width", max_width=720),
                         sizing_mode="stretch_width", margin=0)


def describe(sizes: list[int], input_labels: list[str]) -> str:
    """The network drawing in words, e.g. "Network: 2 inputs (X₁, X₂), hidden layers of 4
    and 2 neurons, 1 output. ..."."""
    n_in, hidden, n_out = sizes[0], list(sizes[1:-1]), sizes[-1]
    named = f" ({', '.join(input_labels)})" if 0 < len(input_labels) <= 9 else ""
    inputs = f"{n_in} input{'s' if n_in != 1 else ''}{named}"
    if not hidden:
        layers = "no hidden layer"
    else:
        counts = [str(n) for n in hidden]
        listed = counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
        plural = "neuron" if hidden == [1] else "neurons"
        layers = f"hidden layer{'s' if len(hidden) > 1 else ''} of {listed} {plural}"
    outputs = "1 output" if n_out == 1 else f"{n_out} outputs, one per class"
    return (f"Network: {inputs}, {layers}, {outputs}. In the drawing, each neuron shows what "
            "it computes over the input plane; blue lines are positive weights, orange "
            "negative, thicker for larger weights.")


def _neuron_labels(sizes: list[int], inputs: list[str], output: str) -> list[list[str]]:
    labels = [list(inputs)]
    for layer, n in enumerate(sizes[1:-1], start=1):
        labels.append([f"neuron {k + 1} of layer {layer}" for k in range(n)])
    labels.append([output] if sizes[-1] == 1 else [f"{output} {k}" for k in range(sizes[-1])])
    return labels


def _empty_lines() -> dict:
    return {k: np.zeros(0) for k in ("x0", "y0", "x1", "y1", "w", "c", "lw", "la", "layer",
                                     "src", "dst")} | {"from_label": [], "to_label": []}


def _empty_thumbs() -> dict:
    return {"image": [], "x": [], "y": [], "cx": [], "cy": [], "dw": [], "dh": [], "ty": [],
            "label": [], "layer": [], "edge_alpha": []}


def _empty_biases() -> dict:
    return {"x": [], "y": [], "b": [], "c": []}
