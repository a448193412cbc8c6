"""The command line, run as users run it: `python -m playground ...` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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
    (["train", "--epochs", "-1"], "--epochs: must be from 0 to 10,000,000"),
    (["train", "--epochs", "1e30"], "--epochs: must be from 0 to 10,000,000 in one run, got 1e30"),
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
    ("\udcff", "is not text (UTF-8)"),
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


# bad input of every kind: one line on stderr, a non-zero exit, bounded memory ------------------
def one_line_error(result: subprocess.CompletedProcess, status: int = 2) -> str:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert len(lines[0]) < 400
    return lines[0]


def peak_memory_mb(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run the command line in a fresh parent that reports its child's peak memory."""
    code = ("import resource, subprocess, sys; "
            "r = subprocess.run([sys.executable, '-m', 'playground', *sys.argv[1:]], "
            "capture_output=True, text=True); sys.stderr.write(r.stderr); "
            "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    outer = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                           cwd=ROOT, env=env, timeout=120)
    status, peak_kb = outer.stdout.split()
    return (subprocess.CompletedProcess(args, int(status), "", outer.stderr),
            int(peak_kb) / 1024)


def saved_model(tmp_path: Path, **changes: object) -> dict:
    model = tmp_path / "base.json"
    run_json("train", "--dataset", "plane", "--hidden", "3", "--epochs", "2",
             "--save", str(model))
    saved = json.loads(model.read_text())
    saved.update(changes)
    return saved


@pytest.mark.parametrize("source", ["/dev/zero", "200 MB"])
def test_an_endless_or_huge_file_is_refused_without_reading_it(tmp_path: Path,
                                                               source: str) -> None:
    if source == "200 MB":
        source = str(tmp_path / "huge.json")
        with open(source, "wb") as f:
            f.truncate(200 * 2**20)  # sparse: no disk used
    start = time.perf_counter()
    result, peak = peak_memory_mb("train", "--load", source)
    assert time.perf_counter() - start < 60
    line = one_line_error(result)
    assert f"{source} is too big for a saved model (more than 5 MB)" in line
    assert peak < 250  # the interpreter and numpy; the file is read 5 MB at most


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000, "its JSON is nested too deeply"),
    ('{"epoch": ' + "9" * 5000 + "}", "not valid JSON (a number is too long)"),
    ("", "is empty"),
])
def test_bad_json_is_refused_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    model = tmp_path / "model.json"
    model.write_text(text)
    assert message in one_line_error(run("train", "--load", str(model)))


def test_deeply_nested_values_are_refused_in_one_short_line(tmp_path: Path) -> None:
    saved = saved_model(tmp_path)
    saved["config"]["hidden"] = json.loads("[" * 900 + "]" * 900)
    model = tmp_path / "model.json"
    model.write_text(json.dumps(saved))
    assert "hidden: a layer has 1 to 16 neurons" in one_line_error(
        run("train", "--load", str(model)))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("activation", ["tanh"], "activation: expected a name, got ['tanh']"),
    ("dataset", {"name": "circle"}, "dataset: expected a name"),
    ("features", [["x1"], "x2"], "features: expected a list of names"),
    ("noise", 10**400, "noise: must be a number"),
])
def test_a_config_field_of_the_wrong_type_is_named(tmp_path: Path, field: str, value: object,
                                                   message: str) -> None:
    saved = saved_model(tmp_path)
    saved["config"][field] = value
    model = tmp_path / "model.json"
    model.write_text(json.dumps(saved))
    line = one_line_error(run("train", "--load", str(model)))
    assert message in line
    assert "unhashable" not in line


