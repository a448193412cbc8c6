"""Every name declared once, in the engine's and the data's registries (engine.choices), and every
limit once, in playground.experiment: the page's links and menus, the activation view and the
command line all take theirs from there, and an activation registered by a plugin appears in
each of them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from playground import cli
from playground.engine.choices import lookup
from playground.experiment import CHOICES, Config, build_trainer
from playground.model.training import TrainingLoop, divergence_message
from playground.painter import labels
from playground.painter.settings import options
from playground.state import FEATURE_KEYS, State

ROOT = Path(__file__).resolve().parent.parent

# A plugin: it registers its activations first, then imports the rest of the playground (the
# State's menus are made when playground.state is imported).
PLUGIN = textwrap.dedent('''
    import contextlib, io, json
    import numpy as np
    from playground.engine.activations import Activation, register_activation

    register_activation(Activation(
        "cube", lambda x: x ** 3, lambda x, y: 3 * x * x, label="Cube",
        doc="raises its input to the third power; its slope 3x^2 is 0 at 0."))
    register_activation(Activation(
        "secret", np.tanh, lambda x, y: 1 - y * y, label="Secret", page=False,
        doc="is tanh under another name, for the command line only."))

    from playground import cli
    from playground.model.playground import PlaygroundModel
    from playground.painter import charts, settings
    from playground.state import State, key_table

    found = {}
    state, notices = State.from_url("activation=cube&networkShape=3")
    found["url"] = [state.activation, notices, "activation=cube" in state.to_url().split("&")]
    state, notices = State.from_url("activation=secret")
    found["url_secret"] = [state.activation, len(notices)]
    m = PlaygroundModel(State(activation="cube"))
    menu = settings.settings(m)["settings.activation"]["options"]
    found["menu"] = [list(pair) for pair in menu]
    view = charts.activation(m)
    found["view_text"] = view[charts.ACT_TEXT]["object"]
    data = view[charts.ACT_SOURCE].data
    found["view_curves"] = bool(np.allclose(data["f"], data["x"] ** 3)
                                and np.allclose(data["df"], 3 * data["x"] ** 2))
    found["table"] = key_table()
    for name in ("cube", "secret"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = cli.main(["train", "--activation", name, "--epochs", "3", "--json"])
        found[f"cli_{name}"] = [status, json.loads(out.getvalue())["epochs"]]
    help_text = io.StringIO()
    with contextlib.redirect_stdout(help_text), contextlib.suppress(SystemExit):
        cli.main(["train", "--help"])
    found["help"] = help_text.getvalue()
    print(json.dumps(found))
''')


def test_an_activation_a_plugin_registers_appears_everywhere() -> None:
    run = subprocess.run([sys.executable, "-c", PLUGIN], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    # the page's links and menus, the activation view: the page offers it
    assert found["url"] == ["cube", [], True]
    assert ["Cube", "cube"] in found["menu"]
    assert "<strong>Cube</strong> raises its input to the third power" in found["view_text"]
    assert found["view_curves"]
    (row,) = [line for line in found["table"].splitlines() if line.startswith("| `activation`")]
    assert row.endswith(" gelu cube` |")  # the README's key table (ours: not TF's)
    # the command line takes both; the page does not offer the one it must not
    assert found["cli_cube"] == [0, 3]
    assert found["cli_secret"] == [0, 3]
    assert "cube" in found["help"]
    assert "secret" in found["help"]
    assert found["url_secret"] == ["tanh", 1]  # the default, with a notice
    assert all(value != "secret" for _, value in found["menu"])
    assert "secret" not in found["table"]


def test_a_spelling_names_one_entry_of_its_registry() -> None:
    for field, table in CHOICES.items():
        for name, entry in table.items():
            assert entry.name == name
            assert entry.label, (field, name)
            assert entry.doc, (field, name)
            for spelling in entry.spellings:
                assert lookup(table, spelling) == name, (field, spelling)


@pytest.mark.parametrize(("field", "ours", "link"), [
    ("dataset", "plane", "reg-plane"), ("dataset", "multigauss", "reg-gauss"),
    ("regularization", "l1", "L1"), ("features", "x1sq", "xSquared"),
    ("features", "cos_x1", "cosX"), ("activation", "relu", "relu"),
    ("optimizer", "adam", "adam"),
])
def test_the_command_line_spells_names_as_links_do(field: str, ours: str, link: str) -> None:
    entry = CHOICES[field][ours]
    assert entry.url == link
    assert entry.cli == link
    assert lookup(CHOICES[field], link) == ours


def test_the_command_line_takes_every_spelling() -> None:
    parser = cli.make_parser()
    for spelled in (["reg-plane", "L1", "x,xSquared"], ["plane", "l1", "x1,x1sq"]):
        args = parser.parse_args(["train", "--dataset", spelled[0], "--regularization",
                                  spelled[1], "--features", spelled[2]])
        assert (args.dataset, args.regularization, args.features) == (
            "plane", "l1", ("x1", "x1sq"))


def test_the_page_offers_what_the_registries_say_it_does() -> None:
    state = State()
    menus = options(state)
    for field, menu in (("dataset", "dataset"), ("activation", "activation"),
                        ("optimizer", "optimizer"), ("regularization", "regularization"),
                        ("problem", "problem")):
        offered = [n for n, e in CHOICES[field].items() if e.page]
        shown = [v for _, v in menus[menu]]
        if field == "dataset":
            shown += [v for _, v in menus["reg_dataset"]]
        assert sorted(shown) == sorted(offered), field
        assert all(label == CHOICES[field][v].label
                   for label, v in menus[menu]), field
    assert "digits01" in CHOICES["dataset"]  # the command line's, not the page's
    assert "digits01" not in state.param.dataset.objects
    assert list(FEATURE_KEYS) == list(CHOICES["features"])
    assert dict(labels.DATASET_LABELS) == {n: d.label for n, d in CHOICES["dataset"].items()}


def test_the_command_lines_help_gives_a_configs_limits(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    assert "0-8 layers of 1-16 neurons" in usage
    assert "--batch-size BATCH_SIZE 1-1,000" in usage
    assert "--noise NOISE 0-50" in usage
    assert "at most 10,000,000" in usage


def test_one_divergence_sentence_for_the_trainer_the_page_and_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    config = Config(dataset="plane", problem="regression", hidden=(8,) * 6, activation="relu",
                    learning_rate=10.0)
    trainer = build_trainer(config)
    while trainer.train_epoch():
        pass
    expected = divergence_message(trainer.diverged_epoch, trainer.divergence, 10.0)
    assert trainer.message == expected
    assert expected.endswith("The learning rate (10) is too large for this network.")
    loop = TrainingLoop(config)
    while loop.trainer.train_epoch():
        pass
    loop.publish()
    assert loop.diverged
    assert loop.message == expected
    assert cli.main(["train", "--dataset", "reg-plane", "--hidden", "8,8,8,8,8,8",
                     "--activation", "relu", "--lr", "10", "--epochs", "50", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["message"] == expected
