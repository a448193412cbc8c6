"""The whole playground as a model, without a view: what the learner can do and what there is
to show. The Panel component (playground.app) and the page's worker (playground.browser) each
draw it; both call the same commands here.

The buttons are `param.Event`s (a view's button triggers one), the settings are the State's
parameters, and `parts()` names every object a view can bind to, so that a built page can say
which of its widgets drives which of these.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import parse_qsl

import param

from playground.model.files import Files
from playground.model.session import Session
from playground.model.steps import StepThrough
from playground.model.weights import WeightChoice
from playground.state import MAX_HIDDEN_LAYERS, State


class LayerButtons(param.Parameterized):
    """+ and − for the neurons of the index-th hidden layer."""

    session = param.ClassSelector(class_=Session)
    index = param.Integer(default=0, bounds=(0, MAX_HIDDEN_LAYERS - 1))
    add = param.Event(label="+ neuron")
    remove = param.Event(label="− neuron")

    @param.depends("add", watch=True)
    def _add(self) -> None:
        self.session.add_neuron(self.index)

    @param.depends("remove", watch=True)
    def _remove(self) -> None:
        self.session.remove_neuron(self.index)


class PlaygroundModel(param.Parameterized):
    """One learner's playground: its session, the step-through, the chosen weight, files.

    embed: the compact layout for an iframe; share: the page offers Share (the static page's
    dialog); link_notices: what the link had that could not be used."""

    play = param.Event(label="Play")
    step = param.Event(label="Step")
    reset = param.Event(label="Reset")
    regenerate = param.Event(label="Regenerate")
    add_layer = param.Event(label="+ layer")
    remove_layer = param.Event(label="− layer")
    recover = param.Event(label="Reset", doc="After a divergence: start over.")
    recover_lower = param.Event(label="Reset with a smaller learning rate")
    link_notices = param.List(default=[], item_type=str)
    embed = param.Boolean(default=False, constant=True)
    share = param.Boolean(default=False, constant=True)

    def __init__(self, state: State | None = None, ready: Callable[[], bool] | None = None,
                 **params) -> None:
        super().__init__(**params)
        self.session = Session(state=state, ready=ready)
        self.state = self.session.state
        self.loop = self.session.loop
        self.steps = StepThrough(session=self.session)
        self.weights = WeightChoice(session=self.session)
        self.files = Files(session=self.session)
        self.layers = [LayerButtons(session=self.session, index=i)
                       for i in range(MAX_HIDDEN_LAYERS)]

    @classmethod
    def from_url(cls, query: str = "", fragment: str = "", **params) -> PlaygroundModel:
        """The playground of a page whose URL has this query and hash (fragment)."""
        state, notices = State.from_url(fragment)
        return cls(state=state, link_notices=notices, embed=wants_embed(query, fragment),
                   **params)

    def parts(self) -> dict[str, param.Parameterized]:
        """Every object a view binds to, by a path that names it in a built page."""
        return {"app": self, "state": self.state, "session": self.session, "loop": self.loop,
                "steps": self.steps, "weights": self.weights, "files": self.files,
                **{f"layers.{i}": b for i, b in enumerate(self.layers)}}

    # the buttons --------------------------------------------------------------------------
    @param.depends("play", watch=True)
    def _play(self) -> None:
        self.loop.toggle()

    @param.depends("step", watch=True)
    def _step(self) -> None:
        self.loop.step()

    @param.depends("reset", watch=True)
    def _reset(self) -> None:
        self.loop.reset()

    @param.depends("regenerate", watch=True)
    def _regenerate(self) -> None:
        self.state.seed = secrets.token_hex(3)

    @param.depends("add_layer", watch=True)
    def _add_layer(self) -> None:
        self.session.add_layer()

    @param.depends("remove_layer", watch=True)
    def _remove_layer(self) -> None:
        self.session.remove_layer()

    @param.depends("recover", watch=True)
    def _recover(self) -> None:
        self.session.recover()

    @param.depends("recover_lower", watch=True)
    def _recover_lower(self) -> None:
        self.session.recover(self.loop.suggested_learning_rate)

    def tap_neuron(self, index: int) -> None:
        """A neuron's picture was tapped (index over all neurons, inputs first): an input
        switches off, as in TensorFlow Playground."""
        if 0 <= index < self.loop.trainer.network.sizes[0]:
            self.session.toggle_input(index)

    # links --------------------------------------------------------------------------------
    def open_link(self, fragment: str) -> None:
        """Apply another link's settings (pasted into the address bar of this page) in one
        rebuild; the controls it hides stay as they are until the page is reloaded."""
        new, notices = State.from_url(fragment)
        values = {k: v for k, v in new.values().items() if k != "hidden_controls"}
        changed = {k: v for k, v in values.items() if getattr(self.state, k) != v}
        self.state.param.update(**changed)
        self.link_notices = notices

    def on_url(self, send: Callable[[str], None]) -> None:
        """Call send(hash) now and whenever a setting changes (the page keeps its URL)."""
        state = self.state
        state.param.watch(lambda *_: send(state.to_url()), [p for p in state.param if p != "name"])
        send(state.to_url())


def wants_embed(query: str, fragment: str = "") -> bool:
    """`?embed` (or `embed=true` in the hash) asks for the compact layout for an iframe."""
    for text in (query, fragment):
        for key, value in parse_qsl(text.lstrip("?#"), keep_blank_values=True):
            if key == "embed":
                return value.lower() not in ("false", "0")
    return False
