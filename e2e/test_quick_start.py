"""The quick start: the default page is drawn at once, trains before the full app is up, and
hands over to it without losing the run, a click or a setting.

The page draws the document prerendered at build time, a small worker trains it (numpy and
the engine only), and when the main worker has built the same document it takes the page's
document over, with the quick start's trainer. Any other link starts the plain way.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import EPOCH, SITE, epoch, wait_for, wait_ready
from playwright.sync_api import Page, expect
from test_reproducibility import LOSS_CURVE, cli_history

STATE = "() => ({quick: window.playground.quick, ready: window.playground.ready})"
# Captures the main worker's "render" message (the document it sends when it does not adopt).
CAPTURE_RENDER = """
(() => {
  const Original = window.Worker;
  window.Worker = function (url, options) {
    const worker = new Original(url, options);
    worker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "render") window.__rendered = event.data;
    });
    return worker;
  };
})();
"""


def until_interactive(page: Page) -> None:
    page.wait_for_function("window.playground && window.playground.interactive",
                           timeout=60_000, polling=20)


def select_disabled(page: Page) -> list[bool]:
    """Whether each <select> of the page is disabled (the settings' menus)."""
    return page.locator("select").evaluate_all("els => els.map((e) => e.disabled)")


def test_the_default_page_trains_before_the_full_app_is_up(page: Page, site_url: str) -> None:
    page.goto(site_url)
    until_interactive(page)
    state = page.evaluate(STATE)
    assert state["quick"] in {"starting", "ready"}
    assert state["ready"] is False
    expect(page.locator("#loading")).to_be_hidden()  # the page is drawn, not a loading screen
    expect(page.locator("#starting")).to_be_visible()
    menus = select_disabled(page)
    assert menus
    assert all(menus)  # the settings wait for the full app
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=30_000)
    wait_for(page, lambda: epoch(page) > 0, "the quick start to train")
    timings = page.evaluate("window.playground.timings")
    assert timings["first_epoch"] < timings.get("ready", float("inf"))

    wait_ready(page)
    assert page.evaluate("window.playground.quick") == "handed-over"
    assert page.evaluate("window.playground.handedOver") is True
    expect(page.locator("#starting")).to_be_hidden()
    assert not any(select_disabled(page))
    # Still training, in the full app now, without a second press of Play.
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    first = epoch(page)
    wait_for(page, lambda: epoch(page) > first + 20, "training to go on after the hand-over")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    stopped = epoch(page)
    page.wait_for_timeout(500)
    assert epoch(page) == stopped
    # And the full app answers everything: a setting, and the buttons.
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text(EPOCH)).to_have_text("Epoch 0")


def test_steps_on_both_sides_of_the_hand_over_are_one_run(page: Page, site_url: str) -> None:
    """Steps taken by the quick start and then by the full app give the command line's losses:
    the full app went on with the very trainer (weights, random state, history)."""
    page.goto(site_url)
    until_interactive(page)
    step = page.get_by_role("button", name="Step")
    for i in range(3):
        step.click()
        expect(page.get_by_text(f"Epoch {i + 1}", exact=True)).to_be_visible(timeout=30_000)
    wait_ready(page)
    assert page.evaluate("window.playground.handedOver") is True
    timings = page.evaluate("window.playground.timings")
    assert timings["first_epoch"] < timings["ready"]  # the first steps were the quick start's
    for i in range(3, 8):
        step.click()
        expect(page.get_by_text(f"Epoch {i + 1}", exact=True)).to_be_visible()
    wait_for(page, lambda: len((page.evaluate(LOSS_CURVE) or {}).get("epochs", [])) == 9,
             "the loss chart to show every epoch")
    browser = page.evaluate(LOSS_CURVE)
    cpython = cli_history("--epochs", "8")  # the defaults: circle, 4,2 tanh, seed 1
    assert browser["epochs"] == cpython["epochs"] == list(range(9))
    for name in ("train", "test"):
        assert browser[name] == pytest.approx(cpython[f"{name}_loss"], rel=0, abs=1e-9)


def test_the_embedded_layout_has_its_quick_start(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 640, "height": 480})
    page.goto(site_url + "?embed")
    until_interactive(page)
    page.get_by_role("button", name="Play").click()
    wait_for(page, lambda: epoch(page) > 0, "the quick start to train", timeout_ms=30_000)
    wait_ready(page)
    assert page.evaluate("window.playground.quick") == "handed-over"
    first = epoch(page)
    wait_for(page, lambda: epoch(page) > first, "training to go on after the hand-over")


def test_a_link_with_other_settings_starts_the_plain_way(page: Page, site_url: str) -> None:
    page.goto(site_url + "#dataset=xor&seed=4")
    expect(page.locator("#loading")).to_be_visible()
    wait_ready(page)
    assert page.evaluate("window.playground.quick") == "off"
    assert page.evaluate("window.playground.handedOver") is None
    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text("Epoch 1", exact=True)).to_be_visible()


def test_the_default_link_written_out_gets_the_quick_start(page: Page, site_url: str) -> None:
    """Once open, the page writes every setting into its hash; reloading that link (or
    sharing the default one) still starts quickly."""
    page.goto(site_url)
    wait_ready(page)
    link = page.url
    assert "#" in link
    page.goto("about:blank")
    page.goto(link)
    wait_ready(page)
    assert page.evaluate("window.playground.quick") == "handed-over"
    assert page.evaluate("window.playground.timings.painted") is not None


def test_the_prerendered_page_is_the_document_the_worker_builds(page: Page,
                                                                site_url: str) -> None:
    """Opened with a query that skips the quick start, the main worker sends its document:
    it must be the prerendered one, model for model, value for value (but the site's URL,
    which the page puts into the prerender, and the Python object ids Panel tags its
    JavaScript callbacks with, which the page never reads)."""
    page.add_init_script(CAPTURE_RENDER)
    page.goto(site_url + "?from=test")
    wait_ready(page)
    sent = page.evaluate("window.__rendered")
    prerendered = json.loads((SITE / "prerender" / "full.json").read_text())
    ours = prerendered["docs_json"].replace(prerendered["site"], site_url)
    assert _comparable(sent["docs_json"]) == _comparable(ours)
    assert json.loads(sent["root_ids"]) == json.loads(prerendered["root_ids"])


def _comparable(docs_json: str) -> str:
    (doc,) = json.loads(docs_json).values()
    text = json.dumps({"roots": doc["roots"], "defs": doc.get("defs")}, sort_keys=True)
    return re.sub(r'"tags": \[\[\d+, ', '"tags": [[0, ', text)
