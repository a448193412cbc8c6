"""The smaller panels' frames: the weight editor, the files' messages and your own data's status,
the notices, and which parts of the page are shown."""

from __future__ import annotations

import pytest
from fake_host import Painted

from playground.model.files import PickedFile
from playground.painter import panels
from playground.state import State

GOOD = "x1,x2,label\n1.5,2,1\n-1,-2.5,-1\n2,-3,1\n-4,1,-1\n0.5,0.5,1\n-0.5,-0.5,-1\n"


# the weight editor ---------------------------------------------------------------------------
def test_every_line_and_bias_can_be_chosen_from_the_list() -> None:
    p = Painted.of()
    choices = p.prop(panels.CHOOSE, "options")
    assert choices[0] == ("(none)", -1)
    assert len(choices) == 1 + (2 * 4 + 4 * 2 + 2 * 1) + (4 + 2 + 1)
    assert choices[6] == ("X₂ → neuron 2 of layer 1", 5)  # option k + 1 is line k
    assert choices[19] == ("bias of neuron 1 of layer 1", 18)  # the biases follow
    assert choices[-1] == ("bias of output", 24)
    p.m.session.add_neuron(0)
    assert len(p.prop(panels.CHOOSE, "options")) == 1 + 2 * 5 + 5 * 2 + 2 * 1 + 5 + 2 + 1


def test_a_chosen_weight_shows_its_field_named_by_its_line() -> None:
    p = Painted.of()
    assert not p.visible(panels.VALUE)
    assert p.text(panels.HINT) == f"<p>{panels.HINT_TEXT}</p>"
    p.m.weights.index = 17  # the last line
    assert p.visible(panels.VALUE)
    assert p.prop(panels.VALUE, "name") == "Weight neuron 2 of layer 2 → output"
    assert p.text(panels.HINT) == f"<p>{panels.EDIT_TEXT}</p>"
    p.m.weights.choose_bias(0)
    assert p.prop(panels.VALUE, "name") == "Bias of neuron 1 of layer 1"
    p.m.session.add_layer()  # a new network: nothing chosen
    assert not p.visible(panels.VALUE)
    assert p.text(panels.HINT) == f"<p>{panels.HINT_TEXT}</p>"


# files ------------------------------------------------------------------------------------------
def test_the_files_messages_are_text_read_out_never_html() -> None:
    p = Painted.of()
    p.m.files.open_data(PickedFile("<img src=x onerror=alert(1)>.csv", 20,
                                   text="1,2,1\n3,<b>4</b>,-1\n"))
    shown = p.text(panels.DATA_MESSAGE)
    assert shown.startswith('<p role="status" aria-live="polite">')
    assert "<img" not in shown
    assert "<b>" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in shown
    assert "&lt;b&gt;4&lt;/b&gt;" in shown
    p.m.files.open_model(PickedFile("model.json", 1, text="<i>{"))
    assert "not valid JSON" in p.text(panels.MODEL_MESSAGE)
    assert "<i>" not in p.text(panels.MODEL_MESSAGE)


def test_training_on_your_data_says_the_link_cannot_hold_it_and_offers_a_way_back() -> None:
    p = Painted.of(dataset="spiral")
    assert not p.visible(panels.DATA_STATUS)
    assert not p.visible(panels.BACK)
    p.m.files.open_data(PickedFile("points.csv", len(GOOD), text=GOOD))
    assert p.text(panels.DATA_MESSAGE) == ""
    assert p.visible(panels.DATA_STATUS)
    status = p.text(panels.DATA_STATUS)
    assert "Training on your data: points.csv: 6 points (3 to train on, 3 to test)" in status
    assert "it opens the Spiral dataset" in status
    assert "outside the output view" not in status
    assert p.visible(panels.BACK)
    assert p.prop(panels.BACK, "name") == "Back to Spiral"
    p.m.files.back_to_dataset = True
    assert p.m.session.user_data is None
    assert not p.visible(panels.DATA_STATUS)
    assert not p.visible(panels.BACK)


def test_the_status_follows_the_split_and_warns_of_points_off_the_view() -> None:
    p = Painted.of()
    text = "0,0,1\n10,10,-1\n1,1,1\n2,2,-1\n"
    p.m.files.open_data(PickedFile("far.csv", len(text), text=text))
    assert "Points beyond ±6 are outside the output view." in p.text(panels.DATA_STATUS)
    p.m.state.train_percent = 80
    assert "(3 to train on, 1 to test)" in p.text(panels.DATA_STATUS)


# notices --------------------------------------------------------------------------------------
def test_a_malformed_link_names_what_it_ignored_escaped() -> None:
    state, notices = State.from_url("noise=<script>alert(1)</script>&networkShape=4,99&bogus=1")
    p = Painted(state, link_notices=notices)
    assert p.visible(panels.LINK_NOTICE)
    text = p.text(panels.LINK_NOTICE)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "networkShape" in text
    assert "bogus" in text
    p.m.open_link("dataset=circle")
    assert not p.visible(panels.LINK_NOTICE)
    assert p.text(panels.LINK_NOTICE) == ""


def test_more_than_eight_link_notices_are_counted() -> None:
    text = panels.link_notice([f"problem {i}" for i in range(11)])
    assert text.count("<li>") == panels.MAX_LINK_NOTICES + 1
    assert "<li>and 3 more</li>" in text
    assert panels.link_notice([]) == ""


def test_an_unusable_setting_shows_a_notice_until_a_usable_one() -> None:
    p = Painted.of()
    assert not p.visible(panels.NOTICE)
    p.m.state.hidden = [0]
    assert p.visible(panels.NOTICE)
    assert "cannot be used" in p.text(panels.NOTICE)
    p.m.state.hidden = [2]
    assert not p.visible(panels.NOTICE)


# what is shown ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("share", "hidden", "shown"), [
    (True, [], True), (False, [], False), (True, ["share"], False)])
def test_share_is_shown_where_the_page_offers_it_and_the_link_does_not_hide_it(
        share: bool, hidden: list[str], shown: bool) -> None:
    assert Painted(State(hidden_controls=hidden), share=share).visible(panels.SHARE) is shown


def test_hide_text_hides_every_explanation() -> None:
    p = Painted.of()
    q = Painted.of(hide_text=True)
    for target in panels.TEXTS:
        if target not in panels.FEATURE_PARTS:  # (the digits' only)
            assert p.visible(target), target
        assert not q.visible(target), target
    assert q.visible("output.figure")  # the views themselves stay
    assert not q.visible("text.output")


@pytest.mark.parametrize(("card", "key"), list(panels.CARDS.items()))
def test_a_link_may_hide_a_card(card: str, key: str) -> None:
    assert Painted.of().visible(card)
    assert not Painted.of(hidden_controls=[key]).visible(card)


def test_the_digits_show_their_features_in_place_of_the_output() -> None:
    p = Painted.of()
    for target in panels.OUTPUT_PARTS:
        assert p.visible(target)
    for target in panels.FEATURE_PARTS:
        assert not p.visible(target)
    p.m.state.dataset = "digits"
    for target in panels.OUTPUT_PARTS:
        assert not p.visible(target)
    for target in panels.FEATURE_PARTS:
        assert p.visible(target)
    quiet = Painted.of(dataset="digits", hide_text=True)
    assert quiet.visible("features.figure")
    assert not quiet.visible("features.intro")
