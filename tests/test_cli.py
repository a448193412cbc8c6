"""The command line, run as users run it: `python -m playground ...` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"epochs", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "seconds",
        "epochs_per_second", "diverged"}


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def run_json(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_train_prints_one_json_object() -> None:
    out = run_json("train", "--dataset", "spiral", "--hidden", "8,8", "--activation", "tanh",
                   "--lr", "0.03", "--batch-size", "10", "--epochs", "50", "--seed", "1",
                   "--noise", "0", "--train-ratio", "0.5")
    assert KEYS <= set(out)
    assert out["epochs"] == 50
    assert out["network"] == [2, 8, 8, 1]
    assert 0 <= out["test_accuracy"] <= 1
    assert out["diverged"] is False
    assert out["epochs_per_second"] > 0


def test_same_seed_same_result() -> None:
    args = ("train", "--dataset", "xor", "--epochs", "20", "--seed", "3")
    assert run_json(*args)["test_loss"] == run_json(*args)["test_loss"]


def test_every_option() -> None:
    out = run_json("train", "--dataset", "circle", "--hidden", "6", "--optimizer", "adam",
                   "--loss", "bce", "--regularization", "l2", "--reg-rate", "0.001",
                   "--features", "x1,x2,x1sq,x2sq", "--init", "xavier", "--lr", "0.01",
                   "--epochs", "20")
    assert out["network"] == [4, 6, 1]
    assert out["test_accuracy"] > 0.5


def test_regression_has_null_accuracy_and_no_hidden_layer() -> None:
    out = run_json("train", "--dataset", "plane", "--hidden", "", "--epochs", "5")
    assert out["problem"] == "regression"  # taken from the dataset
    assert out["network"] == [2, 1]
    assert out["train_accuracy"] is None
    assert out["test_accuracy"] is None
    assert run_json("train", "--hidden", "0", "--epochs", "1")["network"] == [2, 1]


def test_divergence_is_reported_not_raised() -> None:
    out = run_json("train", "--dataset", "plane", "--hidden", "8,8,8,8,8,8", "--activation",
                   "relu", "--lr", "10", "--epochs", "50")
    assert out["diverged"] is True
    assert out["epochs"] < 50
    assert "diverged" in out["message"]


def test_text_output(tmp_path: Path) -> None:
    result = run("train", "--epochs", "10")
    assert result.returncode == 0
    assert "loss: train" in result.stdout
    assert "accuracy" in result.stdout


def test_save_then_load_and_continue(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    first = run_json("train", "--dataset", "gauss", "--hidden", "3", "--epochs", "10",
                     "--save", str(model))
    saved = json.loads(model.read_text())
    assert saved["format"] == "nn-playground-model"
    again = run_json("train", "--load", str(model), "--epochs", "0")
    assert again["epochs"] == 0
    assert again["epoch"] == 10
    assert again["test_loss"] == first["test_loss"]
    more = run_json("train", "--load", str(model), "--epochs", "5", "--lr", "0.1")
    assert more["epoch"] == 15


@pytest.mark.parametrize(("args", "message"), [
    (["train", "--dataset", "moon"], "--dataset: invalid choice"),
    (["train", "--hidden", "8,x"], "'8,x' is not a comma-separated list"),
    (["train", "--hidden", "40"], "hidden: a layer has 1 to 16 neurons"),
    (["train", "--lr", "-1"], "learning_rate: must be a number"),
    (["train", "--lr", "fast"], "'fast' is not a number"),
    (["train", "--noise", "80"], "noise: must be a number from 0 to 50"),
    (["train", "--epochs", "-1"], "--epochs must be from 0"),
    (["train", "--features", "x1,q"], "features: unknown feature 'q'"),
    (["train", "--dataset", "plane", "--problem", "classification"], "dataset: plane is a"),
    (["train", "--load", "/no/such/model.json"], "cannot read /no/such/model.json"),
    (["train", "--bogus"], "unrecognized arguments: --bogus"),
    (["fly"], "invalid choice: 'fly'"),
])
def test_bad_arguments_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


@pytest.mark.parametrize(("content", "message"), [
    ("{", "is not valid JSON"),
    ('{"format": "other"}', "not a saved model"),
    ('{"format": "nn-playground-model", "version": 1, "config": {}, "weights": [], '
     '"biases": []}', "expected 3 weight matrices"),
    ("\udcff", "cannot read"),
])
def test_bad_model_files_exit_2(tmp_path: Path, content: str, message: str) -> None:
    model = tmp_path / "model.json"
    model.write_bytes(content.encode("utf-8", "surrogateescape"))
    result = run("train", "--load", str(model))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_load_refuses_network_options(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    run_json("train", "--epochs", "1", "--save", str(model))
    result = run("train", "--load", str(model), "--hidden", "3")
    assert result.returncode == 2
    assert "--hidden cannot be combined with --load" in result.stderr


def test_no_command_shows_help() -> None:
    result = run()
    assert result.returncode == 2
    assert "train" in result.stdout
