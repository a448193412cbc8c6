"""The playground page: composes the views over one session. `panel serve` runs it too."""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import parse_qsl

import panel as pn

from playground.model.session import Session
from playground.state import State
from playground.views.activation_view import ActivationView
from playground.views.controls import TrainingControls, TrainingStatus
from playground.views.data_files import DataFiles
from playground.views.features_view import FeaturesView
from playground.views.files import ModelFiles
from playground.views.live import LiveViews
from playground.views.loss_chart import LossChart
from playground.views.network_controls import NetworkControls
from playground.views.network_view import NetworkView
from playground.views.output_view import OutputView
from playground.views.settings import SettingsPanel
from playground.views.share import picture_button, share_button
from playground.views.step_through import StepThrough
from playground.views.weight_editor import WeightEditor

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
SAVE_TEXT = ("### Share and save\nA link to this page holds every setting, so it reproduces "
             "this run. A saved model holds the trained weights too.")
PANEL = {"sizing_mode": "stretch_width", "margin": (4, 6)}


def card(*objects, width: int | None = None, **kwargs) -> pn.Column:
    """A white panel of the page; `width` is its preferred width (it grows and wraps)."""
    flex = f"1 1 {width}px" if width else "1 1 320px"
    return pn.Column(*objects, css_classes=["pg-card"], styles={"flex": flex},
                     min_width=min(width or 320, 300), **kwargs)


class Playground(pn.viewable.Viewer):
    """The whole playground as one component: usable in a page, a notebook or `panel serve`.

    state: the settings (a lesson link's); notices: what the link had that could not be used;
    embed: the compact layout for an iframe; share: show the Share button (the static page's
    dialog). Controls named in `state.hidden_controls` and, with `hide_text`, the explanations
    are left out.
    """

    def __init__(self, state: State | None = None, ready: Callable[[], bool] | None = None,
                 notices: list[str] | tuple[str, ...] = (), embed: bool = False,
                 share: bool = False, **params) -> None:
        super().__init__(**params)
        self.session = Session(state=state, ready=ready)
        self.loop = self.session.loop
        self.embed = embed
        state = self.session.state
        hidden = set(state.hidden_controls)
        self.network = NetworkView()
        self.output = OutputView(hidden=sorted(hidden))
        self.features = FeaturesView()
        self.activation = ActivationView(activation=state.activation)
        self.live = LiveViews(session=self.session, network=self.network, output=self.output,
                              features=self.features)
        self.steps = StepThrough(session=self.session, network=self.network, live=self.live)
        state.param.watch(lambda e: setattr(self.activation, "activation", e.new), "activation")
        self.output.show_test_data = state.show_test_data
        self.output.discretize = state.discretize
        self.output.param.watch(lambda e: setattr(state, e.name, e.new),
                                ["show_test_data", "discretize"])
        state.param.watch(lambda e: setattr(self.output, e.name, e.new),
                          ["show_test_data", "discretize"])
        self._notice = notice_pane()
        self._link_notice = notice_pane()
        self.show_link_notices(list(notices))
        self.session.param.watch(self._show_notice, "notice")
        # In a notebook, changes to the figures' own Bokeh models wait for Panel's next push:
        # push each refresh and animation frame (a no-op in the static page and under serve).
        self.loop.param.watch(self._push, "refreshes", precedence=10)
        self.steps.param.watch(self._push, "frames", precedence=10)
        self.network.param.watch(self._on_input_tap, "tapped_input")
        quiet = state.hide_text or embed  # no explanations: a lesson's own text, or an iframe

        def text(md: str) -> list[pn.pane.Markdown]:
            return [] if quiet else [pn.pane.Markdown(md, **PANEL)]

        # One card shows the output (2-D data) or the learned features (digits): its text,
        # checkboxes and figures are shown and hidden one by one (see _on_topology).
        self._output_panes = [*text(OUTPUT_TEXT), self.output.__panel__()]
        self._features_panes = [self.features.__panel__()]
        self._output_card = card(*self._output_panes, *self._features_panes,
                                 width=240 if embed else 330)
        self.session.param.watch(self._on_topology, "topology")
        self._on_topology()

        self.data_files = DataFiles(session=self.session)
        shape = [] if "numHiddenLayers" in hidden else [NetworkControls(session=self.session)]
        drawing = [self.network, WeightEditor(session=self.session, network=self.network)]
        network_card = card(*(drawing + shape if embed else shape + drawing),
                            *text(NETWORK_TEXT), width=340 if embed else 540, max_width=740)
        self.share = share and "share" not in hidden
        save_card = card(*text(SAVE_TEXT), pn.FlexBox(*([share_button()] if self.share else []),
                                           picture_button(self.network.figure,
                                                          "Picture of the network",
                                                          "network.png"),
                                           picture_button(self.output.figure,
                                                          "Picture of the output", "output.png"),
                                           margin=0),
                         ModelFiles(session=self.session), width=360)
        cards = [network_card, self._output_card,
                 card(*text("### Data and training"), SettingsPanel(state=state),
                      self.data_files, width=260)]
        self.loss_chart = LossChart(loop=self.loop) if "lossChart" not in hidden else None
        if self.loss_chart is not None:
            cards.append(card(self.loss_chart, *text(LOSS_TEXT), width=420))
        if "stepThrough" not in hidden:
            cards.append(card(self.steps, width=420))
        if "activationView" not in hidden:
            cards.append(card(*text("### Activation function"), self.activation, width=360))
        cards.append(save_card)
        self.controls = buttons = TrainingControls(loop=self.loop, hidden=sorted(hidden))
        self.status = status = TrainingStatus(loop=self.loop, session=self.session)
        if embed:  # the buttons (and Share) on one line, the numbers on the next
            top = pn.Column(pn.Row(buttons, pn.HSpacer(),
                                   *([share_button()] if self.share else []),
                                   sizing_mode="stretch_width", margin=0),
                            status, sizing_mode="stretch_width", margin=0)
        else:
            top = pn.Row(buttons, status, styles={"flex-wrap": "wrap"},
                         sizing_mode="stretch_width", margin=0)
        header = [] if quiet else [
            pn.pane.Markdown("# Neural Network Playground\n" + INTRO, margin=(0, 10),
                             sizing_mode="stretch_width")]
        self._layout = pn.Column(
            *header, top, self._link_notice, self._notice,
            pn.FlexBox(*cards, flex_wrap="wrap", align_items="flex-start",
                       sizing_mode="stretch_width", margin=0),
            sizing_mode="stretch_width", css_classes=["pg-embed" if embed else "pg-full"],
        )

    # links --------------------------------------------------------------------------------------
    def on_url(self, send: Callable[[str], None]) -> None:
        """Call send(hash) now and whenever a setting changes (the page keeps its URL)."""
        state = self.session.state
        state.param.watch(lambda *_: send(state.to_url()), [p for p in state.param if p != "name"])
        send(state.to_url())

    def open_link(self, fragment: str) -> None:
        """Apply another link's settings (pasted into the address bar of this page); the
        controls it hides stay as they are until the page is reloaded."""
        new, notices = State.from_url(fragment)
        values = {k: v for k, v in new.values().items() if k != "hidden_controls"}
        changed = {k: v for k, v in values.items() if getattr(self.session.state, k) != v}
        self.session.state.param.update(**changed)
        self.show_link_notices(notices)

    def show_link_notices(self, notices: list[str]) -> None:
        if notices:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in notices[:8])
            more = f"<li>and {len(notices) - 8} more</li>" if len(notices) > 8 else ""
            self._link_notice.object = ("<p>Some settings in this link could not be used; "
                                        f"the playground used its defaults instead:</p>"
                                        f"<ul>{items}{more}</ul>")
        self._link_notice.visible = bool(notices)

    # views --------------------------------------------------------------------------------------
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
        self._notice.object = f"<p>{html.escape(event.new)}</p>"
        self._notice.visible = bool(event.new)

    def _push(self, *_events) -> None:
        pn.io.push_notebook(self._layout)

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout


