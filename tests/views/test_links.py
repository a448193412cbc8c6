"""The page's URL as the Panel component shows it: a lesson link opens the playground it
describes, what it could not use is said, embed mode is compact, hidden controls and texts are
not shown, and the hash is kept current. (The model's side: tests/model/
test_playground_model.py.)"""

from __future__ import annotations

import panel as pn
import pytest
from bokeh.document import Document
from bokeh.models import Button as BokehButton
from bokeh.models import CustomJS

from playground.app import Playground, create_app
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


def shown_buttons(app: Playground) -> list[str]:
    """The labels of the buttons the page shows (every one is in the document; hidden ones are
    painted invisible)."""
    return [b.label for b in rendered(app).select({"type": BokehButton}) if b.visible]


def notice_text(app: Playground) -> str:
    pane = app.registry.targets["page.link_notice"]
    return pane.object if pane.visible else ""


def test_a_tensorflow_playground_lesson_link_opens_its_settings() -> None:
    app = create_app(fragment=TF_LESSON)
    s = app.session.state
    assert (s.dataset, s.hidden, s.learning_rate) == ("xor", [3, 2], 0.1)
    assert app.loop.trainer.network.sizes == [3, 3, 2, 1]
    assert app.settings.controls["dataset"].value == "xor"
    assert app.settings.controls["learning_rate"].value == 0.1
    assert app.output.flags[0].value == ["Show test data"]
    assert notice_text(app) == ""


def test_a_malformed_link_names_what_it_ignored_escaped() -> None:
    app = create_app(fragment="noise=<script>alert(1)</script>&networkShape=4,99&bogus=1")
    text = notice_text(app)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "networkShape" in text
    assert "bogus" in text
    assert app.settings.controls["noise"].value == 0  # the default


def test_opening_another_link_shows_its_notices_and_settings() -> None:
    app = create_app()
    app.open_link("dataset=spiral&networkShape=8,8&learningRate=0.01&noise=abc")
    assert "noise" in notice_text(app)
    assert app.settings.controls["dataset"].value == "spiral"
    assert len(app.network.lines.data["w"]) == 2 * 8 + 8 * 8 + 8
    app.open_link("dataset=circle")
    assert notice_text(app) == ""


def test_the_hash_follows_every_change_made_on_the_page() -> None:
    app = create_app(fragment="dataset=xor")
    sent: list[str] = []
    app.on_url(sent.append)
    app.registry.targets["shape.add_layer"].clicks += 1
    app.settings.controls["learning_rate"].value = 0.3
    restored, notices = State.from_url(sent[-1])
    assert notices == []
    assert restored == app.session.state
    assert (restored.hidden, restored.learning_rate) == ([4, 2, 2], 0.3)


def test_hidden_controls_are_not_shown() -> None:
    shown = shown_buttons(create_app())
    assert {"Play", "Step", "Reset", "+ layer"} <= set(shown)
    app = create_app(fragment="playButton_hide=true&stepButton_hide=true&numHiddenLayers_hide=true"
                              "&lossChart_hide=true&showTestData_hide=true")
    names = shown_buttons(app)
    assert "Play" not in names
    assert "Step" not in names
    assert "Reset" in names
    assert not app.registry.targets["shape.panel"].visible  # the + layer and neuron buttons
    assert not app.registry.targets["card.loss"].visible
    assert [box.visible for box in app.output.flags] == [False, True]


def test_hide_text_leaves_out_the_explanations() -> None:
    def texts(app: Playground) -> str:
        return " ".join(str(p.object) for p in app.__panel__().select(pn.pane.HTML)
                        if p.visible)

    assert "Press <strong>Play</strong>" in texts(create_app())
    assert "<strong>The network.</strong>" in texts(create_app())
    quiet = texts(create_app(fragment="hideText=true"))
    assert "Press <strong>Play</strong>" not in quiet
    assert "<strong>The network.</strong>" not in quiet
    assert "Epoch 0" in " ".join(str(p.object) for p in create_app(
        fragment="hideText=true").__panel__().select(pn.pane.Str) if p.visible)


@pytest.mark.parametrize(("query", "embed"), [("", False), ("embed", True)])
def test_create_app_takes_embed_from_the_query(query: str, embed: bool) -> None:
    app = create_app(query=query)
    assert app.embed is embed
    assert app.model.embed is embed
    assert ("text.intro" in app.registry.targets) is not embed


def test_embed_mode_is_compact_and_offers_share() -> None:
    full = Playground(share=True)
    embed = Playground(embed=True, share=True)

    def headings(app: Playground) -> str:
        return " ".join(str(p.object) for p in app.__panel__().select(pn.pane.HTML))

    assert "<h1>Neural Network Playground</h1>" in headings(full)
    assert "<h1>Neural Network Playground</h1>" not in headings(embed)
    assert not [t for t in embed.registry.targets if t.startswith("text.")]  # no explanations
    assert shown_buttons(embed).count("Share") == 1  # in the top row
    assert shown_buttons(full).count("Share") == 1  # in the save card
    assert "Share" not in shown_buttons(Playground(share=False))
    assert "Share" not in shown_buttons(Playground(share=True, state=State.from_url(
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
