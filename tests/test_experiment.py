"""Config (defaults, validation, dict round trip), building a run, and the saved-model format."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from playground.experiment import (
    BATCH_SIZE,
    HIDDEN_LAYERS,
    LIMITS,
    MAX_MODEL_BYTES,
    NEURONS,
    NOISE,
    TRAIN_RATIO,
    Config,
    build_experiment,
    build_trainer,
    load_model,
    parse_model,
    save_model,
)


def test_defaults_are_tensorflow_playgrounds() -> None:
    c = Config()
    assert (c.dataset, c.problem, c.noise, c.train_ratio) == ("circle", "classification", 0, 0.5)
    assert c.features == ("x1", "x2")
    assert c.hidden == (4, 2)
    assert (c.activation, c.learning_rate, c.batch_size) == ("tanh", 0.03, 10)
    assert (c.regularization, c.reg_rate, c.optimizer, c.init) == ("none", 0.0, "sgd", "tfp")
    assert c.loss is None
    assert c.loss_name == "squared"
    assert c.activations is None
    trainer = build_trainer(c)
    assert trainer.network.sizes == [2, 4, 2, 1]
    assert trainer.network.activation_names == ["tanh", "tanh", "tanh"]  # TF: tanh output


def test_derived_settings() -> None:
    assert Config(dataset="spiral3").loss_name == "softmax_ce"
    assert build_trainer(Config(dataset="spiral3")).network.sizes == [2, 4, 2, 3]
    net = build_trainer(Config(dataset="plane", problem="regression")).network
    assert net.activation_names[-1] == "linear"
    net = build_trainer(Config(dataset="digits", hidden=(8,))).network
    assert net.sizes == [64, 8, 10]
    net = build_trainer(Config(hidden=(3, 3), activations=("relu", "gelu"))).network
    assert net.activation_names == ["relu", "gelu", "tanh"]
    net = build_trainer(Config(hidden=(), features=("x1", "x2", "x1x2"))).network
    assert net.sizes == [3, 1]
    assert build_trainer(Config(loss="bce")).network.activation_names[-1] == "sigmoid"


@pytest.mark.parametrize(("changes", "field"), [
    ({"dataset": "moon"}, "dataset"),
    ({"dataset": "plane"}, "dataset"),  # a regression dataset with problem classification
    ({"problem": "ranking"}, "problem"),
    ({"noise": 60}, "noise"),
    ({"noise": float("nan")}, "noise"),
    ({"train_ratio": 0.05}, "train_ratio"),
    ({"train_ratio": "half"}, "train_ratio"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"features": ()}, "features"),
    ({"features": ("x1", "z")}, "features"),
    ({"features": ("x1", "x1")}, "features"),
    ({"hidden": (4,) * 9}, "hidden"),
    ({"hidden": (17,)}, "hidden"),
    ({"hidden": (0,)}, "hidden"),
    ({"hidden": (True,)}, "hidden"),
    ({"activation": "swish"}, "activation"),
    ({"activations": ("relu",)}, "activations"),
    ({"activations": ("relu", "swish")}, "activations"),
    ({"learning_rate": 0}, "learning_rate"),
    ({"learning_rate": -0.1}, "learning_rate"),
    ({"learning_rate": 11}, "learning_rate"),
    ({"regularization": "l3"}, "regularization"),
    ({"reg_rate": -1}, "reg_rate"),
    ({"batch_size": 0}, "batch_size"),
    ({"batch_size": 2.5}, "batch_size"),
    ({"optimizer": "rmsprop"}, "optimizer"),
    ({"loss": "hinge"}, "loss"),
    ({"loss": "squared", "dataset": "spiral3"}, "loss"),
    ({"loss": "bce", "dataset": "plane", "problem": "regression"}, "loss"),
    ({"init": "orthogonal"}, "init"),
    ({"shuffle": "yes"}, "shuffle"),
    ({"dataset": "user"}, "points"),
    ({"dataset": "user", "points": ((0, 0, 1), (1, 1, 0.5))}, "points"),
])
def test_invalid_settings_name_their_field(changes, field) -> None:
    with pytest.raises(ValueError, match=f"^{field}: ") as info:
        Config(**changes)
    assert "\n" not in str(info.value)


def test_configs_are_frozen_hashable_values() -> None:
    a = Config(hidden=[8, 8], features=["x1", "x2"])  # lists become tuples
    assert a == Config(hidden=(8, 8))
    assert hash(a) == hash(Config(hidden=(8, 8)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.seed = 3  # type: ignore[misc]
    assert a.replace(seed=3).seed == 3


def test_dict_round_trip_through_json() -> None:
    c = Config(dataset="user", points=((0, 0, 1), (1, 1, -1), (2, 2, 1)), hidden=(3,),
               activations=("relu",), loss="bce", regularization="l2", reg_rate=0.01)
    d = json.loads(json.dumps(c.to_dict()))
    assert Config.from_dict(d) == c
    assert Config.from_dict({}) == Config()


@pytest.mark.parametrize(("d", "message"), [
    ([], "expected an object"),
    ({"colour": "red"}, "unknown setting 'colour'"),
    ({"hidden": 8}, "hidden: expected a list"),
    ({"points": [[0, "a", 1]]}, "points: expected a list"),
    ({"hidden": [20]}, "hidden: a layer has 1 to 16"),
])
def test_from_dict_errors(d, message) -> None:
    with pytest.raises(ValueError, match=message):
        Config.from_dict(d)


def test_same_seed_same_run_other_seed_differs() -> None:
    def losses(seed: int) -> list[float]:
        trainer = build_trainer(Config(dataset="spiral", noise=10, hidden=(6, 6), seed=seed))
        trainer.train(15)
        return trainer.history.test_loss

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_the_network_does_not_change_the_data() -> None:
    a = build_experiment(Config(hidden=(4, 2)))
    b = build_experiment(Config(hidden=(8, 8, 8), activation="relu"))
    np.testing.assert_array_equal(a.dataset.x_train, b.dataset.x_train)
    assert a.trainer.context is a
    assert a.predict(np.zeros((5, 2))).shape == (5, 1)


def test_user_points_run() -> None:
    rng = np.random.default_rng(0)
    pts = rng.uniform(-4, 4, size=(60, 2))
    points = tuple((float(x), float(y), 1.0 if x > 0 else 0.0) for x, y in pts)
    trainer = build_trainer(Config(dataset="user", points=points, learning_rate=0.1))
    trainer.train(50)
    assert trainer.test_accuracy > 0.8


def test_save_and_load_round_trip() -> None:
    config = Config(dataset="xor", hidden=(5, 3), seed=7)
    trainer = build_trainer(config)
    trainer.train(20)
    saved = json.loads(json.dumps(save_model(trainer, config)))
    assert saved["format"] == "nn-playground-model"
    assert saved["version"] == 1
    assert [np.shape(w) for w in saved["weights"]] == [(2, 5), (5, 3), (3, 1)]
    loaded_config, loaded = load_model(saved)
    assert loaded_config == config
    for a, b in zip(trainer.network.params(), loaded.network.params(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert loaded.epoch == 20
    assert loaded.test_loss == trainer.test_loss
    loaded.train(1)
    assert loaded.epoch == 21


def _saved() -> dict:
    config = Config(hidden=(3,))
    return save_model(build_trainer(config), config)


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.pop("format"), "not a saved model"),
    (lambda d: d.update(format="keras"), "not a saved model"),
    (lambda d: d.update(version=2), "unsupported model version 2"),
    (lambda d: d.pop("weights"), "'weights' is missing"),
    (lambda d: d.update(weights="abc"), "must be lists"),
    (lambda d: d["weights"].pop(), "expected 2 weight matrices"),
    (lambda d: d["weights"][0].pop(), r"layer 1: expected weights \(2, 3\)"),
    (lambda d: d["biases"][1].append(0.0), r"layer 2: expected weights \(3, 1\) and biases"),
    (lambda d: d["config"].update(hidden=[4]), r"layer 1: expected weights \(2, 4\)"),
    (lambda d: d["config"].update(activation="swish"), "activation: unknown"),
    (lambda d: d.update(config=None), "config: expected an object"),
    (lambda d: d.update(epoch=-3), "epoch must be"),
    (lambda d: d.update(epoch=2**53), "its epoch count is too large"),
    (lambda d: d["config"].update(activation=["tanh"]), r"^activation: expected a name"),
    (lambda d: d["config"].update(loss={}), r"^loss: expected a name"),
    (lambda d: d["config"].update(features=["x1", 2]), r"^features: expected a list of names"),
    (lambda d: d["config"].update(train_ratio=10**400), r"^train_ratio: must be a number"),
    (lambda d: d["weights"][0][0].__setitem__(0, "0.5"), "layer 1: weights and biases must be"),
    (lambda d: d["weights"][0][0].__setitem__(0, 10**400), "layer 1: weights and biases must"),
])
def test_load_errors(mutate, message) -> None:
    d = _saved()
    mutate(d)
    with pytest.raises(ValueError, match=message):
        load_model(d)


def test_load_needs_a_dict() -> None:
    with pytest.raises(ValueError, match="expected a JSON object"):
        load_model([1, 2])


def _nested(depth: int) -> list:
    return json.loads("[" * depth + "]" * depth)


@pytest.mark.parametrize("mutate", [
    lambda d: d["config"].update(hidden=_nested(900)),
    lambda d: d["config"].update(features=_nested(900)),
    lambda d: d["config"].update(dataset="user", points=_nested(900)),
    lambda d: d.update(weights=[_nested(900)] * 2),
    lambda d: d["config"].update(seed=10**4000),
    lambda d: d["config"].update(noise="x" * 1_000_000),
    lambda d: d.update(version={"a": [1]}),
])
def test_whatever_json_a_file_holds_load_model_raises_one_short_value_error(mutate) -> None:
    d = _saved()
    mutate(d)
    with pytest.raises(ValueError, match=r"^\S") as info:  # ValueError, nothing else
        load_model(d)
    assert len(str(info.value)) <= 300
    assert "\n" not in str(info.value)


def test_parse_model_reads_as_the_page_reads() -> None:
    text = json.dumps(_saved())
    assert parse_model(b"\xef\xbb\xbf" + text.encode()) == json.loads(text)  # a byte-order mark
    for data, message in [(b" " * (MAX_MODEL_BYTES + 1), "is too big for a saved model"),
                          (b"\xff{}", "is not text"), (b" \n", "is empty"),
                          (b"[" * 100_000, "nested too deeply"), (b"{", "not valid JSON")]:
        with pytest.raises(ValueError, match=message):
            parse_model(data)


def test_each_limit_is_declared_once_and_the_page_takes_tensorflow_playgrounds() -> None:
    """experiment's limits: a Config's range, and the page's (TF Playground's) beside it; the
    State's bounds and the page's menus come from there."""
    from playground.painter.settings import options
    from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS, State

    assert set(LIMITS) >= {"batch_size", "hidden_layers", "neurons", "learning_rate",
                           "reg_rate", "noise", "train_ratio", "epochs"}
    assert (MAX_HIDDEN_LAYERS, MAX_NEURONS) == (6, 8) == (HIDDEN_LAYERS.page_high,
                                                           NEURONS.page_high)
    assert State.param.batch_size.bounds == (1, 30) == BATCH_SIZE.page
    assert State.param.noise.bounds == (NOISE.low, NOISE.high)
    assert State.param.train_percent.bounds == (10, 90)
    menus = options(State())
    assert [v for _, v in menus["batch_size"]] == list(range(1, 31))
    assert max(v for _, v in menus["noise"]) == NOISE.high
    percents = [v for _, v in menus["train_percent"]]
    assert (percents[0], percents[-1]) == (TRAIN_RATIO.low * 100, TRAIN_RATIO.high * 100)
    # a Config (the command line, saved models) goes further, to its own limits
    Config(hidden=(16,) * 8, batch_size=1000)
    for beyond, field in (({"hidden": (17,)}, "hidden"), ({"hidden": (1,) * 9}, "hidden"),
                          ({"batch_size": 1001}, "batch_size"), ({"noise": 51}, "noise"),
                          ({"train_ratio": 0.95}, "train_ratio")):
        with pytest.raises(ValueError, match=f"^{field}: "):
            Config(**beyond)
