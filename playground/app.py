"""The playground page: composes the views over one session. `panel serve` runs it too."""

from __future__ import annotations

from collections.abc import Callable

import panel as pn

from playground.state import State
from playground.ui.activation_view import ActivationView
from playground.ui.controls import TrainingControls, TrainingStatus
from playground.ui.features_view import FeaturesView
from playground.ui.live import LiveViews
from playground.ui.loss_chart import LossChart
from playground.ui.network_controls import NetworkControls
from playground.ui.network_view import NetworkView
from playground.ui.output_view import OutputView
from playground.ui.session import Session
from playground.ui.settings import SettingsPanel
from playground.ui.step_through import StepThrough
from playground.ui.weight_editor import WeightEditor

INTRO = ("A neural network learns by adjusting the weights of its connections to reduce its "
         "error. Press **Play** and watch it: feed the data, run it forward, compare with the "
         "answer, propagate the error back, update the weights, repeat.")
NETWORK_TEXT = ("**The network.** Each square is a neuron; its picture shows what it computes "
                "over the input plane (blue positive, orange negative). Each line is a weighted "
                "connection: the thicker, the stronger its influence; blue lines add, orange "
                "lines subtract. The small squares are the biases. Hidden layers learn features: "
                "each neuron's picture is a feature built from the layer before it.")
OUTPUT_TEXT = ("**The output.** The network's prediction over the whole plane, with the "
               "training points on top. Training moves this boundary until it separates the "
               "colours.")
LOSS_TEXT = ("**The loss** is one number saying how wrong the network is, on the training "
             "data it learns from and on test data it never sees. Learning makes it fall.")
PANEL = {"sizing_mode": "stretch_width", "margin": (4, 6)}


def card(*objects, width: int | None = None, **kwargs) -> pn.Column:
    """A white panel of the page; `width` is its preferred width (it grows and wraps)."""
    flex = f"1 1 {width}px" if width else "1 1 320px"
    return pn.Column(*objects, css_classes=["pg-card"], styles={"flex": flex},
                     min_width=min(width or 320, 300), **kwargs)


class Playground(pn.viewable.Viewer):
    """The whole playground as one component: usable in a page, a notebook or `panel serve`."""

    def __init__(self, state: State | None = None, ready: Callable[[], bool] | None = None,
                 **params) -> None:
        super().__init__(**params)
        self.session = Session(state=state, ready=ready)
        self.loop = self.session.loop
        self.network = NetworkView()
        self.output = OutputView()
        self.features = FeaturesView()
        self.activation = ActivationView(activation=self.session.state.activation)
        self.live = LiveViews(session=self.session, network=self.network, output=self.output,
                              features=self.features)
        self.steps = StepThrough(session=self.session, network=self.network, live=self.live)
        state = self.session.state
        state.param.watch(lambda e: setattr(self.activation, "activation", e.new), "activation")
        self.output.show_test_data = state.show_test_data
        self.output.discretize = state.discretize
        self.output.param.watch(lambda e: setattr(state, e.name, e.new),
                                ["show_test_data", "discretize"])
        self._notice = pn.pane.Alert("", alert_type="warning", visible=False, **PANEL)
        self.session.param.watch(self._show_notice, "notice")
        self.network.param.watch(self._on_input_tap, "tapped_input")
        # One card shows the output (2-D data) or the learned features (digits): its text,
        # checkboxes and figures are shown and hidden one by one (see _on_topology).
        self._output_panes = [pn.pane.Markdown(OUTPUT_TEXT, **PANEL), self.output.__panel__()]
        self._features_panes = [self.features.__panel__()]
        self._output_card = card(*self._output_panes, *self._features_panes, width=330)
        self.session.param.watch(self._on_topology, "topology")
        self._on_topology()
        self._layout = pn.Column(
            pn.pane.Markdown("# Neural Network Playground\n" + INTRO, margin=(0, 10),
                             sizing_mode="stretch_width"),
            pn.Row(TrainingControls(loop=self.loop), TrainingStatus(loop=self.loop),
                   styles={"flex-wrap": "wrap"}, sizing_mode="stretch_width"),
            self._notice,
            pn.FlexBox(
                card(NetworkControls(session=self.session), self.network,
                     WeightEditor(session=self.session, network=self.network),
                     pn.pane.Markdown(NETWORK_TEXT, **PANEL), width=540, max_width=740),
                self._output_card,
                card(pn.pane.Markdown("### Data and training", **PANEL),
                     SettingsPanel(state=state), width=260),
                card(LossChart(loop=self.loop), pn.pane.Markdown(LOSS_TEXT, **PANEL),
                     width=420),
                card(self.steps, width=420),
                card(pn.pane.Markdown("### Activation function", **PANEL), self.activation,
                     width=360),
                flex_wrap="wrap", align_items="flex-start", sizing_mode="stretch_width",
            ),
            sizing_mode="stretch_width",
        )

    def _on_topology(self, *_events) -> None:
        images = self.session.loop.trainer.context.config.is_image_dataset
        for panes, shown in ((self._output_panes, not images), (self._features_panes, images)):
            for pane in panes:
                for part in pane.select(pn.viewable.Viewable):
                    # Leaves only: a layout hidden when the page was drawn stays blank when
                    # shown again; a Bokeh pane's figure is shown and hidden below.
                    if not isinstance(part, pn.pane.Bokeh | pn.layout.ListPanel):
                        part.visible = shown
        self.output.figure.visible = not images
        self.features.figure.visible = images

    def _on_input_tap(self, event) -> None:
        if event.new is not None:
            self.session.toggle_input(event.new)

    def _show_notice(self, event) -> None:
        self._notice.object = event.new
        self._notice.visible = bool(event.new)

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout


def create_app(ready: Callable[[], bool] | None = None) -> Playground:
    return Playground(ready=ready)


if __name__.startswith("bokeh_app"):  # panel serve playground/app.py
    pn.extension()
    create_app().servable(title="Neural Network Playground")
