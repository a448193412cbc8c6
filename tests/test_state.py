"""The serializable state: one table, both directions; TensorFlow Playground links open."""

from __future__ import annotations

import re

import pytest

from playground.experiment import Config
from playground.state import FEATURE_KEYS, MAX_SEED, State, seed_to_int

TF_LINK = ("#activation=relu&batchSize=17&dataset=spiral&regDataset=reg-plane&learningRate=0.1"
           "&regularizationRate=0.003&noise=15&networkShape=8,6,3&seed=0.71549&showTestData=true"
           "&discretize=true&percTrainData=70&x=true&y=true&xTimesY=true&xSquared=false"
           "&ySquared=false&cosX=false&sinX=true&cosY=false&sinY=false&collectStats=false"
           "&problem=classification&initZero=false&hideText=false&regularization=L2"
           "&learningRate_hide=true&dataset_hide=true")


def test_round_trip_of_the_default_state() -> None:
    state = State()
    back, notices = State.from_url(state.to_url())
    assert back == state
    assert notices == []


def test_round_trip_of_a_changed_state() -> None:
    state = State(dataset="xor", noise=25, train_percent=30, seed="abc", hidden=[8, 8, 1],
                  activation="gelu", learning_rate=0.3, regularization="l1", reg_rate=0.01,
                  batch_size=3, optimizer="adam", features=["x1", "x1x2", "cos_x2"],
                  show_test_data=True, discretize=True, hidden_controls=["activation"])
    back, notices = State.from_url(state.to_url())
    assert notices == []
    assert back == state


def test_a_tensorflow_playground_link_opens_with_its_meaning() -> None:
    state, notices = State.from_url(TF_LINK)
    assert notices == []
    assert state.activation == "relu"
    assert state.batch_size == 17
    assert state.dataset == "spiral"
    assert state.learning_rate == 0.1
    assert state.reg_rate == 0.003
    assert state.regularization == "l2"
    assert state.noise == 15
    assert state.hidden == [8, 6, 3]
    assert state.seed == "0.71549"
    assert state.show_test_data
    assert state.discretize
    assert state.train_percent == 70
    assert state.features == ["x1", "x2", "x1x2", "sin_x1"]
    assert set(state.hidden_controls) == {"learningRate", "dataset"}


def test_a_real_lesson_link_with_hide_flags_opens_cleanly() -> None:
    link = ("#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03"
            "&regularizationRate=0&noise=0&networkShape=4&seed=0.91979&showTestData=false"
            "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false"
            "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
            "&problem=classification&initZero=false&hideText=false&discretize_hide=false"
            "&showTestData_hide=false&stepButton_hide=false&activation_hide=true"
            "&noise_hide=false&regularization_hide=true&regularizationRate_hide=true")
    state, notices = State.from_url(link)
    assert notices == []
    assert state.hidden == [4]
    assert state.hidden_controls == ["activation", "regularization", "regularizationRate"]


def test_written_links_use_tensorflow_playground_keys_and_spellings() -> None:
    state, _ = State.from_url(TF_LINK)
    url = state.to_url()
    for part in ("activation=relu", "regularization=L2", "regDataset=reg-plane",
                 "networkShape=8,6,3", "percTrainData=70", "xTimesY=true", "sinX=true",
                 "learningRate=0.1", "seed=0.71549"):
        assert part in url.split("&"), part
    assert set(FEATURE_KEYS.values()) <= {p.split("=")[0] for p in url.split("&")}


def test_regression_links_select_the_regression_dataset() -> None:
    state, notices = State.from_url("problem=regression&regDataset=reg-gauss")
    assert notices == []
    assert state.active_dataset() == "multigauss"
    assert state.to_config().problem == "regression"


@pytest.mark.parametrize(("link", "field", "expected", "fragment"), [
    ("noise=500", "noise", 50, "out of range"),
    ("noise=-3", "noise", 0, "out of range"),
    ("batchSize=NaN", "batch_size", 10, "not valid"),
    ("learningRate=inf", "learning_rate", 0.03, "not valid"),
    ("learningRate=abc", "learning_rate", 0.03, "not valid"),
    ("networkShape=99,2,3,4,5,6,7,8", "hidden", [8, 2, 3, 4, 5, 6], "out of range"),
    ("networkShape=4,x", "hidden", [4, 2], "not valid"),
    ("networkShape=0", "hidden", [1], "out of range"),
    ("activation=<script>", "activation", "tanh", "not valid"),
    ("showTestData=maybe", "show_test_data", False, "not valid"),
    ("percTrainData=1e300", "train_percent", 90, "out of range"),
])
def test_bad_values_fall_back_or_clamp_with_a_notice(link, field, expected, fragment) -> None:
    state, notices = State.from_url(link)
    assert getattr(state, field) == expected
    assert len(notices) == 1
    assert fragment in notices[0]


def test_unknown_keys_are_named_and_ignored() -> None:
    state, notices = State.from_url("bogus=1&x=true&%ZZ=1")
    assert state == State()
    assert any("bogus" in n for n in notices)


def test_empty_network_shape_means_no_hidden_layer() -> None:
    state, notices = State.from_url("networkShape=")
    assert state.hidden == []
    assert notices == []


