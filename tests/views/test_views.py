"""Each view on its own, painted through the Panel host: its Bokeh objects are made once and
show what the painter paints, in place."""

from __future__ import annotations

import numpy as np
import panel as pn
import pytest
from bokeh.models import ColumnDataSource

from playground.model.playground import PlaygroundModel
from playground.painter import network_data as nd
from playground.painter.frame import Columns
from playground.painter.screen import Screen
from playground.state import State
from playground.views.charts import ActivationView, FeaturesView
from playground.views.host import PanelHost, Registry, panel_value, set_columns
from playground.views.network import NetworkView
from playground.views.output import OutputView


def painted(view_type, **state):
    """The view, and the model it shows, painted by a Screen through a PanelHost."""
    m = PlaygroundModel(State(**state))
    registry = Registry()
    view = view_type(registry)
    host = PanelHost(registry, m)
    Screen(m, host.apply).all()
    return view, m


def test_the_activation_view_redraws_its_curves_in_place() -> None:
    view, m = painted(ActivationView)
    source, fig = view.source, view.figure
    x = np.asarray(source.data["x"])
    assert np.allclose(source.data["f"], np.tanh(x))
    m.state.activation = "relu"
    assert view.source is source
    assert view.figure is fig
    assert np.array_equal(source.data["f"], np.maximum(x, 0.0))
    assert np.array_equal(source.data["df"], (x > 0).astype(float))
    assert view.y_range.end > 4.0
    assert "zeroes negative ones" in view.text.object
    assert len(view.__panel__()) == 2


def test_the_network_view_lays_out_the_network_and_fits_its_ranges() -> None:
    view, m = painted(NetworkView)
    assert np.array_equal(view.shown_weights(), nd.flatten(m.loop.trainer.network.weights))
    width = view.x_range.end - view.x_range.start
    m.session.add_layer()
    assert len(view.lines.data["x0"]) == 2 * 4 + 4 * 2 + 2 * 2 + 2
    assert len(view.thumbs.data["image"]) == 2 + 4 + 2 + 2 + 1
    assert view.x_range.end - view.x_range.start > width  # one more column to fit
    assert "hidden layers of 4, 2 and 2 neurons" in view.description.object


def test_the_output_view_shows_the_data_and_the_prediction() -> None:
    view, m = painted(OutputView, dataset="spiral3")
    data = m.loop.trainer.context.dataset
    assert len(view.train_points.data["x"]) == len(data.x_train)
    assert len(view.test_points.data["x"]) == len(data.x_test)
    assert view.mapper.palette[:2] == ["#f59322", "#0877bd"]
    assert (view.mapper.low, view.mapper.high) == (-0.5, 2.5)
    assert np.asarray(view.heat.data["image"][0]).shape == (64, 64)
    assert not view.test_renderer.visible
    view.flags[0].value = ["Show test data"]
    assert m.state.show_test_data
    assert view.test_renderer.visible


def test_the_features_view_shows_the_digits_features() -> None:
    view, m = painted(FeaturesView, dataset="digits", hidden=[5])
    assert view.figure.visible
    assert view.intro.visible
    assert len(view.weights_source.data["image"]) == 5
    assert len(view.examples_source.data["image"]) == 15
    assert view.labels_source.data["label"][-1] == "neuron 5"
    before = np.asarray(view.weights_source.data["image"][0]).copy()
    m.loop.step()
    assert not np.array_equal(view.weights_source.data["image"][0], before)
    m.state.dataset = "circle"
    assert not view.figure.visible
    assert not view.intro.visible


# the host -------------------------------------------------------------------------------------
def test_the_host_sets_columns_properties_and_skips_what_its_page_has_not() -> None:
    registry = Registry()
    source = registry.add("a.source", ColumnDataSource(data={"x": [1.0, 2.0], "y": [3.0, 4.0]}))
    pane = registry.add("a.pane", pn.pane.HTML(""))
    select = registry.add("a.select", pn.widgets.Select(options={"(none)": -1}))
    host = PanelHost(registry, PlaygroundModel())
    host.apply({"a.source": Columns("update", {"y": [5.0, 6.0]}),
                "a.pane": {"object": "<p>hi</p>", "visible": False},
                "a.select": {"options": [("one", 1), ("two", 2)]},
                "not.here": {"visible": True}})
    assert source.data == {"x": [1.0, 2.0], "y": [5.0, 6.0]}
    assert (pane.object, pane.visible) == ("<p>hi</p>", False)
    assert select.options == {"one": 1, "two": 2}
    host.apply({"a.source": Columns("stream", {"x": [7.0], "y": [8.0]})})
    assert list(source.data["x"]) == [1.0, 2.0, 7.0]
    host.closed = True
    host.apply({"a.pane": {"object": "gone"}})
    assert pane.object == "<p>hi</p>"


def test_columns_replace_and_panel_values() -> None:
    source = ColumnDataSource(data={"x": [1.0]})
    set_columns(source, Columns("replace", {"x": [1.0, 2.0, 3.0], "z": [0, 0, 0]}))
    assert source.data == {"x": [1.0, 2.0, 3.0], "z": [0, 0, 0]}
    assert panel_value("options", [("a", 1)]) == {"a": 1}
    assert panel_value("options", ["a", "b"]) == ["a", "b"]
    assert panel_value("value", [("a", 1)]) == [("a", 1)]
    registry = Registry()
    registry.add("t", source)
    with pytest.raises(ValueError, match="registered twice"):
        registry.add("t", source)


def test_a_bound_widget_shows_what_the_model_made_of_its_value() -> None:
    """from_param alone leaves a widget showing a value the model did not take as it is."""
    m = PlaygroundModel()
    registry = Registry()
    boxes = registry.field("f", pn.widgets.CheckBoxGroup, m.state.param.features,
                           options=["x1", "x2", "x1x2"])
    boxes.value = ["x1", "x1x2"]
    assert m.state.features == ["x1", "x1x2"]
    boxes.value = []  # the network needs an input: the model keeps these
    assert m.state.features == ["x1", "x1x2"]
    assert boxes.value == ["x1", "x1x2"]
    m.state.features = ["x2"]
    assert boxes.value == ["x2"]
    assert registry.fields[0].owner is m.state
