"""The visual explanation in the browser: the views react to the controls, the network learns
the spiral, the step-through applies -lr * gradient, and a tapped weight can be edited.

The views' numbers are read back from the page's Bokeh document (the figures are named
"network" and "output"): what the learner sees, not what Python meant to send.
"""

from __future__ import annotations

import re

import pytest
from conftest import dataset_menu, epoch, wait_for
from playwright.sync_api import Page, expect

FIND_VIEW = """
(name) => {
  function find(view) {
    if (view.model && view.model.name === name) return view;
    for (const child of (view.child_views || [])) {
      const hit = find(child);
      if (hit) return hit;
    }
    return null;
  }
  for (const root of Object.values(Bokeh.index)) {
    const hit = find(root);
    if (hit) return hit;
  }
  return null;
}
"""

READ_COLUMNS = f"""
([name, index, columns]) => {{
  const view = ({FIND_VIEW})(name);
  const data = view.model.renderers[index].data_source.data;
  const get = (k) => data instanceof Map ? data.get(k) : data[k];
  const out = {{}};
  for (const k of columns) {{
    const v = get(k);
    out[k] = k === "image" ? Array.from(v[0]) : Array.from(v);
  }}
  return out;
}}
"""

# Screen position of a point at fraction t along segment k of the network figure.
SEGMENT_POINT = f"""
([k, t]) => {{
  const view = ({FIND_VIEW})("network");
  const data = view.model.renderers[0].data_source.data;
  const get = (c) => (data instanceof Map ? data.get(c) : data[c])[k];
  const x = get("x0") + t * (get("x1") - get("x0"));
  const y = get("y0") + t * (get("y1") - get("y0"));
  const rect = view.el.getBoundingClientRect();
  return [rect.left + view.frame.x_scale.compute(x), rect.top + view.frame.y_scale.compute(y)];
}}
"""

TEST_LOSS = re.compile(r"^Test loss (\d+\.\d+)$")


def columns(page: Page, figure: str, renderer: int, *names: str) -> dict[str, list[float]]:
    return page.evaluate(READ_COLUMNS, [figure, renderer, list(names)])


def segments(page: Page) -> dict[str, list[float]]:
    return columns(page, "network", 0, "w", "x0")


def output_image(page: Page) -> list[float]:
    return columns(page, "output", 0, "image")["image"]


def shown_test_loss(page: Page) -> float:
    return float(TEST_LOSS.match(page.get_by_text(TEST_LOSS).inner_text().strip()).group(1))


def test_switching_the_dataset_changes_the_output_view(app: Page) -> None:
    points = columns(app, "output", 1, "x", "y")
    dataset_menu(app).select_option(label="Spiral")
    wait_for(app, lambda: columns(app, "output", 1, "x", "y") != points, "new points")
    assert epoch(app) == 0
    # the same seed starts the same weights: the heatmap moves once the network trains
    image = output_image(app)
    app.get_by_role("button", name="Step").click()
    wait_for(app, lambda: output_image(app) != image, "the output to follow the training")


def test_adding_a_layer_and_a_neuron_redraws_the_network(app: Page) -> None:
    assert len(segments(app)["w"]) == 2 * 4 + 4 * 2 + 2 * 1
    app.get_by_role("button", name="+ layer").click()
    expect(app.get_by_text("Hidden layers: 3")).to_be_visible()
    expect(app.get_by_text("Layer 3: 2 neurons")).to_be_visible()
    expect(app.get_by_role("button", name="+ neuron")).to_have_count(3)
    wait_for(app, lambda: len(segments(app)["w"]) == 2 * 4 + 4 * 2 + 2 * 2 + 2 * 1,
             "the new layer's lines")
    app.get_by_role("button", name="+ neuron").first.click()
    expect(app.get_by_text("Layer 1: 5 neurons")).to_be_visible()
    wait_for(app, lambda: len(segments(app)["w"]) == 2 * 5 + 5 * 2 + 2 * 2 + 2 * 1,
             "the new neuron's lines")
    thumbnails = columns(app, "network", 1, "x")["x"]
    assert len(thumbnails) == 2 + 5 + 2 + 2 + 1


@pytest.mark.slow
def test_spiral_with_8_8_tanh_learns_a_low_test_loss(app: Page) -> None:
    dataset_menu(app).select_option(label="Spiral")
    for layer, clicks in ((0, 4), (1, 6)):
        for _ in range(clicks):
            app.get_by_role("button", name="+ neuron").nth(layer).click()
    expect(app.get_by_text("Layer 1: 8 neurons")).to_be_visible()
    expect(app.get_by_text("Layer 2: 8 neurons")).to_be_visible()
    start = shown_test_loss(app)
    app.get_by_role("button", name="Play").click()
    wait_for(app, lambda: shown_test_loss(app) < 0.15, "test loss below 0.15", timeout_ms=120_000)
    app.get_by_role("button", name="Pause").click()
    assert start > 0.4
    assert epoch(app) > 100


def test_the_four_step_through_phases_apply_minus_lr_times_gradient(app: Page) -> None:
    before_step = segments(app)["w"]
    next_phase = app.get_by_role("button", name="Next phase")
    for phase in ("Forward", "Loss", "Backward", "Update"):
        next_phase.click()
        expect(app.get_by_text(f"▶ {phase}")).to_be_visible()
        for name in ("Forward", "Loss", "Backward", "Update"):
            expect(app.get_by_text(re.compile(name)).first).to_be_visible()
        if phase in ("Forward", "Loss"):
            assert segments(app)["w"] == before_step  # the update has not been shown yet
    table = app.locator(".pg-update")
    expect(table).to_be_visible()
    lr = float(table.get_attribute("data-lr"))
    rows = app.locator("tr.pg-weight")
    expect(rows).to_have_count(2 * 4 + 4 * 2 + 2 * 1)
    moved = 0
    after_values = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td[title]")
        before, grad, after = (float(cells.nth(j).get_attribute("title")) for j in range(3))
        assert after == pytest.approx(before - lr * grad, rel=1e-12, abs=1e-15)
        assert before == pytest.approx(before_step[i], abs=1e-15)
        moved += after != before
        after_values.append(after)
    assert moved > 0
    # the lines end on exactly the new weights
    wait_for(app, lambda: segments(app)["w"] == after_values, "lines at the new weights")


def test_a_tapped_weight_can_be_edited_and_the_output_changes(app: Page) -> None:
    image = output_image(app)
    x, y = app.evaluate(SEGMENT_POINT, [0, 0.75])
    app.mouse.click(x, y)
    field = app.get_by_label(re.compile(r"^Weight "))
    expect(field).to_be_visible()
    field.fill("6")
    field.press("Enter")
    wait_for(app, lambda: output_image(app) != image, "the output to change")
    assert 6.0 in segments(app)["w"]


def test_digits_show_what_the_first_layer_learned(app: Page) -> None:
    expect(app.get_by_text("what one first-layer neuron looks for", exact=False)).to_be_hidden()
    dataset_menu(app).select_option(label="Digits (8x8 images)")
    expect(app.get_by_text("what one first-layer neuron looks for", exact=False)).to_be_visible()
    expect(app.get_by_text("Show test data")).to_be_hidden()  # no plane to draw for images
    app.get_by_role("button", name="Step").click()
    expect(app.get_by_text("Epoch 1", exact=True)).to_be_visible()
