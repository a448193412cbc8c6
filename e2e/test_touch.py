"""Touch that hits, on a tablet and a phone: a tap 10 px off a line takes that line (the
nearest within 12 px), the first tap after load works, a tapped bias square shows its value
and takes a typed one. Nothing is reachable by hover only: what hovering a line or a bias
shows, a tap shows too (in the weight editor)."""

from __future__ import annotations

import re

import pytest
from conftest import Watch, wait_for, wait_ready
from playwright.sync_api import Browser, Page, expect

SIZES = {"tablet-portrait": (768, 1024), "phone": (390, 844)}
# The network figure's drawn objects in page coordinates (CSS px): each line's ends, each bias
# square's centre, each neuron's box. Found through BokehJS's own scales.
GEOMETRY = """() => {
  for (const doc of Bokeh.documents) {
    for (const model of doc.all_models) {
      if (model.type !== "Figure" || model.name !== "network") continue;
      const view = Bokeh.index.find_one(model);
      const canvas = view.canvas_view.el.getBoundingClientRect();
      const xs = view.frame.x_scale, ys = view.frame.y_scale;
      const at = (x, y) => [canvas.left + xs.compute(x), canvas.top + ys.compute(y)];
      const sources = {};
      for (const r of model.renderers) {
        const data = r.data_source.data;
        const get = (k) => Array.from(data instanceof Map ? data.get(k) || [] : data[k] || []);
        if (get("x0").length) sources.lines = get("x0").map((_, i) => [
          at(get("x0")[i], get("y0")[i]), at(get("x1")[i], get("y1")[i])]);
        else if (get("b").length) sources.biases = get("x").map((x, i) => at(x, get("y")[i]));
      }
      return sources;
    }
  }
  return null;
}"""


def distance(p: tuple[float, float], a: list[float], b: list[float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2)) if length2 else 0
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def a_point_off_a_line(lines: list, biases: list, off: float = 10.0) -> tuple[int, tuple]:
    """A line and a point `off` px from its middle, with every other line and bias square
    farther from that point than it."""
    for i, (a, b) in enumerate(lines):
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        length = ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5
        normal = (-(b[1] - a[1]) / length, (b[0] - a[0]) / length)
        for sign in (1, -1):
            point = (mid[0] + sign * off * normal[0], mid[1] + sign * off * normal[1])
            others = [distance(point, *line) for j, line in enumerate(lines) if j != i]
            others += [((point[0] - x) ** 2 + (point[1] - y) ** 2) ** 0.5 for x, y in biases]
            if min(others, default=99) > off + 3:
                return i, point
    raise AssertionError("no line stands far enough from the others")


@pytest.fixture(params=list(SIZES))
def touch_page(request, browser: Browser, site_url: str, watch: Watch) -> Page:
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True,
                                  is_mobile=True, service_workers="block")
    watch.guard(context)
    page = context.new_page()
    page.goto(site_url)
    wait_ready(page)
    yield page
    context.close()


def weight_field(page: Page):
    return page.get_by_label(re.compile(r"^(Weight |Bias of )")).locator("visible=true")


def test_the_first_tap_10_px_off_a_line_takes_that_line(touch_page: Page) -> None:
    page = touch_page
    page.locator(".pg-network-description").scroll_into_view_if_needed()
    geometry = page.evaluate(GEOMETRY)
    index, point = a_point_off_a_line(geometry["lines"], geometry["biases"])
    page.touchscreen.tap(*point)  # the first tap since the page loaded
    wait_for(page, lambda: weight_field(page).count() == 1, "the weight editor to open")
    chosen = page.get_by_label("Choose a weight to edit")
    wait_for(page, lambda: chosen.evaluate("el => el.selectedIndex") == index + 1,
             f"line {index} to be chosen")  # option 0 is "(none)"
    expect(page.get_by_label(re.compile("^Weight "))).to_have_value(re.compile(r"^-?\d"))


def test_a_tapped_bias_shows_its_value_and_takes_a_typed_one(touch_page: Page) -> None:
    page = touch_page
    geometry = page.evaluate(GEOMETRY)
    x, y = geometry["biases"][0]
    page.touchscreen.tap(x + 3, y + 3)
    field = page.get_by_label("Bias of neuron 1 of layer 1")
    expect(field).to_be_visible()
    value = float(field.input_value())
    field.fill(f"{value + 1:.2f}")
    field.press("Enter")
    wait_for(page, lambda: float(field.input_value()) == pytest.approx(value + 1, abs=0.01),
             "the typed bias to stay")
