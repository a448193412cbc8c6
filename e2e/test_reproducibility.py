"""The same seed and settings give the same loss curve in the browser as in CPython.

The page opens a link, trains 20 epochs with the Step button, and the loss chart's data (read
from the page's Bokeh document: what is drawn, not what Python meant to send) is compared with
the command line's `--history` for the same settings, run by this machine's CPython, epoch by
epoch, to 1e-9.

Not to the bit: the data and the first weights are the same bits in both, but CPython's numpy
multiplies matrices with OpenBLAS and computes tanh, exp, log, sin and cos, and even sums, with
its SIMD code (AVX2/AVX-512 here), while Pyodide's numpy has no BLAS and runs the wasm build of
musl's libm: results differ in the last bit (about 1e-16). Training does not amplify that for
these runs (still ~4e-16 after 20 epochs), but a chaotic one does: ReLU, Adam at 0.03 and a
batch of 3 on the XOR data grow the gap about tenfold every two epochs, past 1e-9 by epoch 17.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, wait_ready
from playwright.sync_api import Page, expect

STEPS = 20
# (link, the same settings as command-line options)
RUNS = {
    "spiral-tanh-sgd": (
        "dataset=spiral&networkShape=6,4&activation=tanh&learningRate=0.03&batchSize=10"
        "&seed=7&noise=10&percTrainData=50&x=true&y=true",
        ["--dataset", "spiral", "--hidden", "6,4", "--activation", "tanh", "--lr", "0.03",
         "--batch-size", "10", "--seed", "7", "--noise", "10", "--train-ratio", "0.5",
         "--features", "x1,x2"]),
    # three classes (softmax, cross-entropy), momentum, L2, a remainder batch, and a seed
    # that is text: the page hashes it (state.seed_to_int("hello") == 754077114)
    "spiral3-sigmoid-momentum-l2": (
        "dataset=spiral3&networkShape=5,3&activation=sigmoid&optimizer=momentum"
        "&regularization=L2&regularizationRate=0.001&batchSize=7&seed=hello&noise=5",
        ["--dataset", "spiral3", "--hidden", "5,3", "--activation", "sigmoid", "--optimizer",
         "momentum", "--regularization", "l2", "--reg-rate", "0.001", "--batch-size", "7",
         "--seed", "754077114", "--noise", "5"]),
}

# The columns of the figure whose left axis says "Loss" (the loss chart), as numbers.
LOSS_CURVE = """
() => {
  function find(view) {
    const model = view.model;
    if (model && Array.isArray(model.left) && model.left.some((a) => a.axis_label === "Loss")) {
      return view;
    }
    for (const child of (view.child_views || [])) {
      const hit = find(child);
      if (hit) return hit;
    }
    return null;
  }
  for (const root of Object.values(Bokeh.index)) {
    const chart = find(root);
    if (!chart) continue;
    for (const renderer of chart.model.renderers) {
      const data = renderer.data_source.data;
      const get = (k) => data instanceof Map ? data.get(k) : data[k];
      if (get("train") !== undefined && get("test") !== undefined) {
        return {epochs: Array.from(get("epoch")), train: Array.from(get("train")),
                test: Array.from(get("test"))};
      }
    }
  }
  return null;
}
"""


def cli_history(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "playground", "train", *args, "--json",
                             "--history"], cwd=REPO, capture_output=True, text=True,
                            timeout=120, check=True)
    return json.loads(result.stdout)["history"]


@pytest.mark.parametrize("run", list(RUNS))
def test_twenty_steps_in_the_browser_give_the_command_line_s_losses(page: Page, site_url: str,
                                                                    run: str) -> None:
    link, options = RUNS[run]
    page.goto(site_url + "#" + link)
    wait_ready(page)
    assert not page.locator(".pg-notice").evaluate_all(
        "els => els.some(e => e.checkVisibility())"), "the link was not taken whole"
    step = page.get_by_role("button", name="Step")
    for i in range(STEPS):
        step.click()
        expect(page.get_by_text(f"Epoch {i + 1}", exact=True)).to_be_visible()
    waited = 0
    while len((page.evaluate(LOSS_CURVE) or {}).get("epochs", [])) < STEPS + 1:
        assert waited < 10_000, "the loss chart did not get every epoch"
        page.wait_for_timeout(100)
        waited += 100
    browser = page.evaluate(LOSS_CURVE)

    cpython = cli_history(*options, "--epochs", str(STEPS))
    assert browser["epochs"] == cpython["epochs"] == list(range(STEPS + 1))
    for name in ("train", "test"):
        ours, theirs = browser[name], cpython[f"{name}_loss"]
        worst = max(abs(a - b) for a, b in zip(ours, theirs, strict=True))
        assert ours == pytest.approx(theirs, rel=0, abs=1e-9), (
            f"{name} loss differs by up to {worst:.3g}:\nbrowser {ours}\nCPython {theirs}")
    assert cpython["train_loss"][-1] < cpython["train_loss"][0]  # it did learn something
