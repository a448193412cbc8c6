"""The README's engine example runs as printed and trains."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_engine_example_runs_and_the_loss_falls() -> None:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    assert len(code.strip().splitlines()) <= 8  # "six lines", give or take the wrapping
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    match = re.fullmatch(r"epoch 300: test loss (\d\.\d+)\n", out)
    assert match, out
    assert float(match.group(1)) < 0.45  # an untrained network scores about 0.5


def test_the_readme_lesson_links_open_without_notices() -> None:
    from playground.state import HIDEABLE, State

    text = README.read_text()
    links = re.findall(r"https://you\.github\.io/nn-playground/\??(?:embed)?#(\S+?)[\"\s]", text)
    assert len(links) >= 2
    for fragment in links:
        state, notices = State.from_url(fragment)
        assert notices == [], (fragment, notices)
    hide_row = next(line for line in text.splitlines() if line.startswith("| `<control>_hide"))
    named = {word for span in re.findall(r"`([^`]+)`", hide_row.split("|")[2])
             for word in span.split()}
    assert named == set(HIDEABLE)


def test_the_readme_key_table_is_the_one_the_registries_make() -> None:
    """The "Lesson links" table is generated (playground.state.key_table) from the registries'
    names and the page's limits: a name or limit changed there changes it, and this fails until
    the README has the new table (print it with `python -m playground.state`)."""
    from playground.state import key_table

    lines = README.read_text().splitlines()
    start = lines.index("| key | values |")
    end = next(i for i in range(start, len(lines) + 1)
               if i == len(lines) or not lines[i].startswith("|"))
    assert "\n".join(lines[start:end]) == key_table(), (
        "README.md's key table differs from `python -m playground.state`: paste its output")


def test_the_readme_command_line_runs_and_says_what_it_trained() -> None:
    """The command line example, as printed (`python` the one running the tests)."""
    (line,) = [line for line in README.read_text().splitlines()
               if line.startswith(".venv/bin/python -m playground train")]
    args = line.split()[1:]
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120,
                         check=True, cwd=README.parent).stdout
    assert out.startswith("spiral (classification), network 2-8-8-1"), out
    assert "epochs trained: 500" in out


def test_the_readme_showcase_lesson_link_learns() -> None:
    """The lesson link the README shows first reaches 95 % test accuracy within 300 epochs
    (a showcase that gets stuck teaches the wrong thing)."""
    from playground.experiment import build_trainer
    from playground.state import State

    text = README.read_text()
    fragment = re.search(r"https://you\.github\.io/nn-playground/#(\S+)", text).group(1)
    state, notices = State.from_url(fragment)
    assert notices == []
    trainer = build_trainer(state.to_config())
    trainer.train(300)
    assert trainer.test_accuracy >= 0.95, (fragment, trainer.test_accuracy)


def test_make_help_lists_the_targets_the_readme_names() -> None:
    out = subprocess.run(["make", "-s", "help"], capture_output=True, text=True, timeout=60,
                         check=True, cwd=README.parent).stdout
    for target in ("serve", "test", "site", "dist", "bench", "screenshots", "lint", "unit",
                   "e2e", "engines", "clean"):
        assert f"make {target} " in out, target
