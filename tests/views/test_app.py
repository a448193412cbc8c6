"""The page: the Playground built into a Bokeh document, and the widgets it composes around
the network view (the weight editor, the layer and neuron buttons)."""

from __future__ import annotations

import asyncio

import numpy as np
import panel as pn
from bokeh.document import Document
from bokeh.models import ColumnDataSource, LinearAxis

from playground.app import Playground
from playground.model.session import Session
from playground.painter import network_data as nd
from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS, State
from playground.views.network_controls import NetworkControls
from playground.views.network_view import NetworkView
from playground.views.weight_editor import HINT, WeightEditor


def rendered(app: Playground) -> Document:
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    return doc


def labels(doc: Document) -> set[str]:
    """The axis labels of every figure in the document."""
    return {axis.axis_label for axis in doc.select({"type": LinearAxis}) if axis.axis_label}


# the Playground ---------------------------------------------------------------------------------
def test_the_playground_builds_into_a_bokeh_document() -> None:
    app = Playground()
    doc = rendered(app)
    app.loop.step()  # and keeps working once rendered
    app.session.add_layer()
    app.session.state.dataset = "spiral3"
    assert len(doc.roots) == 1
    assert {"Epoch", "Loss", "Accuracy"} <= labels(doc)
    assert len(list(doc.select({"type": ColumnDataSource}))) > 5


def test_play_trains_and_refreshes_the_rendered_page() -> None:
    async def run() -> Playground:
        app = Playground()
        rendered(app)
        app.loop.play()
        await asyncio.sleep(0.3)
        app.loop.pause()
        await asyncio.sleep(0)
        return app

    app = asyncio.run(run())
    network = app.loop.trainer.network
    assert app.loop.epoch > 0
    assert not app.loop.running
    assert np.array_equal(app.network.lines.data["w"], nd.flatten(network.weights))
    assert app.loop.train_loss == app.loop.trainer.history.train_loss[-1]


def shown(panes: list) -> bool:
    """True if every part of these panes is visible; False if every part is hidden."""
    flags = {part.visible for pane in panes for part in pane.select(pn.viewable.Viewable)
             if not isinstance(part, pn.pane.Bokeh | pn.layout.ListPanel)}
    flags |= {part.object.visible for pane in panes for part in pane.select(pn.pane.Bokeh)}
    assert len(flags) == 1, "some parts shown, some hidden"
    return flags.pop()


def test_digits_hide_the_output_and_show_the_features() -> None:
    app = Playground()
    assert shown(app._output_panes)
    assert not shown(app._features_panes)
    app.session.state.dataset = "digits"
    assert not shown(app._output_panes)
    assert shown(app._features_panes)
    assert len(app.features.weights_source.data["image"]) > 0
    app.session.state.dataset = "circle"
    assert shown(app._output_panes)
    assert not shown(app._features_panes)


def test_digits_from_the_start() -> None:
    app = Playground(State(dataset="digits"))
    rendered(app)
    assert not shown(app._output_panes)
    assert shown(app._features_panes)
    assert app.loop.trainer.network.sizes[0] == 64


def test_an_unusable_setting_shows_a_notice() -> None:
    app = Playground()
    app.session.state.hidden = [0]
    assert app._notice.visible
    assert "cannot be used" in app._notice.object
    app.session.state.hidden = [2]
    assert not app._notice.visible


def test_the_output_toggles_are_the_states() -> None:
    app = Playground(State(show_test_data=True))
    assert app.output.show_test_data
    assert app.output._test_renderer.visible
    app.output.discretize = True
    assert app.session.state.discretize
    assert app.session.topology == 0


def test_the_activation_view_follows_the_setting() -> None:
    app = Playground()
    app.session.state.activation = "relu"
    assert app.activation.activation == "relu"


def test_tapping_an_input_switches_it_off() -> None:
    app = Playground(State(features=["x1", "x2", "x1x2"]))
    app.network.thumbs.selected.indices = [2]
    assert app.session.state.features == ["x1", "x2"]


# the weight editor ------------------------------------------------------------------------------
def editor(**state) -> tuple[Session, NetworkView, WeightEditor]:
    app = Playground(State(**state))
    weight_editor = WeightEditor(session=app.session, network=app.network)
    return app.session, app.network, weight_editor


def tap(network: NetworkView, line: int) -> None:
    """What a tap on a line does in the browser: it selects that line (on_change fires)."""
    network.lines.selected.indices = [line]


def test_tapping_a_line_shows_its_weight() -> None:
    session, network, ed = editor()
    session.loop.step()
    tap(network, 5)  # x2 -> neuron 2 of layer 1
    assert network.selected_weight == (0, 1, 1)
    assert ed._input.visible
    assert ed._input.value == round(session.weight(0, 1, 1), 4)
    assert ed._input.name == "Weight X₂ → neuron 2 of layer 1"
    assert ed._hint.object != HINT


