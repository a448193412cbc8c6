"""The activation explorer: f(x) and its derivative for the chosen activation, explained."""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Range1d, Span
from bokeh.plotting import figure

from playground.engine.activations import ACTIVATIONS
from playground.painter.activation_data import curves

BLUE, ORANGE = "#0877bd", "#f59322"
X_LO, X_HI = -4.0, 4.0

DISPLAY_NAMES: dict[str, str] = {
    "tanh": "Tanh",
    "relu": "ReLU",
    "sigmoid": "Sigmoid",
    "linear": "Linear",
    "leaky_relu": "Leaky ReLU",
    "elu": "ELU",
    "softplus": "Softplus",
    "gelu": "GELU",
}

DESCRIPTIONS: dict[str, str] = {
    "tanh": "squashes any input into the range -1 to 1, centred on 0; its slope is largest "
            "(1) at 0 and fades towards 0 for large inputs of either sign.",
    "relu": "passes positive inputs through and zeroes negative ones; its slope is 1 or 0.",
    "sigmoid": "squashes any input into the range 0 to 1 (0.5 at 0); its slope is at most 0.25 "
               "and fades for large inputs, which can make deep networks learn slowly.",
    "linear": "passes every input through unchanged; its slope is 1 everywhere, so it adds "
              "no bend at all.",
    "leaky_relu": "passes positive inputs through and scales negative ones by 0.01; its slope "
                  "is 1 or 0.01, so a neuron never stops learning entirely.",
    "elu": "passes positive inputs through and bends negative ones smoothly towards -1; its "
           "slope is 1 for positive inputs and fades smoothly for negative ones.",
    "softplus": "is a smooth version of ReLU, log(1 + e^x): close to 0 for very negative "
                "inputs and close to x for positive ones; its slope is the sigmoid.",
    "gelu": "passes positive inputs through and softly gates negative ones towards 0, with a "
            "small dip just below 0; its slope rises smoothly from 0 to about 1.",
}

WHY_NONLINEAR = (
    "Without a non-linear activation, any number of layers collapses into one linear function: "
    "a straight-line boundary. Try Linear on the Circle dataset: the network cannot separate "
    "the inner points from the ring."
)


def explanation(name: str) -> str:
    """The Markdown shown under the plot for the activation called `name`."""
    return f"**{DISPLAY_NAMES[name]}** {DESCRIPTIONS[name]}\n\n{WHY_NONLINEAR}"


class ActivationView(pn.viewable.Viewer):
    """One figure with f(x) (solid blue) and f'(x) (dashed orange), and a short explanation."""

    activation = param.Selector(default="tanh", objects=list(ACTIVATIONS))

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.source = ColumnDataSource(data=curves(self.activation, X_LO, X_HI))
        self.x_range = Range1d(X_LO, X_HI)
        self.y_range = Range1d(-1.0, 1.0)
        fig = figure(height=170, sizing_mode="stretch_width", x_range=self.x_range,
                     y_range=self.y_range, toolbar_location=None, tools="", min_border=4)
        fig.add_layout(Span(location=0, dimension="width", line_color="#bbb", line_width=1))
        fig.add_layout(Span(location=0, dimension="height", line_color="#bbb", line_width=1))
        f_line = fig.line("x", "f", source=self.source, line_width=2, color=BLUE,
                          legend_label="f(x)")
        fig.line("x", "df", source=self.source, line_width=2, color=ORANGE, line_dash="dashed",
                 legend_label="f′(x) (derivative)")
        fig.add_tools(HoverTool(renderers=[f_line], mode="vline", tooltips=[
            ("x", "@x{0.00}"), ("f(x)", "@f{0.000}"), ("f′(x)", "@df{0.000}")]))
        fig.legend.location = "top_left"
        fig.legend.background_fill_alpha = 0.6
        self.figure = fig
        self.text = pn.pane.Markdown(explanation(self.activation), sizing_mode="stretch_width")
        self._update_range()

    @param.depends("activation", watch=True)
    def _update(self) -> None:
        self.source.data.update(curves(self.activation, X_LO, X_HI))
        self._update_range()
        self.text.object = explanation(self.activation)

    def _update_range(self) -> None:
        data = self.source.data
        values = np.concatenate([np.asarray(data["f"]), np.asarray(data["df"])])
        lo, hi = float(min(values.min(), 0.0)), float(max(values.max(), 0.0))
        pad = 0.08 * max(hi - lo, 1.0)
        self.y_range.update(start=lo - pad, end=hi + pad)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"), self.text,
                         sizing_mode="stretch_width")
