"""The playground as a model, without a view: its buttons (param Events), a tapped neuron, the
page's URL (a lesson link, embed mode, the hash kept current, another link opened), and the
parts a view binds to."""

from __future__ import annotations

import asyncio

import param
import pytest

from playground.model.playground import PlaygroundModel, wants_embed
from playground.state import MAX_HIDDEN_LAYERS, State

TF_LESSON = ("activation=relu&batchSize=3&dataset=xor&regDataset=reg-plane&learningRate=0.1"
             "&regularizationRate=0&noise=15&networkShape=3,2&seed=0.12345&showTestData=true"
             "&discretize=false&percTrainData=70&x=true&y=true&xTimesY=true&xSquared=false"
             "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
             "&problem=classification&initZero=false&hideText=false")
BLOWS_UP = {"problem": "regression", "activation": "relu", "hidden": [8] * 6,
            "learning_rate": 10.0}


def model(**state) -> PlaygroundModel:
    return PlaygroundModel(State(**state))


# the buttons --------------------------------------------------------------------------------
def test_step_and_reset() -> None:
    m = model()
    start = [w.copy() for w in m.loop.trainer.network.weights]
    m.step = True
    m.step = True
    assert m.loop.epoch == 2
    m.reset = True
    assert m.loop.epoch == 0
    assert all((a == b).all() for a, b in zip(m.loop.trainer.network.weights, start,
                                               strict=True))  # the same seed: the same start


def test_play_toggles_training() -> None:
    async def run() -> PlaygroundModel:
        m = model()
        m.play = True
        assert m.loop.running
        await asyncio.sleep(0.05)
        m.play = True
        assert not m.loop.running
        await asyncio.sleep(0)
        return m

    assert asyncio.run(run()).loop.epoch > 0


def test_regenerate_draws_new_data_from_a_new_seed() -> None:
    m = model()
    seed, x = m.state.seed, m.loop.trainer.context.dataset.x_train.copy()
    m.regenerate = True
    assert m.state.seed != seed
    assert m.session.topology == 1
    assert (m.loop.trainer.context.dataset.x_train != x).any()


def test_the_buttons_change_the_shape() -> None:
    m = model()
    m.add_layer = True
    assert m.state.hidden == [4, 2, 2]
    m.layers[0].add = True
    assert m.state.hidden == [5, 2, 2]
    m.layers[2].remove = True
    assert m.state.hidden == [5, 2, 1]
    m.layers[2].remove = True  # one neuron stays
    assert m.state.hidden == [5, 2, 1]
    m.remove_layer = True
    assert m.state.hidden == [5, 2]
    m.layers[4].add = True  # no such layer: nothing
    assert m.state.hidden == [5, 2]
    assert m.loop.trainer.network.sizes == [2, 5, 2, 1]
    assert len(m.layers) == MAX_HIDDEN_LAYERS


def test_recover_resets_with_the_same_learning_rate_and_diverges_again() -> None:
    m = model(**BLOWS_UP)
    m.step = True
    assert m.loop.diverged
    m.recover = True
    assert not m.loop.diverged
    assert m.state.learning_rate == m.loop.trainer.learning_rate == 10
    m.step = True
    assert m.loop.diverged


def test_recover_lower_resets_with_the_suggested_rate_and_the_link_keeps_it() -> None:
    m = model(**BLOWS_UP)
    m.step = True
    assert m.loop.suggested_learning_rate == 0.03
    topology = m.session.topology
    m.recover_lower = True
    assert not m.loop.diverged
    assert m.state.learning_rate == 0.03
    assert "learningRate=0.03" in m.state.to_url()
    assert m.loop.trainer.learning_rate == m.loop.config.learning_rate == 0.03
    assert m.session.topology == topology  # the same experiment, started over
    for _ in range(5):
        m.step = True
    assert not m.loop.diverged
    assert m.loop.epoch == 5


def test_a_new_experiment_clears_a_divergence() -> None:
    m = model(**BLOWS_UP)
    m.step = True
    m.state.reg_dataset = "multigauss"
    assert not m.loop.diverged
    assert m.loop.message == ""


def test_play_does_nothing_after_a_divergence_until_reset() -> None:
    m = model(**BLOWS_UP)
    m.step = True
    m.play = True  # a click that got through anyway
    assert not m.loop.running
    m.reset = True
    assert not m.loop.diverged
    assert m.loop.epoch == 0


# a tapped neuron ----------------------------------------------------------------------------
def test_tapping_an_input_switches_it_off_and_the_last_stays() -> None:
    m = model(features=["x1", "x2", "x1x2"])
    m.tap_neuron(2)
    assert m.state.features == ["x1", "x2"]
    m.tap_neuron(0)
    assert m.state.features == ["x2"]
    m.tap_neuron(0)
    assert m.state.features == ["x2"]