def test_notices_never_carry_long_or_unprintable_text() -> None:
    _, notices = State.from_url("activation=" + "A" * 10_000 + "\x00")
    assert len(notices) == 1
    assert len(notices[0]) < 200


def test_seeds_digits_stay_numbers_and_text_is_hashed() -> None:
    assert seed_to_int("42") == 42
    assert seed_to_int("0.71549") == seed_to_int("0.71549") != seed_to_int("0.71548")


def test_digit_seeds_below_2_to_the_32_stay_numbers() -> None:
    assert seed_to_int("4294967295") == MAX_SEED - 1 == 2**32 - 1
    assert seed_to_int("1234567890") == 1234567890
    assert seed_to_int("0000000000042") == 42
    assert seed_to_int("0") == 0
    assert seed_to_int("4294967296") < MAX_SEED  # hashed
    assert seed_to_int("4294967296") != 4294967296 % MAX_SEED
    assert seed_to_int("9" * 5000) < MAX_SEED


def test_a_seed_of_digits_int_cannot_read_is_hashed() -> None:
    assert seed_to_int("²") == seed_to_int("²") < MAX_SEED


@pytest.mark.parametrize("seed", ["abc", "0.71549", "x" * 64, "4294967296", "²", "-1", " 7 "])
def test_every_engine_seed_comes_back_as_the_same_seed(seed: str) -> None:
    config = State(seed=seed).to_config()
    back = State.from_config(config)
    assert seed_to_int(back.seed) == config.seed
    assert back.to_config() == config


# Config -> State --------------------------------------------------------------------------------
ROUND_TRIPS = [
    State(),
    State(dataset="xor", noise=25, train_percent=30, seed="123", hidden=[8, 8, 1],
          activation="gelu", learning_rate=0.3, regularization="l1", reg_rate=0.01,
          batch_size=3, optimizer="adam", features=["x1", "x1x2", "cos_x2"]),
    State(problem="regression", reg_dataset="multigauss", hidden=[], init_zero=True,
          learning_rate=1e-6, batch_size=30, reg_rate=10.0, noise=50, train_percent=90),
    State(dataset="spiral3", hidden=[8] * 6, seed="4294967295", learning_rate=10.0,
          features=list(FEATURE_KEYS), train_percent=10, optimizer="momentum"),
    State(dataset="digits", hidden=[1], activation="relu", seed="0", learning_rate=0.0123),
]


@pytest.mark.parametrize("state", ROUND_TRIPS)
def test_from_config_inverts_to_config(state: State) -> None:
    assert State.from_config(state.to_config()) == state


@pytest.mark.parametrize("seed", ["abc", "0.71549", "a seed"])
def test_from_config_with_a_hashed_seed_gives_the_same_run(seed: str) -> None:
    state = State(dataset="moons", seed=seed, hidden=[5])
    back = State.from_config(state.to_config())
    assert back.seed == str(seed_to_int(seed))
    assert back.to_config() == state.to_config()
    assert back.values() | {"seed": seed} == state.values()


def test_from_config_reads_what_the_command_line_writes() -> None:
    config = Config.from_dict({"dataset": "gauss", "noise": 10.0, "train_ratio": 0.7,
                               "seed": 3000000000, "hidden": [3, 3],
                               "activations": ["relu", "relu"], "loss": "squared",
                               "features": ["x1x2", "x1"]})
    state = State.from_config(config)
    assert state.noise == 10
    assert isinstance(state.noise, int)
    assert state.train_percent == 70
    assert state.seed == "3000000000"
    assert state.activation == "relu"
    assert state.features == ["x1", "x1x2"]  # the page's order
    assert state.to_config().replace(features=config.features, loss="squared",
                                     activation="tanh", activations=("relu", "relu")) == config


def test_from_config_keeps_the_default_loss_of_three_classes() -> None:
    config = Config(dataset="spiral3", loss="softmax_ce")
    assert State.from_config(config).dataset == "spiral3"


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"dataset": "user", "points": ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))}, "your own points"),
    ({"dataset": "digits01"}, "no 'digits01' dataset"),
    ({"activations": ("relu", "tanh")}, "different activations"),
    ({"loss": "bce"}, "bce loss"),
    ({"init": "xavier"}, "xavier initializer"),
    ({"shuffle": True}, "shuffles"),
    ({"batch_size": 31}, "batch size is 31, and the page allows 1 to 30"),
    ({"learning_rate": 1e-7}, "learning rate is 1e-07"),
    ({"hidden": (2,) * 7}, "7 hidden layers"),
    ({"hidden": (9, 2)}, "9 neurons"),
    ({"noise": 12.5}, "noise is 12.5"),
    ({"train_ratio": 0.555}, "whole percentages"),
    ({"seed": 2**32}, "too large"),
])
def test_from_config_rejects_what_the_page_cannot_show(changes: dict, fragment: str) -> None:
    config = Config(hidden=(2, 2)).replace(**changes)
    with pytest.raises(ValueError, match=re.escape(fragment)) as info:
        State.from_config(config)
    assert len(str(info.value)) < 120
