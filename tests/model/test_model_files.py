"""Save your work: the model as JSON (the command line's `--save` format) and back, and what
the learner is told when a picked file opens or does not (playground.model.files)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from playground import cli
from playground.experiment import Config, build_trainer, save_model
from playground.model.files import MODEL_REFUSED, Files, PickedFile, model_filename
from playground.model.session import MAX_MODEL_BYTES, Session
from playground.painter.frames import LossCurve
from playground.state import State


def trained(epochs: int = 4, **state: Any) -> Session:
    session = Session(State(**state))
    for _ in range(epochs):
        session.loop.step()
    return session


def params(session: Session) -> list[np.ndarray]:
    return [p.copy() for p in session.loop.trainer.network.params()]


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def snapshot(session: Session) -> tuple:
    loop = session.loop
    return (session.state.values(), params(session), loop.trainer.epoch, loop.epoch,
            loop.trainer, loop.resets, session.topology, loop.config, loop.test_loss,
            list(loop.trainer.history.train_loss))


SETTINGS = {"dataset": "xor", "noise": 15, "train_percent": 70, "seed": "12345",
            "hidden": [5, 3], "activation": "relu", "learning_rate": 0.1,
            "regularization": "l2", "reg_rate": 0.001, "batch_size": 7, "optimizer": "adam",
            "features": ["x1", "x2", "x1x2", "sin_x1"]}


# model_json -> load_model_json ------------------------------------------------------------------
def test_model_json_is_the_command_line_format() -> None:
    session = trained(**SETTINGS)
    saved = json.loads(session.model_json())
    assert saved == json.loads(json.dumps(save_model(session.loop.trainer, session.loop.config)))
    assert saved["epoch"] == 4
    assert Config.from_dict(saved["config"]) == session.state.to_config()
    assert "\n  " in session.model_json()  # indented


def test_a_saved_model_opens_with_its_weights_epoch_and_settings() -> None:
    saved = trained(**SETTINGS)
    text = saved.model_json()
    session = Session()
    assert session.load_model_json(text) is None
    assert session.state == saved.state
    assert same(params(session), params(saved))
    assert session.loop.epoch == session.loop.trainer.epoch == 4
    assert session.loop.test_loss == saved.loop.test_loss
    assert session.loop.train_loss == saved.loop.train_loss
    assert session.loop.config == saved.loop.config
    assert session.loop.trainer.context.config == saved.loop.config
    assert session.topology == 1
    assert session.model_json() == text


def test_an_opened_model_trains_on_from_its_epoch() -> None:
    session = Session()
    session.load_model_json(trained(**SETTINGS).model_json())
    session.loop.step()
    assert session.loop.epoch == 5
    assert session.state.learning_rate == session.loop.trainer.learning_rate == 0.1


def test_bytes_and_a_byte_order_mark_are_read() -> None:
    text = trained().model_json()
    session = Session()
    assert session.load_model_json(("\ufeff" + text).encode()) is None
    assert session.loop.epoch == 4


@pytest.mark.parametrize("seed", ["abc", "0.71549"])
def test_a_text_seed_opens_as_the_number_it_stands_for(seed: str) -> None:
    saved = trained(dataset="spiral", seed=seed)
    session = Session()
    assert session.load_model_json(saved.model_json()) is None
    assert session.loop.config == saved.loop.config
    assert same(params(session), params(saved))
    assert session.state.to_config() == saved.state.to_config()


@pytest.mark.parametrize("changes", [
    {},  # the same settings: nothing rebuilds by itself
    {"learning_rate": 0.3, "batch_size": 3},  # live settings only: nothing rebuilds by itself
    {"hidden": [2]},
    {"problem": "regression", "reg_dataset": "multigauss"},
])
def test_opening_replaces_the_running_experiment_however_the_settings_differ(
        changes: dict) -> None:
    saved = trained(epochs=6, **SETTINGS)
    session = trained(epochs=2, **(SETTINGS | changes))
    curve = LossCurve()
    curve.update(session.loop)  # the loss chart as drawn before
    resets = session.loop.resets
    assert session.load_model_json(saved.model_json()) is None
    assert session.state.to_config() == saved.state.to_config()  # the other problem's dataset
    assert same(params(session), params(saved))                   # stays as it was
    assert session.loop.epoch == 6
    assert session.loop.resets > resets
    change, columns = curve.update(session.loop)
    assert change == "replace"  # the loss curve starts over, at the saved epoch
    assert list(columns["epoch"]) == [6.0]
    assert list(columns["train"]) == [saved.loop.train_loss]


def test_opening_keeps_display_settings_and_the_other_problems_dataset() -> None:
    session = Session(State(dataset="spiral", show_test_data=True, discretize=True,
                            hidden_controls=["noise"]))
    saved = trained(problem="regression", reg_dataset="multigauss")
    assert session.load_model_json(saved.model_json()) is None
    assert session.state.problem == "regression"
    assert session.state.reg_dataset == "multigauss"
    assert session.state.dataset == "spiral"
    assert session.state.show_test_data
    assert session.state.discretize
    assert session.state.hidden_controls == ["noise"]


def test_opening_clears_a_notice() -> None:
    session = trained()
    session.state.hidden = [0]
    assert session.notice
    assert session.load_model_json(trained().model_json()) is None
    assert session.notice == ""


def test_opening_pauses_training_and_the_loaded_weights_stay() -> None:
    saved = trained(**SETTINGS)
    text = saved.model_json()

    async def run() -> Session:
        session = Session()
        session.loop.play()
        await asyncio.sleep(0.02)
        assert session.load_model_json(text) is None
        await asyncio.sleep(0.02)  # the training task sees the pause and ends
        return session

    session = asyncio.run(run())
    assert session.loop.running is False
    assert session.loop.epoch == 4
    assert same(params(session), params(saved))


# the command line's files -----------------------------------------------------------------------
def test_a_model_saved_by_the_command_line_opens(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    model = tmp_path / "model.json"
    assert cli.main(["train", "--dataset", "gauss", "--hidden", "3,2", "--epochs", "7",
                     "--noise", "10", "--train-ratio", "0.6", "--seed", "3000000000",
                     "--features", "x1x2,x1,x2", "--json", "--save", str(model)]) == 0
    out = json.loads(capsys.readouterr().out)
    session = Session()
    assert session.load_model_json(model.read_bytes()) is None
    state = session.state
    assert (state.dataset, state.hidden, state.noise, state.train_percent, state.seed) == (
        "gauss", [3, 2], 10, 60, "3000000000")
    assert state.features == ["x1", "x2", "x1x2"]  # the page's order, weights to match
    assert session.loop.epoch == 7
    assert session.loop.test_loss == pytest.approx(out["test_loss"], rel=1e-12)
    assert session.loop.train_loss == pytest.approx(out["train_loss"], rel=1e-12)
    saved = json.loads(model.read_text())
    first = np.array(saved["weights"][0])
    assert np.array_equal(session.loop.trainer.network.weights[0], first[[1, 2, 0]])


def test_a_command_line_model_with_spelled_out_defaults_opens() -> None:
    config = Config(dataset="spiral3", hidden=(4,), activations=("elu",), loss="softmax_ce",
                    noise=5.0)
    trainer = build_trainer(config)
    trainer.train(3)
    session = Session()
    assert session.load_model_json(json.dumps(save_model(trainer, config))) is None
    assert session.state.activation == "elu"
    assert session.loop.epoch == 3
    assert session.loop.test_loss == trainer.test_loss


# what is refused, and changes nothing ---------------------------------------------------------
def saved_dict(**config: Any) -> dict:
    c = Config(hidden=(3,), **config)
    return save_model(build_trainer(c), c)


def broken(mutate) -> str:
    d = saved_dict()
    mutate(d)
    return json.dumps(d)


REFUSED = [
    ("{", "not valid JSON"),
    ("[1, 2", "not valid JSON"),
    ("[" * 100_000, "not valid JSON"),
    ('{"epoch": ' + "9" * 5000 + "}", "not valid JSON"),
    ("", "empty"),
    (b"", "empty"),
    ("  \n", "empty"),
    (b"\xff\xfe{", "not text"),
    ("[]", "not a saved model"),
    ('{"format": "other"}', "not a saved model"),
    (broken(lambda d: d.update(version=2)), "unsupported model version 2"),
    (broken(lambda d: d["weights"][0].pop()), "layer 1: expected weights (2, 3)"),
    (broken(lambda d: d["weights"].pop()), "expected 2 weight matrices"),
    (broken(lambda d: d["biases"][1].append(0.5)), "layer 2"),
    (broken(lambda d: d["config"].update(hidden=[4])), "layer 1: expected weights (2, 4)"),
    (broken(lambda d: d["weights"][0][0].__setitem__(0, "x")), "must be numbers"),
    (broken(lambda d: d["weights"][0][0].__setitem__(0, float("nan"))), "must be finite"),
    (broken(lambda d: d.update(epoch=-1)), "epoch must be"),
    (broken(lambda d: d.update(epoch=10**400)), "epoch count is too large"),
    (broken(lambda d: d["config"].update(dataset="<b>moon</b>")), "unknown dataset"),
    (broken(lambda d: d["config"].update(batch_size=64)), "batch size is 64"),
    (json.dumps(saved_dict(init="he")), "he initializer"),
    (json.dumps(saved_dict(dataset="user", points=((0, 0, 0), (1, 1, 1)))), "your own points"),
    ("x" * (MAX_MODEL_BYTES + 1), "too big"),
    (b" " * (MAX_MODEL_BYTES + 1), "too big"),
    ("é" * (MAX_MODEL_BYTES // 2 + 1), "too big"),  # counted in bytes
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED)
def test_a_file_that_cannot_open_says_why_and_changes_nothing(text: str | bytes,
                                                             fragment: str) -> None:
    session = trained(**SETTINGS)
    before = snapshot(session)
    message = session.load_model_json(text)
    assert message is not None
    assert fragment in message
    assert message.endswith(".")
    assert message.count(". ") == 0  # one sentence
    assert len(message) <= 300
    assert message.isprintable()
    after = snapshot(session)
    assert after[0] == before[0]
    assert same(after[1], before[1])
    assert after[2:] == before[2:]


def test_a_refused_file_does_not_stop_training() -> None:
    async def run() -> Session:
        session = Session()
        session.loop.play()
        await asyncio.sleep(0.02)
        assert session.load_model_json("{") is not None
        assert session.loop.running
        session.loop.pause()
        await asyncio.sleep(0)
        return session

    asyncio.run(run())


def test_a_long_name_in_a_file_is_cut_short() -> None:
    text = broken(lambda d: d["config"].update({"x" * 10_000: 1}))
    message = Session().load_model_json(text)
    assert message is not None
    assert "unknown setting" in message
    assert len(message) <= 300


# what the learner is told -------------------------------------------------------------------
def test_saving_names_the_file_by_its_epoch() -> None:
    session = trained(epochs=12, **SETTINGS)
    files = Files(session=session)
    assert files.save_model() == ("playground-model-epoch-12.json", session.model_json())
    session.loop.step()
    assert files.save_model()[0] == model_filename(13) == "playground-model-epoch-13.json"


def test_opening_a_picked_model_says_so() -> None:
    saved = trained(epochs=9, **SETTINGS)
    session = Session()
    files = Files(session=session)
    text = saved.model_json()
    files.open_model(PickedFile("model.json", len(text), text=text))
    assert files.model_message == "Opened the model saved at epoch 9."
    assert same(params(session), params(saved))


def test_a_refused_model_says_why_in_one_sentence() -> None:
    session = trained()
    before = params(session)
    files = Files(session=session)
    text = broken(lambda d: d["config"].update(dataset="<img src=x>"))
    files.open_model(PickedFile("model.json", len(text), text=text))
    assert "unknown dataset" in files.model_message
    assert "<img src=x>" in files.model_message  # plain text: the views escape it
    assert same(params(session), before)


@pytest.mark.parametrize(("error", "shown"), [
    ("too_big", "The file is too big for a saved model (more than 5 MB)."),
    ("not_text", "The file is not a saved model: it is not text."),
    ("unreadable", "The browser could not read the file."),
])
def test_what_the_browser_refused_is_said_and_changes_nothing(error: str, shown: str) -> None:
    session = trained()
    before = snapshot(session)
    files = Files(session=session)
    files.open_model(PickedFile("model.json", 50 * 2**20, error=error))
    assert files.model_message == shown == MODEL_REFUSED[error]
    after = snapshot(session)
    assert after[0] == before[0]
    assert same(after[1], before[1])
    assert after[2:] == before[2:]


@pytest.mark.parametrize(("message", "picked"), [
    ({"name": "a.csv", "size": 5, "text": "1,2,3"}, PickedFile("a.csv", 5, text="1,2,3")),
    ({"name": "a.csv", "size": 9, "error": "too_big"}, PickedFile("a.csv", 9, error="too_big")),
    ({"name": 3, "size": "x", "error": "??"}, PickedFile("", 0, error="unreadable")),
    ({"name": "a", "size": True, "text": "x"}, PickedFile("a", 0, text="x")),
    ({"name": "a", "size": 1}, PickedFile("a", 1, error="unreadable")),
    ({"name": "a", "size": 1, "text": 12}, PickedFile("a", 1, error="unreadable")),
    ([1], None), ("text", None), (None, None),
])
def test_the_pages_message_about_a_picked_file(message: object,
                                               picked: PickedFile | None) -> None:
    assert PickedFile.from_message(message) == picked
