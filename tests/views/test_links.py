"""The page's URL: a lesson link opens the playground it describes, embed mode, hidden
controls, and the hash kept current as settings change."""

from __future__ import annotations

import panel as pn
import pytest
from bokeh.document import Document
from bokeh.models import Button as BokehButton
from bokeh.models import CustomJS

from playground.app import Playground, create_app, wants_embed
from playground.state import State

TF_LESSON = ("activation=relu&batchSize=3&dataset=xor&regDataset=reg-plane&learningRate=0.1"
             "&regularizationRate=0&noise=15&networkShape=3,2&seed=0.12345&showTestData=true"
             "&discretize=false&percTrainData=70&x=true&y=true&xTimesY=true&xSquared=false"
             "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
             "&problem=classification&initZero=false&hideText=false")


def rendered(app: Playground) -> Document:
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    return doc


def button_names(app: Playground) -> list[str]:
    return [b.label for b in rendered(app).select({"type": BokehButton})]


def notice_text(app: Playground) -> str:
    return app._link_notice.object if app._link_notice.visible else ""


@pytest.mark.parametrize(("query", "fragment", "embed"), [
    ("", "", False), ("embed", "", True), ("embed=", "", True), ("embed=true", "", True),
    ("embed=false", "", False), ("x=1&embed", "", True), ("", "embed=true&seed=2", True),
    ("", "seed=2", False), ("embedded", "", False),
])
def test_embed_is_asked_for_by_query_or_hash(query: str, fragment: str, embed: bool) -> None:
    assert wants_embed(query, fragment) is embed


def test_a_tensorflow_playground_lesson_link_opens_its_settings() -> None:
    app = create_app(fragment=TF_LESSON)
    s = app.session.state
    assert (s.activation, s.batch_size, s.dataset, s.learning_rate, s.noise) == (
        "relu", 3, "xor", 0.1, 15)
    assert (s.hidden, s.seed, s.show_test_data, s.train_percent) == ([3, 2], "0.12345", True, 70)
    assert s.features == ["x1", "x2", "x1x2"]
    config = app.loop.trainer.context.config
    assert config.hidden == (3, 2)
    assert config.activation == "relu"
    assert notice_text(app) == ""


def test_a_malformed_link_names_what_it_ignored_escaped() -> None:
    app = create_app(fragment="noise=<script>alert(1)</script>&networkShape=4,99&bogus=1")
    text = notice_text(app)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "networkShape" in text
    assert "bogus" in text
    assert app.session.state.hidden == [4, 8]  # clamped
    assert app.session.state.noise == 0  # the default


def test_the_hash_follows_every_change() -> None:
    app = create_app(fragment="dataset=xor")
    sent: list[str] = []
    app.on_url(sent.append)
    assert State.from_url(sent[-1])[0] == app.session.state
    app.session.add_layer()
    app.session.state.learning_rate = 0.3
    restored, notices = State.from_url(sent[-1])
    assert notices == []
    assert restored == app.session.state
    assert restored.hidden == [4, 2, 2]
    assert restored.learning_rate == 0.3


def test_opening_another_link_applies_it_in_one_rebuild() -> None:
    app = create_app()
    before = app.session.topology
    app.open_link("dataset=spiral&networkShape=8,8&learningRate=0.01&noise=abc")
    s = app.session.state
    assert (s.dataset, s.hidden, s.learning_rate) == ("spiral", [8, 8], 0.01)
    assert app.session.topology == before + 1
    assert app.loop.trainer.context.config.hidden == (8, 8)
    assert "noise" in notice_text(app)
    app.open_link("dataset=circle")
    assert notice_text(app) == ""


def test_hidden_controls_are_left_out() -> None:
    shown = button_names(create_app())
    assert {"Play", "Step", "Reset", "+ layer"} <= set(shown)
    app = create_app(fragment="playButton_hide=true&stepButton_hide=true&numHiddenLayers_hide=true"
                              "&lossChart_hide=true&showTestData_hide=true")
    names = button_names(app)
    assert "Play" not in names
    assert "Step" not in names
    assert "+ layer" not in names
    assert "Reset" in names
    labels = [label for m in rendered(app).select({"type": pn.widgets.CheckBoxGroup._widget_type})
              for label in m.labels]
    assert "Show test data" not in labels
    assert "Discretize output" in labels


def test_hide_text_leaves_out_the_explanations() -> None:
    def markdown(app: Playground) -> str:
        return " ".join(str(p.object) for p in app.__panel__().select(pn.pane.Markdown))

    assert "Press **Play**" in markdown(create_app())
    assert "Press **Play**" not in markdown(create_app(fragment="hideText=true"))


def test_embed_mode_is_compact_and_offers_share() -> None:
    full = Playground(share=True)
    embed = Playground(embed=True, share=True)
    assert "# Neural Network Playground" in " ".join(
        str(p.object) for p in full.__panel__().select(pn.pane.Markdown))
    assert "# Neural Network Playground" not in " ".join(
        str(p.object) for p in embed.__panel__().select(pn.pane.Markdown))
    assert button_names(embed).count("Share") == 2  # in the top row and the save card
    assert "Share" not in button_names(Playground(share=False))
    assert "Share" not in button_names(Playground(share=True, state=State.from_url(
        "share_hide=true")[0]))


def test_the_share_and_picture_buttons_act_in_the_page() -> None:
    app = Playground(share=True)
    doc = rendered(app)
    codes = {b.label: [cb.code for cbs in b.js_event_callbacks.values() for cb in cbs
                       if isinstance(cb, CustomJS)] for b in doc.select({"type": BokehButton})}
    assert "playgroundShare" in codes["Share"][0]
    png = codes["Picture of the network"][0]
    assert 'export("png")' in png
    assert "download" in png
