"""Hardening, in the browser: a diverging run is explained and reset in one click, without a
NaN drawn anywhere; your own CSV data trains, a bad or huge file is refused and changes nothing.

The views' numbers are read back from the page's Bokeh document (figures named "network",
"output" and "loss"), as test_views.py does: what the learner sees.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import epoch, open_app, wait_for
from playwright.sync_api import Page, expect
from test_views import FIND_VIEW, columns

# Learning rate 10 on six ReLU layers of 8 with a linear output: the weights blow up in epoch 1.
DIVERGES = ("#problem=regression&regDataset=reg-plane&activation=relu&learningRate=10"
            "&networkShape=8,8,8,8,8,8")
# The issue's own example: a tanh output keeps the loss finite (the ReLUs die instead).
SPIRAL_LR_10 = "#activation=relu&learningRate=10&networkShape=8,8,8,8,8,8&dataset=spiral"
CSV_INPUT = "input[type=file][accept*=csv]"

# Every numeric value of every data source of a figure that is NaN or infinite (images too).
# Accuracy columns are left out: NaN there is "no accuracy" (regression), never drawn.
NON_FINITE = f"""
(name) => {{
  const view = ({FIND_VIEW})(name);
  const bad = [];
  let numbers = 0;
  view.model.renderers.forEach((renderer, i) => {{
    const data = renderer.data_source.data;
    const entries = data instanceof Map ? [...data.entries()] : Object.entries(data);
    for (const [key, column] of entries) {{
      if (key.endsWith("accuracy")) continue;
      const parts = Array.from(column).some((v) => ArrayBuffer.isView(v) || Array.isArray(v))
        ? Array.from(column) : [column];
      for (const part of parts) {{
        for (const v of Array.from(part)) {{
          if (typeof v !== "number") continue;
          numbers += 1;
          if (!Number.isFinite(v)) {{ bad.push(`${{i}}.${{key}}`); break; }}
        }}
      }}
    }}
  }});
  return {{bad: [...new Set(bad)], numbers}};
}}
"""


def assert_all_finite(page: Page) -> None:
    for figure in ("network", "output", "loss"):
        result = page.evaluate(NON_FINITE, figure)
        assert result["bad"] == [], f"{figure}: non-finite values in {result['bad']}"
        assert result["numbers"] > 0


def points(page: Page) -> set[tuple[float, float]]:
    """The output view's train and test points."""
    out = set()
    for renderer in (1, 2):
        data = columns(page, "output", renderer, "x", "y")
        out |= set(zip(data["x"], data["y"], strict=True))
    return out


# divergence --------------------------------------------------------------------------------------
def test_a_divergence_is_explained_and_reset_with_a_smaller_learning_rate(
        page: Page, site_url: str) -> None:
    open_app(page, site_url + DIVERGES)
    assert_all_finite(page)
    page.get_by_role("button", name="Play").click()
    message = page.locator(".pg-diverged")
    expect(message).to_be_visible(timeout=20_000)
    expect(message).to_contain_text("Training diverged at epoch 1: the weights blew up")
    expect(message).to_contain_text("The learning rate (10) is too large for this network.")
    play = page.get_by_role("button", name="Play")
    expect(play).to_be_disabled()
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_disabled()
    assert epoch(page) == 0
    assert_all_finite(page)  # the last finite weights: lines, heatmaps, loss chart

    page.get_by_role("button", name="Reset with learning rate 0.03").click()
    expect(message).to_be_hidden()
    expect(page.get_by_label("Learning rate", exact=True)).to_have_value("0.03")
    expect(play).to_be_enabled()
    wait_for(page, lambda: "learningRate=0.03" in page.url, "the link to follow")
    play.click()
    wait_for(page, lambda: epoch(page) > 20, "training at the smaller rate")
    page.get_by_role("button", name="Pause").click()
    expect(message).to_be_hidden()
    assert_all_finite(page)


