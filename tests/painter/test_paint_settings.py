"""The settings' menus: what each offers (always the current value among it: a link may set any
value), which are shown (a lesson link hides some), and the output view's two checkboxes."""

from __future__ import annotations

import pytest
from fake_host import Painted

from playground.painter import settings
from playground.painter.settings import HIDE_KEYS, options, target
from playground.state import State


def values(menu: list[tuple[str, object]]) -> list[object]:
    return [v for _, v in menu]


def test_every_menu_offers_the_current_value_whatever_the_link_set() -> None:
    state = State.from_url("noise=7&percTrainData=35&learningRate=0.2&batchSize=45")[0]
    menus = options(state)
    for field in menus:
        if field != "features":
            assert getattr(state, field) in values(menus[field]), field
    assert 7 in values(menus["noise"])
    assert ("35 %", 35) in menus["train_percent"]
    assert values(menus["learning_rate"]) == sorted(values(menus["learning_rate"]))


def test_the_menus_are_labelled_in_words() -> None:
    menus = options(State())
    assert ("Exclusive or", "xor") in menus["dataset"]
    assert ("ReLU", "relu") in menus["activation"]
    assert ("X₁X₂", "x1x2") in menus["features"]
    assert menus["regularization"] == [("None", "none"), ("L1", "l1"), ("L2", "l2")]
    assert ("0.03", 0.03) in menus["learning_rate"]


def test_one_dataset_menu_per_problem() -> None:
    p = Painted.of()
    assert p.visible(target("dataset"))
    assert not p.visible(target("reg_dataset"))
    p.m.state.problem = "regression"
    assert not p.visible(target("dataset"))
    assert p.visible(target("reg_dataset"))


@pytest.mark.parametrize("field", list(HIDE_KEYS))
def test_a_hidden_control_is_painted_hidden(field: str) -> None:
    state = {"problem": "regression"} if field == "reg_dataset" else {}
    shown = Painted.of(**state)
    hidden = Painted.of(hidden_controls=[HIDE_KEYS[field]], **state)
    assert shown.visible(target(field))
    assert not hidden.visible(target(field))


def test_hiding_the_dataset_hides_regenerate_and_hiding_the_features_their_caption() -> None:
    p = Painted.of(hidden_controls=["dataset", "features"])
    assert not p.visible(settings.REGENERATE)
    assert not p.visible(settings.FEATURES_CAPTION)
    q = Painted.of()
    assert q.visible(settings.REGENERATE)
    assert q.visible(settings.FEATURES_CAPTION)


def test_the_output_checkboxes_show_their_settings_and_set_them() -> None:
    p = Painted.of(show_test_data=True)
    show, discretize = target("show_test_data"), target("discretize")
    assert p.prop(show, "options") == ["Show test data"]
    assert p.prop(show, "value") == ["Show test data"]
    assert p.prop(discretize, "value") == []
    assert p.prop("output.test_renderer", "visible")
    p.take(discretize, ["Discretize output"])
    assert p.m.state.discretize
    assert p.prop(discretize, "value") == ["Discretize output"]
    p.take(show, [])
    assert not p.m.state.show_test_data
    assert not p.prop("output.test_renderer", "visible")
    assert p.m.session.topology == 0  # display toggles build nothing


def test_the_output_checkboxes_are_hidden_for_the_digits() -> None:
    p = Painted.of(dataset="digits")
    assert not p.visible(target("show_test_data"))
    assert not p.visible(target("discretize"))
    p.m.state.dataset = "circle"
    assert p.visible(target("show_test_data"))
