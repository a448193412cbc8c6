"""The page: the Playground built into a Bokeh document, its views showing what the painter
paints, its widgets driving the model (the weight editor, the layer and neuron buttons, the
taps), and its end when the page goes away."""

from __future__ import annotations

import asyncio
import types
import weakref

import numpy as np
import panel as pn
from bokeh.document import Document
from bokeh.models import ColumnDataSource, LinearAxis

from playground.app import Playground
from playground.painter import network_data as nd
from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS, State


def rendered(app: Playground) -> Document:
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    return doc


def labels(doc: Document) -> set[str]:
    """The axis labels of every figure in the document."""
    return {axis.axis_label for axis in doc.select({"type": LinearAxis}) if axis.axis_label}


# the Playground ---------------------------------------------------------------------------------
def test_the_playground_builds_into_a_bokeh_document_and_keeps_working() -> None:
    app = Playground()
    doc = rendered(app)
    app.loop.step()
    app.session.add_layer()
    app.session.state.dataset = "spiral3"
    assert len(doc.roots) == 1
    assert {"Epoch", "Loss", "Accuracy"} <= labels(doc)
    assert len(list(doc.select({"type": ColumnDataSource}))) > 5
    assert len(app.network.lines.data["w"]) == 2 * 4 + 4 * 2 + 2 * 2 + 2 * 3
    assert app.output.mapper.palette[:3] == ["#f59322", "#0877bd", "#b2182b"]


def test_every_view_object_is_registered_once_under_its_target() -> None:
    app = Playground()
    targets = app.registry.targets
    assert targets["network.lines"] is app.network.lines
    assert targets["output.heat"] is app.output.heat
    assert targets["loss.source"] is app.loss_chart.source
    assert targets["activation.source"] is app.activation.source
    assert targets["features.weights"] is app.features.weights_source
    assert targets["controls.play"] is app.controls.play
    assert targets["steps.next"] is app.steps.next
    assert len({id(o) for o in targets.values()}) == len(targets)
    parts = {id(p) for p in app.model.parts().values()}
    assert all(id(b.owner) in parts for b in app.registry.fields + app.registry.events)


def test_play_trains_and_refreshes_the_rendered_page() -> None:
    async def run() -> Playground:
        app = Playground()
        rendered(app)
        app.controls.play.clicks += 1
        assert app.controls.play.name == "Pause"
        await asyncio.sleep(0.3)
        app.controls.play.clicks += 1
        await asyncio.sleep(0)
        return app

    app = asyncio.run(run())
    network = app.loop.trainer.network
    assert app.loop.epoch > 0
    assert not app.loop.running
    assert app.controls.play.name == "Play"
    assert np.array_equal(app.network.shown_weights(), nd.flatten(network.weights))
    assert app.status.readouts["epoch"].object == f"Epoch {app.loop.epoch}"
    assert list(app.loss_chart.source.data["epoch"]) == app.loop.trainer.history.epochs


def test_step_and_reset_buttons() -> None:
    app = Playground()
    start = app.network.shown_weights().copy()
    app.controls.step.clicks += 1
    assert app.status.readouts["epoch"].object == "Epoch 1"
    assert not np.array_equal(app.network.shown_weights(), start)
    app.controls.reset.clicks += 1
    assert app.status.readouts["epoch"].object == "Epoch 0"
    assert np.array_equal(app.network.shown_weights(), start)
    assert list(app.loss_chart.source.data["epoch"]) == [0.0]


def visible(app: Playground, *targets: str) -> list[bool]:
    return [app.registry.targets[t].visible for t in targets]


OUTPUT = ("output.figure", "text.output", "settings.show_test_data", "settings.discretize")
FEATURES = ("features.figure", "features.intro")


def test_digits_hide_the_output_and_show_the_features() -> None:
    app = Playground()
    rendered(app)
    assert visible(app, *OUTPUT) == [True] * 4
    assert visible(app, *FEATURES) == [False] * 2
    app.session.state.dataset = "digits"
    assert visible(app, *OUTPUT) == [False] * 4
    assert visible(app, *FEATURES) == [True] * 2
    assert len(app.features.weights_source.data["image"]) == 4
    app.session.state.dataset = "circle"
    assert visible(app, *OUTPUT) == [True] * 4
    assert visible(app, *FEATURES) == [False] * 2


