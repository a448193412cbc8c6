"""The playground as one Panel component: usable in a notebook, under `panel serve`, and made
into the static page by the site build. `panel serve playground/app.py` runs it too."""

from __future__ import annotations

from collections.abc import Callable

import panel as pn

from playground.model.playground import PlaygroundModel, wants_embed
from playground.painter import panels as painted
from playground.painter.screen import Screen
from playground.state import State
from playground.views.charts import ActivationView, FeaturesView, LossChart
from playground.views.controls import NetworkControls, TrainingControls, TrainingStatus
from playground.views.host import PanelHost, Registry
from playground.views.network import NetworkView
from playground.views.output import OutputView
from playground.views.panels import DataFiles, ModelFiles, StepThroughView, WeightEditor
from playground.views.settings import SettingsPanel
from playground.views.share import picture_button, share_button
from playground.views.sync import locked

INTRO = ("A neural network learns by adjusting the weights of its connections to reduce its "
         "error. Press <strong>Play</strong> and watch it: feed the data, run it forward, "
         "compare with the answer, propagate the error back, update the weights, repeat.")
NETWORK_TEXT = ("<strong>The network.</strong> Each square is a neuron; its picture shows what "
                "it computes over the input plane (blue positive, orange negative). Each line "
                "is a weighted connection: the thicker, the stronger its influence; blue lines "
                "add, orange lines subtract. The small squares are the biases. Hidden layers "
                "learn features: each neuron's picture is a feature built from the layer "
                "before it.")
OUTPUT_TEXT = ("<strong>The output.</strong> The network's prediction over the whole plane, "
               "with the training points on top. Training moves this boundary until it "
               "separates the colours.")
LOSS_TEXT = ("<strong>The loss</strong> is one number saying how wrong the network is, on the "
             "training data it learns from and on test data it never sees. Learning makes it "
             "fall.")
SAVE_TEXT = ("<h3>Share and save</h3><p>A link to this page holds every setting, so it "
             "reproduces this run. A saved model holds the trained weights too.</p>")
PANEL = {"sizing_mode": "stretch_width", "margin": (4, 6)}


def card(*objects, width: int | None = None, **kwargs) -> pn.Column:
    """A white panel of the page; `width` is its preferred width (it grows and wraps)."""
    flex = f"1 1 {width}px" if width else "1 1 320px"
    return pn.Column(*objects, css_classes=["pg-card"], styles={"flex": flex},
                     min_width=min(width or 320, 300), **kwargs)