@pytest.mark.parametrize("index", [-1, 2, 3, 8, 100])
def test_tapping_anything_but_an_input_does_nothing(index: int) -> None:
    m = model()
    m.tap_neuron(index)
    assert m.state.features == ["x1", "x2"]
    assert m.session.topology == 0


def test_the_digits_pixels_do_not_switch_off() -> None:
    m = model(dataset="digits")
    m.tap_neuron(3)
    assert m.loop.trainer.network.sizes[0] == 64
    assert m.session.topology == 0


# links --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "fragment", "embed"), [
    ("", "", False), ("embed", "", True), ("embed=", "", True), ("embed=true", "", True),
    ("embed=false", "", False), ("x=1&embed", "", True), ("", "embed=true&seed=2", True),
    ("", "seed=2", False), ("embedded", "", False), ("?embed=0", "", False),
])
def test_embed_is_asked_for_by_query_or_hash(query: str, fragment: str, embed: bool) -> None:
    assert wants_embed(query, fragment) is embed
    assert PlaygroundModel.from_url(query, fragment).embed is embed


def test_a_tensorflow_playground_lesson_link_opens_its_settings() -> None:
    m = PlaygroundModel.from_url(fragment=TF_LESSON)
    s = m.state
    assert (s.activation, s.batch_size, s.dataset, s.learning_rate, s.noise) == (
        "relu", 3, "xor", 0.1, 15)
    assert (s.hidden, s.seed, s.show_test_data, s.train_percent) == ([3, 2], "0.12345", True, 70)
    assert s.features == ["x1", "x2", "x1x2"]
    config = m.loop.trainer.context.config
    assert config.hidden == (3, 2)
    assert config.activation == "relu"
    assert m.link_notices == []


def test_a_malformed_link_names_what_it_ignored() -> None:
    m = PlaygroundModel.from_url(fragment="noise=<script>alert(1)</script>&networkShape=4,99"
                                          "&bogus=1")
    notices = " ".join(m.link_notices)
    assert "networkShape" in notices
    assert "bogus" in notices
    assert m.state.hidden == [4, 8]  # clamped
    assert m.state.noise == 0  # the default


def test_the_hash_follows_every_change() -> None:
    m = PlaygroundModel.from_url(fragment="dataset=xor")
    sent: list[str] = []
    m.on_url(sent.append)
    assert State.from_url(sent[-1])[0] == m.state
    m.add_layer = True
    m.state.learning_rate = 0.3
    restored, notices = State.from_url(sent[-1])
    assert notices == []
    assert restored == m.state
    assert restored.hidden == [4, 2, 2]
    assert restored.learning_rate == 0.3


def test_opening_another_link_applies_it_in_one_rebuild() -> None:
    m = PlaygroundModel.from_url()
    before = m.session.topology
    m.open_link("dataset=spiral&networkShape=8,8&learningRate=0.01&noise=abc")
    s = m.state
    assert (s.dataset, s.hidden, s.learning_rate) == ("spiral", [8, 8], 0.01)
    assert m.session.topology == before + 1
    assert m.loop.trainer.context.config.hidden == (8, 8)
    assert any("noise" in n for n in m.link_notices)
    m.open_link("dataset=circle")
    assert m.link_notices == []


def test_another_link_does_not_change_which_controls_are_hidden() -> None:
    m = PlaygroundModel.from_url(fragment="noise_hide=true")
    m.open_link("playButton_hide=true&dataset=xor")
    assert m.state.hidden_controls == ["noise"]
    assert m.state.dataset == "xor"


# what a view binds to -------------------------------------------------------------------------
def test_parts_name_every_object_a_view_binds_to() -> None:
    m = model()
    parts = m.parts()
    assert parts["app"] is m
    assert parts["state"] is m.state
    assert parts["session"] is m.session
    assert parts["loop"] is m.loop
    assert parts["steps"] is m.steps
    assert parts["weights"] is m.weights
    assert parts["files"] is m.files
    assert [parts[f"layers.{i}"] for i in range(MAX_HIDDEN_LAYERS)] == m.layers
    assert all(isinstance(p, param.Parameterized) for p in parts.values())
    assert len({id(p) for p in parts.values()}) == len(parts)


def test_the_buttons_are_events() -> None:
    m = model()
    for name in ("play", "step", "reset", "regenerate", "add_layer", "remove_layer", "recover",
                 "recover_lower"):
        assert isinstance(m.param[name], param.Event), name
    assert isinstance(m.steps.param.next_phase, param.Event)
    assert isinstance(m.files.param.back_to_dataset, param.Event)