def test_digits_from_the_start() -> None:
    app = Playground(State(dataset="digits"))
    rendered(app)
    assert visible(app, *OUTPUT) == [False] * 4
    assert visible(app, *FEATURES) == [True] * 2
    assert app.loop.trainer.network.sizes[0] == 64
    assert len(app.network.thumbs.data["image"]) == 64 + 4 + 2 + 10


def test_an_unusable_setting_shows_a_notice() -> None:
    app = Playground()
    notice = app.registry.targets["page.notice"]
    assert not notice.visible
    app.session.state.hidden = [0]
    assert notice.visible
    assert "cannot be used" in notice.object
    app.session.state.hidden = [2]
    assert not notice.visible


def test_the_output_checkboxes_are_the_states() -> None:
    app = Playground(State(show_test_data=True))
    show, discretize = app.output.flags
    assert show.value == ["Show test data"]
    assert app.output.test_renderer.visible
    discretize.value = ["Discretize output"]
    assert app.session.state.discretize
    assert set(np.unique(app.output.heat.data["image"][0])) <= {-1.0, 1.0}
    assert app.session.topology == 0
    app.session.state.show_test_data = False
    assert show.value == []
    assert not app.output.test_renderer.visible


def test_the_activation_view_follows_the_setting() -> None:
    app = Playground()
    app.settings.controls["activation"].value = "relu"
    assert app.session.state.activation == "relu"
    x = np.asarray(app.activation.source.data["x"])
    assert np.array_equal(app.activation.source.data["f"], np.maximum(x, 0.0))
    assert "ReLU" in app.activation.text.object


def test_a_select_shows_the_models_value_among_its_options() -> None:
    app = Playground(State.from_url("noise=7&learningRate=0.2")[0])
    noise = app.settings.controls["noise"]
    assert noise.value == 7
    assert 7 in noise.options.values()
    app.session.state.learning_rate = 0.3
    assert app.settings.controls["learning_rate"].value == 0.3
    app.settings.controls["batch_size"].value = 4
    assert app.loop.trainer.batch_size == 4


def test_tapping_an_input_switches_it_off() -> None:
    app = Playground(State(features=["x1", "x2", "x1x2"]))
    app.network.thumbs.selected.indices = [2]
    assert app.session.state.features == ["x1", "x2"]
    assert app.network.thumbs.selected.indices == []  # the tap taken
    assert len(app.network.thumbs.data["image"]) == 2 + 4 + 2 + 1


# the weight editor ------------------------------------------------------------------------------
def test_tapping_a_line_shows_its_weight() -> None:
    app = Playground()
    app.loop.step()
    app.network.lines.selected.indices = [5]  # x2 -> neuron 2 of layer 1
    field = app.registry.targets["weights.value"]
    assert field.visible
    assert field.value == round(app.session.weight(0, 1, 1), 4)
    assert field.name == "Weight X₂ → neuron 2 of layer 1"
    assert app.registry.targets["weights.choose"].value == 5
    assert "Type a new value" in app.registry.targets["weights.hint"].object


def test_typing_a_value_changes_the_weight_and_the_drawing() -> None:
    app = Playground()
    app.network.lines.selected.indices = [3]
    app.registry.targets["weights.value"].value = 1.25
    assert app.session.weight(0, 0, 3) == 1.25
    assert app.network.shown_weights()[3] == 1.25


def test_a_new_topology_clears_the_editor() -> None:
    app = Playground()
    app.network.lines.selected.indices = [2]
    app.session.add_layer()
    field = app.registry.targets["weights.value"]
    assert not field.visible
    assert field.value is None
    assert app.network.lines.selected.indices == []
    assert app.registry.targets["weights.choose"].value == -1


def test_untapping_clears_the_editor() -> None:
    app = Playground()
    app.network.lines.selected.indices = [2]
    app.network.lines.selected.indices = []
    assert app.model.weights.chosen is None
    assert not app.registry.targets["weights.value"].visible


# the layer and neuron buttons -------------------------------------------------------------------
def buttons(app: Playground, name: str) -> list[pn.widgets.Button]:
    """The buttons called `name` that the learner sees."""
    shape = app.registry.targets["shape.panel"]
    return [b for b in shape.select(pn.widgets.Button) if b.name == name and b.visible]


def click(app: Playground, name: str, index: int = 0) -> None:
    buttons(app, name)[index].clicks += 1


def test_the_buttons_change_the_shape() -> None:
    app = Playground()
    click(app, "+ layer")
    assert app.session.state.hidden == [4, 2, 2]
    click(app, "+ neuron", 0)
    assert app.session.state.hidden == [5, 2, 2]
    click(app, "− neuron", 2)
    assert app.session.state.hidden == [5, 2, 1]
    click(app, "− layer")
    assert app.session.state.hidden == [5, 2]
    assert app.loop.trainer.network.sizes == [2, 5, 2, 1]