def test_a_line_of_a_later_layer_names_its_neurons() -> None:
    session, network, ed = editor()
    tap(network, 17)  # the last line: neuron 2 of layer 2 -> output
    assert network.selected_weight == (2, 1, 0)
    assert ed._input.name == "Weight neuron 2 of layer 2 → output"
    assert ed._input.value == round(session.weight(2, 1, 0), 4)


def test_typing_a_value_changes_the_weight() -> None:
    session, network, ed = editor()
    tap(network, 3)
    ed._input.value = 1.25
    assert session.weight(0, 0, 3) == 1.25
    assert network.lines.data["w"][3] == 1.25


def test_showing_a_weight_does_not_change_it() -> None:
    session, network, ed = editor()
    exact = session.weight(0, 0, 0)
    assert exact != round(exact, 4)
    before = [w.copy() for w in session.loop.trainer.network.weights]
    refreshes = session.loop.refreshes
    tap(network, 0)
    tap(network, 1)
    tap(network, 0)
    assert session.weight(0, 0, 0) == exact
    for a, b in zip(session.loop.trainer.network.weights, before, strict=True):
        assert np.array_equal(a, b)
    assert session.loop.refreshes == refreshes


def test_a_new_topology_clears_the_editor() -> None:
    session, network, ed = editor()
    tap(network, 2)
    session.add_layer()
    assert not ed._input.visible
    assert network.selected_weight is None
    assert ed._hint.object == HINT
    ed._input.value = 2.0  # a stale field no longer edits anything
    assert 2.0 not in network.lines.data["w"]


def test_untapping_clears_the_editor() -> None:
    _, network, ed = editor()
    tap(network, 2)
    network.lines.selected.indices = []
    assert network.selected_weight is None
    assert not ed._input.visible


# the layer and neuron buttons -------------------------------------------------------------------
def buttons(controls: NetworkControls, name: str) -> list[pn.widgets.Button]:
    """The buttons called `name` that the learner sees."""
    return [b for b in controls.__panel__().select(pn.widgets.Button)
            if b.name == name and b.visible]


def click(controls: NetworkControls, name: str, index: int = 0) -> None:
    buttons(controls, name)[index].clicks += 1


def test_the_buttons_change_the_shape() -> None:
    session = Session()
    controls = NetworkControls(session=session)
    click(controls, "+ layer")
    assert session.state.hidden == [4, 2, 2]
    click(controls, "+ neuron", 0)
    assert session.state.hidden == [5, 2, 2]
    click(controls, "− neuron", 2)
    assert session.state.hidden == [5, 2, 1]
    click(controls, "− layer")
    assert session.state.hidden == [5, 2]
    assert session.loop.trainer.network.sizes == [2, 5, 2, 1]


def test_one_pair_of_neuron_buttons_per_layer() -> None:
    session = Session(State(hidden=[3, 1, 8]))
    controls = NetworkControls(session=session)
    assert len(buttons(controls, "+ neuron")) == 3
    assert [b.disabled for b in buttons(controls, "− neuron")] == [False, True, False]
    assert [b.disabled for b in buttons(controls, "+ neuron")] == [False, False, True]
    labels = [o.object for o in controls.__panel__().select(pn.pane.HTML) if o.visible]
    assert labels == ["Hidden layers: 3", "Layer 1: 3 neurons", "Layer 2: 1 neuron",
                      "Layer 3: 8 neurons"]


def test_add_layer_is_disabled_at_the_limit() -> None:
    session = Session(State(hidden=[2] * (MAX_HIDDEN_LAYERS - 1)))
    controls = NetworkControls(session=session)
    assert not buttons(controls, "+ layer")[0].disabled
    click(controls, "+ layer")
    assert len(session.state.hidden) == MAX_HIDDEN_LAYERS
    assert buttons(controls, "+ layer")[0].disabled
    assert not buttons(controls, "− layer")[0].disabled


def test_remove_layer_is_disabled_without_layers() -> None:
    session = Session(State(hidden=[1]))
    controls = NetworkControls(session=session)
    click(controls, "− layer")
    assert session.state.hidden == []
    assert buttons(controls, "− layer")[0].disabled
    assert buttons(controls, "+ neuron") == []


def test_add_neuron_is_disabled_at_the_limit() -> None:
    session = Session(State(hidden=[MAX_NEURONS - 1]))
    controls = NetworkControls(session=session)
    click(controls, "+ neuron")
    assert session.state.hidden == [MAX_NEURONS]
    assert buttons(controls, "+ neuron")[0].disabled
