"""A seed and settings give one loss curve, whether the command line or the page trains it.

On one machine the curves are identical to the last bit; the browser (Pyodide) agrees to about
1e-16 (e2e/test_reproducibility.py checks it to 1e-9): see that file for why not to the bit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import main
from playground.model.session import Session
from playground.state import State, seed_to_int

ROOT = Path(__file__).resolve().parent.parent
LINK = ("dataset=spiral&networkShape=6,4&activation=tanh&learningRate=0.03&batchSize=10"
        "&seed=7&noise=10")
OPTIONS = ["--dataset", "spiral", "--hidden", "6,4", "--activation", "tanh", "--lr", "0.03",
           "--batch-size", "10", "--seed", "7", "--noise", "10"]


def cli_json(capsys: pytest.CaptureFixture, *args: str) -> dict:
    assert main(["train", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_history_gives_every_epoch_s_losses(capsys: pytest.CaptureFixture) -> None:
    out = cli_json(capsys, *OPTIONS, "--epochs", "5", "--history")
    history = out["history"]
    assert history["epochs"] == [0, 1, 2, 3, 4, 5]
    assert set(history) == {"epochs", "train_loss", "test_loss", "train_accuracy",
                            "test_accuracy"}
    assert history["train_loss"][-1] == out["train_loss"]
    assert history["test_loss"][-1] == out["test_loss"]
    assert "history" not in cli_json(capsys, *OPTIONS, "--epochs", "5")


def test_history_as_text_is_a_table_of_exact_numbers(capsys: pytest.CaptureFixture) -> None:
    assert main(["train", *OPTIONS, "--epochs", "3", "--history"]) == 0
    text = capsys.readouterr().out
    table = text[text.index("epoch train_loss test_loss"):].splitlines()[1:]
    exact = cli_json(capsys, *OPTIONS, "--epochs", "3", "--history")["history"]
    assert [[float(v) for v in row.split()] for row in table] == [
        [e, a, b] for e, a, b in zip(exact["epochs"], exact["train_loss"], exact["test_loss"],
                                     strict=True)]


def test_the_page_s_session_trains_the_command_line_s_run_to_the_bit(
        capsys: pytest.CaptureFixture) -> None:
    state, notices = State.from_url(LINK)
    assert notices == []
    session = Session(state=state)
    for _ in range(20):
        session.loop.step()  # the Step button
    page = session.loop.trainer.history.as_dict()
    cli = cli_json(capsys, *OPTIONS, "--epochs", "20", "--history")["history"]
    assert page == cli


@pytest.mark.parametrize("seed", ["7", "007", "hello", "0.12345"])
def test_a_seed_text_and_its_number_give_the_same_run(capsys: pytest.CaptureFixture,
                                                      seed: str) -> None:
    state, _ = State.from_url(LINK.replace("seed=7", f"seed={seed}"))
    session = Session(state=state)
    for _ in range(3):
        session.loop.step()
    cli = cli_json(capsys, *OPTIONS[:-4], "--seed", str(seed_to_int(seed)), "--noise", "10",
                   "--epochs", "3", "--history")["history"]
    assert session.loop.trainer.history.as_dict() == cli


def test_two_processes_give_the_same_curve() -> None:
    def run() -> dict:
        result = subprocess.run([sys.executable, "-m", "playground", "train", *OPTIONS,
                                 "--epochs", "10", "--json", "--history"], cwd=ROOT,
                                capture_output=True, text=True, timeout=120, check=True)
        return json.loads(result.stdout)["history"]

    assert run() == run()