def test_reset_next_to_the_message_starts_over(page: Page, site_url: str) -> None:
    open_app(page, site_url + DIVERGES)
    page.get_by_role("button", name="Step", exact=True).click()
    message = page.locator(".pg-diverged")
    expect(message).to_be_visible(timeout=20_000)
    resets = page.get_by_role("button", name="Reset", exact=True)
    expect(resets).to_have_count(2)  # the toolbar's and the one next to the message
    resets.nth(1).click()
    expect(message).to_be_hidden()
    expect(page.get_by_role("button", name="Play")).to_be_enabled()
    expect(page.get_by_label("Learning rate", exact=True)).to_have_value("10")
    expect(resets).to_have_count(1)


def test_the_issues_spiral_at_learning_rate_10_draws_nothing_non_finite(
        page: Page, site_url: str) -> None:
    open_app(page, site_url + SPIRAL_LR_10)
    expect(page.get_by_label("Learning rate", exact=True)).to_have_value("10")
    page.get_by_role("button", name="Play").click()
    wait_for(page, lambda: epoch(page) > 30, "training")
    assert_all_finite(page)
    page.get_by_role("button", name="Pause").click()
    assert_all_finite(page)


# your own data ------------------------------------------------------------------------------------
GOOD_POINTS = [(1.5, 2.0, 1), (-1.0, -2.5, -1), (2.0, -3.0, 1), (-4.0, 1.0, -1),
               (0.5, 0.5, 1), (-0.5, -0.5, -1), (3.0, 3.0, 1), (-3.0, -3.5, -1)]


def test_a_csv_file_trains_and_a_bad_one_is_refused(page: Page, site_url: str,
                                                    tmp_path: Path) -> None:
    open_app(page, site_url + "#dataset=xor")
    before = points(page)
    good = tmp_path / "mine.csv"
    good.write_text("x1,x2,label\n" + "".join(f"{a},{b},{c}\n" for a, b, c in GOOD_POINTS))
    expect(page.get_by_text("Open your own data (CSV: x1, x2, label)")).to_be_visible()
    assert page.locator("input[type=file]").count() == 2  # and the saved model's
    page.locator(CSV_INPUT).set_input_files(good)
    expected = {(a, b) for a, b, _ in GOOD_POINTS}
    wait_for(page, lambda: points(page) == expected, "the file's points in the output view")
    assert expected != before
    expect(page.get_by_text(re.compile(r"Training on your data: mine\.csv: 8 points"))
           ).to_be_visible()
    expect(page.get_by_text(re.compile("it opens the Exclusive or dataset"))).to_be_visible()
    assert "dataset=xor" in page.url
    image = columns(page, "output", 0, "image")["image"]
    page.get_by_role("button", name="Play").click()
    wait_for(page, lambda: epoch(page) > 20, "training on the file")
    page.get_by_role("button", name="Pause").click()
    assert columns(page, "output", 0, "image")["image"] != image

    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2\n3,4\n")
    page.locator(CSV_INPUT).set_input_files(bad)
    refusal = page.locator(".pg-data-file")
    expect(refusal).to_contain_text("bad.csv: The file cannot be used: line 2: expected 3 "
                                    "columns (x1,x2,label), got 2")
    expect(refusal).to_contain_text("The data and weights are unchanged.")
    assert points(page) == expected
    assert epoch(page) > 20

    page.get_by_role("button", name="Back to Exclusive or").click()
    wait_for(page, lambda: points(page) == before, "the dataset's points again")


def test_a_huge_or_binary_file_is_refused_and_the_data_kept(page: Page, site_url: str,
                                                            tmp_path: Path) -> None:
    open_app(page, site_url)
    before = points(page)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:  # 50 MB, never read: the browser checks the size first
        f.truncate(50 * 2**20)
    page.locator(CSV_INPUT).set_input_files(huge)
    refusal = page.locator(".pg-data-file")
    expect(refusal).to_contain_text("huge.csv: The file is too big (50 MB): the limit is 2 MB")
    binary = tmp_path / "picture.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01")
    page.locator(CSV_INPUT).set_input_files(binary)
    expect(refusal).to_contain_text("picture.csv: The file is not a CSV file: it is not text")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    page.locator(CSV_INPUT).set_input_files(empty)
    expect(refusal).to_contain_text("empty.csv: The file is empty")
    assert points(page) == before
    assert epoch(page) == 0
