"""Share, embed, tablets, save: the ways people use the playground, in the browser.

- a link holds every setting (TensorFlow Playground's keys), reproduces the run, follows changes;
- `?embed` fits a 640x480 iframe of an article on another origin, with a Share dialog;
- tablets and phones: touch only (tap, never hover or click), 44 px targets, nothing cut off;
- save a model as JSON and open it again; save pictures of the views.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import StaticServer, dataset_menu, epoch, open_app, wait_for, wait_ready
from playwright.sync_api import Browser, Frame, Page, expect

TRAIN_LOSS = re.compile(r"^Train loss (\d+\.\d+)$")
# A lesson link as TensorFlow Playground writes it (its seed is a decimal fraction).
TF_LESSON = ("activation=relu&batchSize=3&dataset=xor&regDataset=reg-plane&learningRate=0.1"
             "&regularizationRate=0&noise=15&networkShape=3,2&seed=0.12345&showTestData=true"
             "&discretize=false&percTrainData=70&x=true&y=true&xTimesY=true&xSquared=false"
             "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
             "&problem=classification&initZero=false&hideText=false")

# Everything drawn that a learner can touch or read, with its box (Panel's and Bokeh's shadow
# DOMs included): buttons, selects, inputs and the figures' canvases.
BOXES = """
() => {
  const out = [];
  function walk(root) {
    for (const el of root.querySelectorAll("button, select, input, textarea, canvas")) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width > 0 && r.height > 0 && style.visibility !== "hidden") {
        out.push({tag: el.tagName.toLowerCase(), type: el.type || "", text: (el.innerText ||
          el.getAttribute("aria-label") || "").trim(), left: r.left, right: r.right,
          top: r.top, bottom: r.bottom, height: r.height, width: r.width});
      }
    }
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
  }
  walk(document);
  return {boxes: out, width: document.documentElement.clientWidth,
          scroll: document.documentElement.scrollWidth};
}
"""


def train_loss(page: Page | Frame) -> str:
    return TRAIN_LOSS.match(page.get_by_text(TRAIN_LOSS).inner_text().strip()).group(1)


def current_hash(page: Page) -> dict[str, str]:
    text = page.evaluate("() => location.hash.slice(1)")
    return dict(part.split("=", 1) for part in text.split("&") if "=" in part)


# links -------------------------------------------------------------------------------------------
def test_a_tensorflow_playground_link_opens_its_lesson(page: Page, site_url: str) -> None:
    open_app(page, site_url + "#" + TF_LESSON)
    expect(dataset_menu(page)).to_have_value("Exclusive or")
    expect(page.get_by_label("Activation", exact=True)).to_have_value("ReLU")
    expect(page.get_by_label("Learning rate", exact=True)).to_have_value("0.1")
    expect(page.get_by_text("Layer 1: 3 neurons")).to_be_visible()
    expect(page.get_by_text("Layer 2: 2 neurons")).to_be_visible()
    expect(page.locator("input[type=checkbox]").first).to_be_checked()  # Show test data
    # nothing in the link was ignored, and the address bar now holds the whole state
    expect(page.locator(".pg-notice")).to_have_count(2)
    assert page.locator(".pg-notice").evaluate_all("els => els.every(e => !e.checkVisibility())")
    state = current_hash(page)
    assert state["dataset"] == "xor"
    assert state["networkShape"] == "3,2"
    assert state["seed"] == "0.12345"
    assert state["xTimesY"] == "true"


def test_the_link_follows_every_change_and_reproduces_the_run(page: Page, browser: Browser,
                                                              site_url: str) -> None:
    open_app(page, site_url)
    dataset_menu(page).select_option(label="Spiral")
    page.get_by_label("Learning rate", exact=True).select_option(label="0.1")
    page.get_by_role("button", name="+ layer").click()
    wait_for(page, lambda: current_hash(page).get("networkShape") == "4,2,2", "the new shape")
    state = current_hash(page)
    assert state["dataset"] == "spiral"
    assert state["learningRate"] == "0.1"
    for _ in range(5):
        page.get_by_role("button", name="Step").click()
    wait_for(page, lambda: epoch(page) == 5, "five steps")
    loss = train_loss(page)
    link = page.url

    other = browser.new_page()  # a student opens the shared link
    try:
        open_app(other, link)
        expect(dataset_menu(other)).to_have_value("Spiral")
        expect(other.get_by_text("Hidden layers: 3")).to_be_visible()
        for _ in range(5):
            other.get_by_role("button", name="Step").click()
        wait_for(other, lambda: epoch(other) == 5, "five steps")
        assert train_loss(other) == loss  # same seed, same settings: the same run
    finally:
        other.close()


def test_a_malformed_link_gives_a_notice_and_a_working_app(page: Page, site_url: str) -> None:
    open_app(page, site_url + "#noise=lots&networkShape=4,99,1,1,1,1,1,1&learningRate=NaN"
             "&dataset=%3Cimg%20src=x%20onerror=alert(1)%3E&bogus=1")
    notice = page.locator(".pg-notice").filter(has_text="could not be used")
    expect(notice).to_be_visible()
    text = page.locator(".pg-notice ul").inner_text()
    for key in ("noise", "networkShape", "learningRate", "dataset", "bogus"):
        assert key in text
    assert "<img src=x onerror=alert(1)>" in text  # shown as text, never as HTML
    expect(page.get_by_text("Layer 2: 8 neurons")).to_be_visible()  # clamped to 6 x 8
    expect(page.get_by_text("Hidden layers: 6")).to_be_visible()
    page.get_by_role("button", name="Play").click()
    wait_for(page, lambda: epoch(page) > 10, "training")


def test_pasting_another_link_into_the_open_page_applies_it(page: Page, site_url: str) -> None:
    open_app(page, site_url)
    page.evaluate("() => { location.hash = 'dataset=gauss&networkShape=5'; }")
    expect(dataset_menu(page)).to_have_value("Gaussian")
    expect(page.get_by_text("Layer 1: 5 neurons")).to_be_visible()
    expect(page.get_by_text("Hidden layers: 1")).to_be_visible()


def test_hidden_controls_stay_hidden(page: Page, site_url: str) -> None:
    open_app(page, site_url + "#playButton_hide=true&dataset_hide=true&learningRate_hide=true")
    expect(page.get_by_role("button", name="Step")).to_be_visible()
    expect(page.get_by_role("button", name="Play")).to_have_count(0)
    expect(dataset_menu(page)).to_have_count(0)
    expect(page.get_by_label("Learning rate", exact=True)).to_be_hidden()
    expect(page.get_by_label("Activation", exact=True)).to_be_visible()


# embed -------------------------------------------------------------------------------------------
def test_embed_mode_fits_a_640x480_iframe_on_another_origin(page: Page, site_url: str,
                                                             tmp_path: Path) -> None:
    src = site_url + "?embed#dataset=xor&networkShape=3"
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Article</title></head><body style='margin:0'>"
        f'<iframe src="{src}" width="640" height="480" style="border:0" title="Playground">'
        "</iframe></body></html>")
    host = StaticServer(tmp_path)
    try:
        page.goto(host.url)
        frame = next(f for f in page.frames if f != page.main_frame)
        wait_ready(frame)
        layout = frame.evaluate(BOXES)
        assert layout["scroll"] <= layout["width"], "the iframe scrolls sideways"
        canvases = [b for b in layout["boxes"] if b["tag"] == "canvas" and b["width"] > 150]
        figures = [b for b in canvases if b["top"] < 480]
        # the network and the output are both on the first screen, whole
        assert len(figures) >= 2
        for box in figures[:2]:
            assert box["right"] <= 640
            assert box["bottom"] <= 480
        for name in ("Reset", "Play", "Step", "Share"):  # Share: in the top row too
            expect(frame.get_by_role("button", name=name).first).to_be_visible()
        assert not frame.get_by_text("Neural Network Playground", exact=True).is_visible()
        frame.get_by_role("button", name="Play").click()
        wait_for(frame, lambda: epoch(frame) > 5, "training in the iframe")
        frame.get_by_role("button", name="Pause").click()
    finally:
        host.stop()


def test_share_offers_the_link_and_an_iframe_snippet(page: Page, site_url: str) -> None:
    open_app(page, site_url + "#dataset=spiral")
    page.get_by_role("button", name="Share").click()
    dialog = page.get_by_role("dialog", name="Share this playground")
    expect(dialog).to_be_visible()
    link = dialog.get_by_label("Link").input_value()
    snippet = dialog.get_by_label("Embed in an article or a course page").input_value()
    assert link == page.url
    assert "dataset=spiral" in link
    match = re.fullmatch(r'<iframe src="([^"]+)" width="640" height="480" .*></iframe>', snippet)
    assert match
    src = match.group(1).replace("&amp;", "&")
    assert src.startswith(site_url + "?embed#")
    assert unquote(src.split("#", 1)[1]) == unquote(link.split("#", 1)[1])
    dialog.get_by_role("button", name="Copy link").click()
    expect(dialog.get_by_role("status")).to_contain_text(re.compile("Copied|Selected"))
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


# tablets -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1024, 768), (768, 1024), (390, 844)],
                         ids=["tablet-landscape", "tablet-portrait", "phone"])
def test_touch_devices_fit_and_train_by_tapping(browser: Browser, site_url: str, watch,
                                                size: tuple[int, int]) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True,
                                  is_mobile=width < 500, service_workers="block")
    context.on("page", lambda p: (p.on("console", watch.on_console),
                                  p.on("pageerror", watch.on_page_error)))
    try:
        page = context.new_page()
        open_app(page, site_url)
        layout = page.evaluate(BOXES)
        assert layout["scroll"] <= layout["width"], f"scrolls sideways to {layout['scroll']}px"
        for box in layout["boxes"]:
            assert box["right"] <= width + 1, f"cut off at the right: {box}"
            if box["tag"] in ("button", "select"):
                assert box["height"] >= 44, f"too small to tap: {box}"
        page.get_by_role("button", name="Play").tap()
        wait_for(page, lambda: epoch(page) > 5, "training after a tap")
        page.get_by_role("button", name="Pause").tap()
        page.get_by_role("button", name="+ layer").tap()
        expect(page.get_by_text("Hidden layers: 3")).to_be_visible()
        assert not watch.errors, watch.errors
    finally:
        context.close()


# saving ------------------------------------------------------------------------------------------
def test_a_saved_model_opens_again_with_its_weights(app: Page, tmp_path: Path) -> None:
    for _ in range(3):
        app.get_by_role("button", name="Step").click()
    wait_for(app, lambda: epoch(app) == 3, "three steps")
    loss = train_loss(app)
    with app.expect_download() as download:
        app.get_by_text("Save model (JSON)").click()
    path = tmp_path / "model.json"
    download.value.save_as(path)
    saved = json.loads(path.read_text())
    assert saved["format"] == "nn-playground-model"
    assert saved["epoch"] == 3
    assert saved["config"]["hidden"] == [4, 2]

    app.get_by_role("button", name="Reset").click()
    wait_for(app, lambda: epoch(app) == 0, "reset")
    app.locator("input[type=file][accept*=json]").set_input_files(path)
    wait_for(app, lambda: epoch(app) == 3, "the saved epoch")
    assert train_loss(app) == loss
    expect(app.get_by_text("Opened the model saved at epoch 3")).to_be_visible()


def test_a_broken_model_file_says_so_and_changes_nothing(app: Page, tmp_path: Path) -> None:
    app.get_by_role("button", name="Step").click()
    wait_for(app, lambda: epoch(app) == 1, "a step")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nn-playground-model", "version": 1, "config": {}, '
                   '"weights": [[[1]]], "biases": [[0]]}')
    app.locator("input[type=file][accept*=json]").set_input_files(bad)
    expect(app.locator(".pg-model-file")).to_contain_text(re.compile(r"\w"))
    message = app.locator(".pg-model-file p").inner_text()
    assert message.strip()
    assert "Opened" not in message
    assert epoch(app) == 1


@pytest.mark.parametrize("name", ["network", "output"])
def test_pictures_of_the_views_are_png_files(app: Page, tmp_path: Path, name: str) -> None:
    with app.expect_download() as download:
        app.get_by_role("button", name=f"Picture of the {name}").click()
    assert download.value.suggested_filename == f"{name}.png"
    path = tmp_path / f"{name}.png"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 2000  # a drawing, not an empty canvas