class Playground(pn.viewable.Viewer):
    """The whole playground: the model (playground.model.playground), its views, painted by
    one Screen through the Panel host.

    state: the settings (a lesson link's); notices: what the link had that could not be used;
    embed: the compact layout for an iframe; share: show the Share button (the static page's
    dialog); page: the static page's document (files are read and saved by the page itself).
    """

    def __init__(self, state: State | None = None, ready: Callable[[], bool] | None = None,
                 notices: list[str] | tuple[str, ...] = (), embed: bool = False,
                 share: bool = False, page: bool = False, **params) -> None:
        super().__init__(**params)
        self.model = m = PlaygroundModel(state=state, ready=ready, link_notices=list(notices),
                                         embed=embed, share=share)
        self.session, self.loop, self.embed = m.session, m.loop, embed
        self.loop.lock = locked  # under `panel serve`: the document lock
        self.registry = r = Registry()
        add = r.add

        def text(target: str, content: str) -> list[pn.pane.HTML]:
            return [] if embed else [add(target, pn.pane.HTML(content, **PANEL))]

        self.network = NetworkView(r)
        self.output = OutputView(r)
        self.features = FeaturesView(r)
        self.loss_chart = LossChart(r)
        self.activation = ActivationView(r)
        self.steps = StepThroughView(m, r)
        self.controls = TrainingControls(m, r)
        self.status = TrainingStatus(m, r)
        self.settings = SettingsPanel(m, r)
        drawing = [self.network, WeightEditor(m, r)]
        shape = [NetworkControls(m, r)]
        network_card = card(*(drawing + shape if embed else shape + drawing),
                            *text("text.network", NETWORK_TEXT), width=340 if embed else 540,
                            max_width=740)
        output_card = card(*text("text.output", OUTPUT_TEXT), self.output, self.features,
                           width=240 if embed else 330)
        share_button_ = add(painted.SHARE, share_button())
        pictures = [picture_button(self.network.figure, "Picture of the network", "network.png"),
                    picture_button(self.output.figure, "Picture of the output", "output.png")]
        save_card = card(*text("text.save", SAVE_TEXT),
                         pn.FlexBox(*([] if embed else [share_button_]), *pictures, margin=0),
                         ModelFiles(m, r, page=page), width=360)
        data_card = card(*text("text.data", "<h3>Data and training</h3>"), self.settings,
                         DataFiles(m, r, page=page), width=260)
        cards = [network_card, output_card, data_card,
                 add("card.loss", card(self.loss_chart, *text("text.loss", LOSS_TEXT),
                                       width=420)),
                 add("card.steps", card(self.steps, width=420)),
                 add("card.activation", card(*text("text.activation",
                                                   "<h3>Activation function</h3>"),
                                             self.activation, width=360)),
                 save_card]
        notices_ = [add(painted.LINK_NOTICE, notice_pane()), add(painted.NOTICE, notice_pane())]
        if embed:  # the buttons (and Share) on one line, the numbers on the next
            top = pn.Column(pn.Row(self.controls, pn.HSpacer(), share_button_,
                                   sizing_mode="stretch_width", margin=0),
                            self.status, sizing_mode="stretch_width", margin=0)
        else:
            top = pn.Row(self.controls, self.status, styles={"flex-wrap": "wrap"},
                         sizing_mode="stretch_width", margin=0)
        header = [] if embed else [add("text.intro", pn.pane.HTML(
            f"<h1>Neural Network Playground</h1><p>{INTRO}</p>", margin=(0, 10),
            sizing_mode="stretch_width"))]
        self._layout = pn.Column(
            *header, top, *notices_,
            pn.FlexBox(*cards, flex_wrap="wrap", align_items="flex-start",
                       sizing_mode="stretch_width", margin=0),
            sizing_mode="stretch_width", css_classes=["pg-embed" if embed else "pg-full"])
        self.host = PanelHost(r, m)
        self.screen = Screen(m, self.host.apply)
        self.screen.all()
        # In a notebook, changes to the figures' own Bokeh models wait for Panel's next push:
        # push each refresh and animation frame (a no-op in the static page and under serve).
        self.loop.param.watch(self._push, "refreshes", precedence=10)
        m.steps.param.watch(self._push, "frames", precedence=10)
        if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
            pn.state.on_session_destroyed(lambda _context: self.close())

    # links --------------------------------------------------------------------------------------
    def on_url(self, send: Callable[[str], None]) -> None:
        """Call send(hash) now and whenever a setting changes."""
        self.model.on_url(send)

    def open_link(self, fragment: str) -> None:
        """Apply another link's settings (pasted into the address bar of this page)."""
        self.model.open_link(fragment)

    def close(self) -> None:
        """The page is gone (a `panel serve` tab closed): stop training and painting."""
        self.host.closed = True
        self.model.steps.stop()
        self.loop.pause()

    def _push(self, *_events) -> None:
        if not self.host.closed:
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


def create_app(ready: Callable[[], bool] | None = None, query: str = "", fragment: str = "",
               share: bool = False, page: bool = False) -> Playground:
    """The playground for a page whose URL has this query and hash (fragment)."""
    state, notices = State.from_url(fragment)
    return Playground(state=state, ready=ready, notices=notices,
                      embed=wants_embed(query, fragment), share=share, page=page)


if __name__.startswith("bokeh_app"):  # panel serve playground/app.py
    pn.extension()
    create_app().servable(title="Neural Network Playground")
