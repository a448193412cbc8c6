"""The light page: every link is drawn at once from the document built with the site, and the
one worker (numpy, param and the playground's model; never Panel or Bokeh) paints it.

Until a link's first frame the page shows the built document with its data views cleared
(never another link's data), Play, Step and Reset take clicks at once, and the settings wait;
then every control answers.
"""

from __future__ import annotations

import re

import pytest
from conftest import dataset_menu, epoch, wait_for, wait_ready
from playwright.sync_api import Page, expect

LESSON = "dataset=xor&networkShape=6,3&activation=relu&learningRate=0.1&seed=7&noise=10"

def until_interactive(page: Page) -> None:
    page.wait_for_function("window.playground && window.playground.interactive",
                           timeout=60_000, polling=20)


def lines_drawn(page: Page) -> int:
    """How many weight lines the page's network drawing has (its segment source's rows)."""
    return page.evaluate("""() => {
      for (const doc of Bokeh.documents) {
        for (const model of doc.all_models) {
          const data = model.data;
          const get = (k) => data instanceof Map ? data.get(k) : data && data[k];
          if (model.type === "ColumnDataSource" && get("x0") && get("lw")) return get("x0").length;
        }
      }
      return -1;
    }""")


def worker_modules(page: Page) -> list[str]:
    """The top-level modules the worker's Python has imported."""
    worker = next(w for w in page.workers if w.url.endswith("/js/worker.js"))
    text = worker.evaluate("""() => String(self.playgroundPython.runPython(
      "import sys\\n','.join(sorted({m.split('.')[0] for m in sys.modules}))"))""")
    return text.split(",")


def test_a_lesson_link_is_drawn_at_once_without_the_default_data(page: Page,
                                                                  site_url: str) -> None:
    page.goto(f"{site_url}#{LESSON}")
    until_interactive(page)
    ready = page.evaluate("window.playground.ready")
    expect(page.locator("#loading")).to_be_hidden()
    if not ready:  # (a fast machine may be up already: then the link's own frame shows)
        assert lines_drawn(page) == 0  # cleared, not the default 2-4-2-1 network's 18 lines
        assert all(page.locator("select").evaluate_all("els => els.map((e) => e.disabled)"))
    wait_ready(page)
    assert lines_drawn(page) == 2 * 6 + 6 * 3 + 3 * 1
    expect(page.get_by_label("Learning rate")).to_have_value("0.1")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_for(page, lambda: epoch(page) == 1, "one epoch")


def test_play_before_python_is_up_trains_as_soon_as_it_is(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}#{LESSON}")
    until_interactive(page)
    page.get_by_role("button", name="Play").click()
    wait_ready(page)
    wait_for(page, lambda: epoch(page) > 5, "training")
    timings = page.evaluate("window.playground.timings")
    assert timings["first_click"] <= timings["first_epoch"]
    page.get_by_role("button", name="Pause").click()


@pytest.mark.parametrize("link", ["", LESSON, "hideText=true&stepButton_hide=true"])
def test_every_control_answers_once_the_first_frame_is_painted(page: Page, site_url: str,
                                                               link: str) -> None:
    page.goto(f"{site_url}#{link}")
    wait_ready(page)
    menus = page.locator("select").evaluate_all("els => els.map((e) => e.disabled)")
    assert menus
    assert not any(menus)
    page.get_by_label("Activation").select_option(label="Sigmoid")
    wait_for(page, lambda: "activation=sigmoid" in page.url, "the link to follow")
    expect(page.locator("#starting")).to_be_hidden()


def test_the_worker_never_imports_panel_or_bokeh(page: Page, site_url: str) -> None:
    """Every control and view used, and still no Panel, no Bokeh in the worker's Python."""
    page.goto(site_url)
    wait_ready(page)
    page.get_by_role("button", name="Play").click()
    wait_for(page, lambda: epoch(page) > 3, "training")
    page.get_by_role("button", name="Pause").click()
    for label, option in (("Activation", "ReLU"), ("Learning rate", "0.1"),
                          ("Regularization", "L1"), ("Regularization rate", "0.001"),
                          ("Batch size", "7"), ("Optimizer", "Adam"), ("Noise", "10"),
                          ("Ratio of training to test data", "70 %")):
        page.get_by_label(label, exact=True).select_option(label=option)
    page.get_by_label("X₁²", exact=True).check()
    page.get_by_label("Show test data").check()
    page.get_by_label("Discretize output").check()
    for name in ("+ layer", "+ neuron", "− neuron", "Step"):
        page.get_by_role("button", name=name, exact=True).first.click()
    for _ in range(5):
        page.get_by_role("button", name="Next phase").click()
    page.get_by_role("button", name="Back to training").click()
    page.get_by_label("Choose a weight to edit").select_option(index=1)
    page.get_by_label(re.compile("^Weight ")).fill("0.5")
    page.get_by_label(re.compile("^Weight ")).press("Enter")
    dataset = dataset_menu(page)
    for name in ("Spiral, 3 classes", "Digits (8x8 images)", "Circle"):
        dataset.select_option(label=name)
        page.get_by_role("button", name="Step", exact=True).click()
    page.get_by_label("Problem type").select_option(label="Regression")
    page.get_by_role("button", name="Step", exact=True).click()
    with page.expect_download():
        page.get_by_role("button", name="Save model (JSON)").click()
    page.get_by_role("button", name="Regenerate").click()
    wait_for(page, lambda: epoch(page) == 0, "a new experiment")
    modules = worker_modules(page)
    assert "playground" in modules
    assert "numpy" in modules
    assert "panel" not in modules
    assert "bokeh" not in modules