def test_one_pair_of_neuron_buttons_per_layer() -> None:
    app = Playground(State(hidden=[3, 1, 8]))
    assert len(buttons(app, "+ neuron")) == 3
    assert [b.disabled for b in buttons(app, "− neuron")] == [False, True, False]
    assert [b.disabled for b in buttons(app, "+ neuron")] == [False, False, True]
    shape = app.registry.targets["shape.panel"]
    texts = [o.object for o in shape.select(pn.pane.HTML) if o.visible]
    assert texts == ["Hidden layers: 3", "Layer 1: 3 neurons", "Layer 2: 1 neuron",
                     "Layer 3: 8 neurons"]


def test_add_layer_is_disabled_at_the_limit() -> None:
    app = Playground(State(hidden=[2] * (MAX_HIDDEN_LAYERS - 1)))
    assert not buttons(app, "+ layer")[0].disabled
    click(app, "+ layer")
    assert len(app.session.state.hidden) == MAX_HIDDEN_LAYERS
    assert buttons(app, "+ layer")[0].disabled
    assert not buttons(app, "− layer")[0].disabled


def test_remove_layer_is_disabled_without_layers() -> None:
    app = Playground(State(hidden=[1]))
    click(app, "− layer")
    assert app.session.state.hidden == []
    assert buttons(app, "− layer")[0].disabled
    assert buttons(app, "+ neuron") == []


def test_add_neuron_is_disabled_at_the_limit() -> None:
    app = Playground(State(hidden=[MAX_NEURONS - 1]))
    click(app, "+ neuron")
    assert app.session.state.hidden == [MAX_NEURONS]
    assert buttons(app, "+ neuron")[0].disabled


# the page goes away -------------------------------------------------------------------------
def test_close_stops_training_and_paints_no_more() -> None:
    async def run() -> tuple[Playground, int, str, np.ndarray]:
        app = Playground()
        rendered(app)
        app.controls.play.clicks += 1
        await asyncio.sleep(0.05)
        app.close()
        epoch = app.loop.trainer.epoch
        shown = (app.status.readouts["epoch"].object, app.network.shown_weights().copy())
        await asyncio.sleep(0.05)
        assert app.loop.trainer.epoch == epoch  # the training task has ended
        assert app.loop._task is None
        app.loop.step()  # whatever still arrives paints nothing
        return app, epoch, *shown

    app, epoch, readout, weights = asyncio.run(run())
    assert epoch > 0
    assert not app.loop.running
    assert app.host.closed
    assert app.status.readouts["epoch"].object == readout
    assert np.array_equal(app.network.shown_weights(), weights)
    assert not np.array_equal(weights, nd.flatten(app.loop.trainer.network.weights))


def test_close_stops_the_step_throughs_animation() -> None:
    async def run() -> tuple[int, int]:
        app = Playground()
        app.model.steps.frame_seconds = 0.01
        app.steps.next.clicks += 1  # Forward: a layer a frame
        await asyncio.sleep(0)
        app.close()
        frames = app.model.steps.frames
        await asyncio.sleep(0.1)
        assert app.model.steps._task is None
        return frames, app.model.steps.frames

    frames, later = asyncio.run(run())
    assert frames == 1
    assert later == frames


def test_a_served_session_closes_its_playground_when_it_ends() -> None:
    """Under `panel serve` the Playground registers close() for the end of its session (a tab
    closed: the training must not go on without it)."""
    class Context:  # what a server session's context is to Panel and the Playground
        id = "session"
        request = types.SimpleNamespace(arguments={}, cookies={}, headers={})

    doc = Document()
    context = Context()
    doc._session_context = weakref.ref(context)  # as Bokeh's server sets it
    token = pn.state._curdoc.set(doc)
    try:
        app = Playground()
    finally:
        pn.state._curdoc.reset(token)
    callbacks = list(doc.session_destroyed_callbacks)
    assert len(callbacks) == 1

    async def run() -> None:
        app.loop.play()
        await asyncio.sleep(0.02)
        for callback in callbacks:
            callback(context)
        await asyncio.sleep(0.02)

    asyncio.run(run())
    assert app.host.closed
    assert not app.loop.running
    assert app.loop._task is None
    assert Playground().host.closed is False  # no session: nothing registered, nothing closed
