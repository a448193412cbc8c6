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
