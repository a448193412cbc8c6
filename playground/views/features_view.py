"""Layers learn features: each first-layer neuron's weights as an 8x8 image, with its top digits."""

from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, LinearColorMapper, Range1d
from bokeh.palettes import Greys256
from bokeh.plotting import figure

from playground.painter import features_data as fd
from playground.painter.network_data import PALETTE

MAX_NEURONS = 16  # columns shown; a wider first layer shows its first 16 neurons
TOP_K = 3  # exciting training images per neuron
SIDE = 8  # digits are SIDE x SIDE pixels
CELL = 1.0  # side of one image in data units
STEP = 1.2  # distance between neighbouring images (CELL plus a small gap)
WEIGHT_GAP = 0.35  # extra space between a neuron's weight image and its examples
WEIGHT_Y = TOP_K * STEP + WEIGHT_GAP  # bottom edge of the weight images
LABEL_Y = WEIGHT_Y + CELL + 0.08  # baseline of the "neuron j" labels
Y_TOP = LABEL_Y + 0.55

INTRO = (
    "Layers learn features: each square shows what one first-layer neuron looks for, its 64 "
    "weights drawn as an 8x8 image (blue: pixel pushes the neuron up, orange: pushes it down). "
    "Under it, the training digits that excite it most."
)


class FeaturesView(pn.viewable.Viewer):
    """Weight images (diverging colours) over each neuron's most exciting digits (greyscale)."""

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.weight_mapper = LinearColorMapper(palette=PALETTE, low=-1.0, high=1.0)
        self.grey_mapper = LinearColorMapper(palette=list(reversed(Greys256)), low=0.0, high=1.0)
        self.weights_source = ColumnDataSource(data=_empty_images())
        self.examples_source = ColumnDataSource(data=_empty_examples())
        self.labels_source = ColumnDataSource(data=_empty_labels())
        self.x_range = Range1d(*_x_extent(4))
        self.y_range = Range1d(-0.15, Y_TOP)
        fig = figure(height=300, sizing_mode="stretch_width", x_range=self.x_range,
                     y_range=self.y_range, toolbar_location=None, tools="", min_border=4,
                     outline_line_color=None)
        fig.axis.visible = False
        fig.grid.visible = False
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.weights_source,
                  color_mapper=self.weight_mapper)
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.examples_source,
                  color_mapper=self.grey_mapper)
        fig.text(x="x", y="y", text="label", source=self.labels_source, text_font_size="10px",
                 text_align="center", text_baseline="bottom", text_color="#444")
        self.figure = fig
        self.intro = pn.pane.Markdown(INTRO, sizing_mode="stretch_width")
        self.n_neurons = 0  # neuron columns drawn

    def update(self, W1: np.ndarray, activations: np.ndarray, inputs: np.ndarray) -> None:
        """Redraw from first-layer weights (64, n), their activations (N, n), inputs (N, 64)."""
        W = np.asarray(W1, dtype=float)
        acts = np.asarray(activations, dtype=float)
        X = np.asarray(inputs, dtype=float)
        if W.ndim != 2 or W.shape[0] != SIDE * SIDE:
            raise ValueError(f"W1 must have shape ({SIDE * SIDE}, n_neurons), got {W.shape}")
        if acts.ndim != 2 or acts.shape[1] != W.shape[1]:
            raise ValueError(f"activations must have shape (N, {W.shape[1]}), got {acts.shape}")
        if X.ndim != 2 or X.shape != (acts.shape[0], SIDE * SIDE):
            raise ValueError(
                f"inputs must have shape ({acts.shape[0]}, {SIDE * SIDE}), got {X.shape}")
        n = min(W.shape[1], MAX_NEURONS)
        W, acts = W[:, :n], acts[:, :n]

        images = fd.weight_images(W, SIDE)
        cols = np.arange(n)
        self.weights_source.data.update(
            image=images, x=cols * STEP, y=np.full(n, WEIGHT_Y),
            dw=np.full(n, CELL), dh=np.full(n, CELL), neuron=cols + 1)

        top = fd.top_inputs(acts, TOP_K)  # (n, k)
        k = top.shape[1]
        neuron = np.repeat(cols, k)
        rank = np.tile(np.arange(k), n)
        rows = top.ravel()
        self.examples_source.data.update(
            image=[fd.pixel_image(X[r], SIDE) for r in rows],
            x=neuron * STEP, y=(TOP_K - 1 - rank) * STEP,
            dw=np.full(len(rows), CELL), dh=np.full(len(rows), CELL),
            neuron=neuron + 1, row=rows)

        self.labels_source.data.update(
            x=cols * STEP + CELL / 2, y=np.full(n, LABEL_Y),
            label=[f"neuron {j + 1}" for j in range(n)])
        if n != self.n_neurons:
            self.n_neurons = n
            self.x_range.update(start=_x_extent(n)[0], end=_x_extent(n)[1])

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.intro, pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"),
                         sizing_mode="stretch_width")


def _x_extent(n: int) -> tuple[float, float]:
    """x range that fits n columns (at least 4, so a narrow layer is not stretched huge)."""
    cols = max(n, 4)
    return -0.15, (cols - 1) * STEP + CELL + 0.15


def _empty_images() -> dict[str, object]:
    return {"image": [], "x": np.zeros(0), "y": np.zeros(0), "dw": np.zeros(0),
            "dh": np.zeros(0), "neuron": np.zeros(0, dtype=int)}


def _empty_examples() -> dict[str, object]:
    return {**_empty_images(), "row": np.zeros(0, dtype=int)}


def _empty_labels() -> dict[str, object]:
    return {"x": np.zeros(0), "y": np.zeros(0), "label": []}