def notice_pane() -> pn.pane.HTML:
    """A notice box; whatever it shows is escaped first (it may quote a link)."""
    return pn.pane.HTML("", visible=False, css_classes=["pg-notice"],
                        stylesheets=[NOTICE_CSS], **PANEL)


NOTICE_CSS = """:host(.pg-notice) { background: #fff8e5; border: 1px solid #e0b000;
  border-radius: 6px; padding: 2px 10px; }
:host(.pg-notice) ul { margin: 4px 0; padding-left: 1.2em; }
:host(.pg-notice) p { margin: 4px 0; }"""


def wants_embed(query: str, fragment: str = "") -> bool:
    """`?embed` (or `embed=true` in the hash) asks for the compact layout for an iframe."""
    for text in (query, fragment):
        for key, value in parse_qsl(text.lstrip("?#"), keep_blank_values=True):
            if key == "embed":
                return value.lower() not in ("false", "0")
    return False


def create_app(ready: Callable[[], bool] | None = None, query: str = "", fragment: str = "",
               share: bool = False) -> Playground:
    """The playground for a page whose URL has this query and hash (fragment)."""
    state, notices = State.from_url(fragment)
    return Playground(state=state, ready=ready, notices=notices,
                      embed=wants_embed(query, fragment), share=share)


if __name__.startswith("bokeh_app"):  # panel serve playground/app.py
    pn.extension()
    create_app().servable(title="Neural Network Playground")