def test_a_byte_order_mark_is_accepted_as_the_page_accepts_it(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    first = run_json("train", "--epochs", "3", "--save", str(model))
    model.write_bytes(b"\xef\xbb\xbf" + model.read_bytes())
    again = run_json("train", "--load", str(model), "--epochs", "0")
    assert again["test_loss"] == first["test_loss"]


@pytest.mark.parametrize(("epoch", "args", "message"), [
    (2**53, (), "its epoch count is too large"),
    (10**400, (), "its epoch count is too large"),
    (2**53 - 5, ("--epochs", "5"), "epochs are counted below 9,007,199,254,740,992"),
])
def test_epoch_counts_the_page_refuses_are_refused(tmp_path: Path, epoch: int,
                                                   args: tuple[str, ...], message: str) -> None:
    model = tmp_path / "model.json"
    model.write_text(json.dumps(saved_model(tmp_path, epoch=epoch)))
    assert message in one_line_error(run("train", "--load", str(model), *args))


def test_an_infinite_loss_model_is_reported_as_such_and_saved_unchanged(tmp_path: Path) -> None:
    saved = saved_model(tmp_path, epoch=1)
    saved["weights"][-1] = [[1e300], [1e300], [1e300]]  # outputs of 1e300: the loss overflows
    saved["biases"][-1] = [1e300]
    model, again = tmp_path / "inf.json", tmp_path / "again.json"
    model.write_text(json.dumps(saved))
    result = run("train", "--load", str(model), "--epochs", "5", "--json", "--save", str(again))
    assert result.returncode == 0, result.stderr

    def no_constants(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    out = json.loads(result.stdout, parse_constant=no_constants)  # no NaN, no Infinity
    assert out["train_loss"] is None
    assert out["test_loss"] is None
    assert out["epochs"] == 0
    assert out["diverged"] is True
    assert out["message"].startswith("The loaded weights cannot be trained: the loss is "
                                     "infinite")
    assert "diverged at epoch" not in out["message"]
    rewritten = json.loads(again.read_text())
    assert rewritten["weights"] == saved["weights"]
    assert rewritten["biases"] == saved["biases"]
    text = run("train", "--load", str(model), "--epochs", "5").stdout
    assert "loss: train inf, test inf" in text


def test_a_reader_that_goes_away_is_one_line_not_a_traceback() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cli = subprocess.Popen([sys.executable, "-m", "playground", "train", "--hidden", "1",
                            "--batch-size", "250", "--epochs", "5000", "--history"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    head = subprocess.run(["head", "-n", "1"], stdin=cli.stdout, capture_output=True,
                          timeout=120)
    cli.stdout.close()
    stderr = cli.stderr.read().decode()
    cli.stderr.close()
    status = cli.wait(timeout=120)
    assert head.stdout.startswith(b"circle (classification)")
    assert status == 141
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        "playground: error: the output was closed before it was all written (broken pipe)"]


SIGNAL_AT_EPOCH_5 = """
import os, signal, sys
from playground.cli import main
from playground.engine.trainer import Trainer

train_epoch = Trainer.train_epoch


def train_epoch_then_signal(self):
    ok = train_epoch(self)
    if self.epoch == 5:
        for _ in range({times}):
            os.kill(os.getpid(), signal.{name})
    return ok


Trainer.train_epoch = train_epoch_then_signal
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(("name", "status"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupted_run_prints_its_summary_and_saves(tmp_path: Path, name: str,
                                                         status: int) -> None:
    """Ctrl-C, or `timeout`'s SIGTERM, in the middle of a run: the epoch under way ends, then
    the summary of the epochs trained and the save that was asked for."""
    model = tmp_path / "model.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(
        [sys.executable, "-c", SIGNAL_AT_EPOCH_5.format(times=1, name=name), "train",
         "--epochs", "1000000", "--json", "--save", str(model)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    line = one_line_error(result, status)
    assert line == (f"playground: interrupted by {name} after 5 epochs: the summary is of "
                    f"those; saved to {model}")
    out = json.loads(result.stdout)
    assert out["epochs"] == out["epoch"] == 5
    assert out["interrupted"] == name
    assert json.loads(model.read_text())["epoch"] == 5
    again = run_json("train", "--load", str(model), "--epochs", "0")
    assert again["train_loss"] == out["train_loss"]


def test_a_second_interrupt_stops_at_once() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(
        [sys.executable, "-c", SIGNAL_AT_EPOCH_5.format(times=2, name="SIGINT"), "train",
         "--epochs", "1000000"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert one_line_error(result, 130) == "playground: error: interrupted"
    assert result.stdout == ""
