"""What screen readers and keyboards get, without a browser: labelled checkboxes, the network in
words, and a way to pick a weight with no pointer (e2e/test_accessibility.py checks the page)."""

from __future__ import annotations

import panel as pn
from bokeh.document import Document

from playground.app import Playground
from playground.model.weights import NONE
from playground.state import State


def checkbox_groups(viewable: pn.viewable.Viewable) -> dict[str, pn.widgets.CheckBoxGroup]:
    return {label: box for box in viewable.select(pn.widgets.CheckBoxGroup)
            for label in box.options}


def test_the_output_checkboxes_are_labelled_and_follow_their_settings_both_ways() -> None:
    app = Playground()
    boxes = checkbox_groups(app.output.__panel__())
    # a CheckBoxGroup, whose Bokeh view wraps input and text in a <label>; a Checkbox does not
    assert set(boxes) == {"Show test data", "Discretize output"}
    show = boxes["Show test data"]
    show.value = ["Show test data"]
    assert app.session.state.show_test_data
    assert app.output.test_renderer.visible
    app.session.state.discretize = True
    assert boxes["Discretize output"].value == ["Discretize output"]
    app.session.state.show_test_data = False
    assert show.value == []


def test_a_hidden_output_checkbox_is_not_shown() -> None:
    boxes = checkbox_groups(Playground(State(hidden_controls=["showTestData"])).__panel__())
    assert not boxes["Show test data"].visible
    assert boxes["Discretize output"].visible


def test_the_features_are_labelled_checkboxes_and_one_stays_on() -> None:
    app = Playground()
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    boxes = checkbox_groups(app.settings.__panel__())
    assert {"X₁", "X₂", "X₁X₂", "sin(X₁)"} <= set(boxes)
    group = boxes["X₁"]
    group.value = ["x1", "x2", "x1x2"]
    assert app.session.state.features == ["x1", "x2", "x1x2"]
    trained = app.loop.trainer
    group.value = []
    assert app.session.state.features == ["x1", "x2", "x1x2"]
    assert group.value == ["x1", "x2", "x1x2"]  # ticked again, as the model has them
    model = app.registry.targets["settings.features"]._models[doc.roots[0].ref["id"]][0]
    assert model.active == [0, 1, 4]  # and so in the page
    assert app.loop.trainer is trained  # nothing changed, nothing started over


def test_the_network_is_described_in_words_and_the_words_follow_the_shape() -> None:
    app = Playground()
    text = app.network.description.object
    assert "Network: 2 inputs (X₁, X₂), hidden layers of 4 and 2 neurons, 1 output." in text
    assert 'role="status"' in text
    app.session.add_layer()
    assert "hidden layers of 4, 2 and 2 neurons" in app.network.description.object


def weight_list(app: Playground) -> pn.widgets.Select:
    return next(v for v in app.__panel__().select(pn.widgets.Select)
                if v.name == "Choose a weight to edit")


def test_a_weight_can_be_chosen_from_a_list_as_well_as_tapped() -> None:
    app = Playground()
    choose = weight_list(app)
    labels = list(choose.options)
    assert labels[0] == "(none)"
    assert len(labels) == 1 + 2 * 4 + 4 * 2 + 2 * 1 + 4 + 2 + 1  # every line, every bias
    assert labels[6] == "X₂ → neuron 2 of layer 1"  # option k + 1 is line k
    choose.value = choose.options["X₂ → neuron 2 of layer 1"]
    assert app.model.weights.chosen == (0, 1, 1)
    assert app.network.lines.selected.indices == [5]  # drawn as selected, as after a tap
    field = next(w for w in app.__panel__().select(pn.widgets.FloatInput) if w.visible)
    assert field.name == "Weight X₂ → neuron 2 of layer 1"
    field.value = 2.5
    assert app.session.weight(0, 1, 1) == 2.5
    # a tap on another line shows in the list; a new shape empties it and lists the new lines
    app.network.lines.selected.indices = [17]
    assert choose.value == 17
    app.session.add_neuron(0)
    assert choose.value == NONE
    assert len(choose.options) == 1 + 2 * 5 + 5 * 2 + 2 * 1 + 5 + 2 + 1
    choose.value = 0
    choose.value = NONE
    assert app.model.weights.chosen is None
    assert app.network.lines.selected.indices == []
