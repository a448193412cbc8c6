"""Accessibility in the browser: axe-core finds nothing serious, and the keyboard alone works.

axe-core (e2e/axe.py: downloaded once from the npm registry, verified, cached outside the repo)
is evaluated in the page by the test, so the page itself requests nothing; it checks
Panel's and Bokeh's open shadow roots too. The keyboard tests press only keys: Tab, Shift+Tab,
Enter, Space, Escape and the arrows; the focused element is found by walking down the shadow
roots' activeElement.
"""

from __future__ import annotations

import re

from axe import axe_source
from conftest import dataset_menu, epoch, wait_for, wait_ready
from playwright.sync_api import Page, expect

BLOCKING = ("serious", "critical")

RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: JSON.stringify(n.target), html: n.html.slice(0, 160),
                                summary: n.failureSummary}))}));
}
"""

# The element that has the keyboard focus (inside shadow roots), described.
FOCUSED = """
() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const labels = el.labels ? Array.from(el.labels).map((l) => l.innerText.trim()) : [];
  const role = el.getAttribute("role") || "";
  const name = (el.getAttribute("aria-label") || labels.join(" ") ||
                (el.tagName === "BUTTON" ? el.innerText : "") || el.title || "").trim();
  return {tag: el.tagName.toLowerCase(), type: el.type || "", role: role, name: name,
          value: el.value === undefined ? null : String(el.value),
          canvas: el.classList.contains("bk-events"),
          outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          outlineColor: style.outlineColor, width: box.width, height: box.height};
}
"""


def violations(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no
        # inline scripts) stays as it is, and nothing is fetched.
        page.evaluate(axe_source() + "\n;undefined")
        assert page.evaluate("() => typeof axe.run") == "function"
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def assert_no_violations(page: Page, where: str) -> None:
    found = violations(page)
    lines = [f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(
        f"{n['target']}\n      {n['html']}\n      {n['summary']}" for n in v["nodes"][:5])
        for v in found]
    assert not found, f"axe-core found, {where}:\n" + "\n".join(lines)


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def contrast_with_white(css_colour: str) -> float:
    """WCAG contrast ratio of an opaque `rgb(r, g, b)` colour against white."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+(?:\.\d+)?", css_colour)[:3])

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return 1.05 / (luminance + 0.05)


def assert_focus_visible(el: dict) -> None:
    """A ring a sighted keyboard user sees: at least 2 px, 3:1 against the white page."""
    assert el["outlineStyle"] != "none", f"no focus ring on {el}"
    assert el["outlineWidth"] >= 2, f"a thin focus ring on {el}"
    assert contrast_with_white(el["outlineColor"]) >= 3, f"faint focus ring on {el}"


def tab_to(page: Page, matches, what: str, key: str = "Tab", limit: int = 120) -> dict:
    """Press `key` until the focused element satisfies `matches`; every stop on the way shows
    its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        el = focused(page)
        if el is not None:
            assert_focus_visible(el)
            if matches(el):
                return el
    raise AssertionError(f"{key} never reached {what}")


def button(name: str):
    return lambda el: el["tag"] == "button" and el["name"] == name


# axe-core ---------------------------------------------------------------------------------------
def test_axe_finds_nothing_serious_in_the_page_its_share_dialog_and_the_step_through(
        app: Page) -> None:
    assert_no_violations(app, "in the page as it opens")
    app.get_by_role("button", name="Share").click()
    expect(app.locator("#share")).to_be_visible()
    assert_no_violations(app, "with the Share dialog open")
    app.keyboard.press("Escape")
    expect(app.locator("#share")).to_be_hidden()
    next_phase = app.get_by_role("button", name="Next phase")
    for phase in ("Forward", "Loss", "Backward"):
        next_phase.click()
        expect(app.get_by_text(f"▶ {phase}")).to_be_visible()
    app.wait_for_timeout(1500)  # the backward animation has run
    assert_no_violations(app, "in the step-through's Backward phase")
    next_phase.click()
    expect(app.locator(".pg-update")).to_be_visible()
    assert_no_violations(app, "in the step-through's Update phase, with its table")


def test_axe_finds_nothing_serious_in_embed_mode(page: Page, site_url: str) -> None:
    page.goto(site_url + "?embed#dataset=spiral3&showTestData=true")
    wait_ready(page)
    assert_no_violations(page, "in embed mode")


def test_the_network_drawing_has_a_text_alternative_that_follows_the_shape(app: Page) -> None:
    description = app.locator(".pg-network-description [role=status]")
    expect(description).to_have_text(re.compile(
        r"^Network: 2 inputs \(X₁, X₂\), hidden layers of 4 and 2 neurons, 1 output\."))
    app.get_by_role("button", name="+ layer").click()
    expect(description).to_contain_text("hidden layers of 4, 2 and 2 neurons")
    box = app.locator(".pg-network-description").bounding_box()
    assert box is not None
    assert box["width"] <= 1  # read, not drawn
    assert box["height"] <= 1


# the keyboard -----------------------------------------------------------------------------------
def test_the_first_40_tab_stops_are_named_and_show_their_focus(app: Page) -> None:
    seen = []
    for _ in range(40):
        app.keyboard.press("Tab")
        el = focused(app)
        assert el is not None, f"Tab left the app after {[e['name'] for e in seen]}"
        assert_focus_visible(el)
        assert el["width"] > 0, el
        assert el["height"] > 0, el
        if not el["canvas"]:  # a figure's canvas takes the focus for Bokeh's own key tools
            assert el["name"], f"a control without an accessible name: {el}"
        seen.append(el)
    names = [e["name"] for e in seen]
    for name in ("Play", "Step", "Reset", "+ layer", "Choose a weight to edit",
                 "Show test data", "Discretize output", "Dataset", "X₁", "Learning rate"):
        assert name in names, f"{name!r} not among the first 40 tab stops: {names}"
    checkboxes = [e["name"] for e in seen if e["type"] == "checkbox"]
    assert checkboxes[:2] == ["Show test data", "Discretize output"]
    assert checkboxes[2:] == ["X₁", "X₂", "X₁²", "X₂²", "X₁X₂", "sin(X₁)", "sin(X₂)",
                              "cos(X₁)", "cos(X₂)"]


def test_the_keyboard_alone_trains_changes_the_data_steps_through_and_shares(
        app: Page) -> None:
    keys = app.keyboard
    # Play, then Pause: Enter on the focused button
    tab_to(app, button("Play"), "Play")
    keys.press("Enter")
    wait_for(app, lambda: epoch(app) > 3, "training to start")
    assert focused(app)["name"] == "Pause"  # the focus stays on the button
    keys.press("Enter")
    expect(app.get_by_role("button", name="Play")).to_be_visible()

    # Space works as well: Step trains one epoch
    tab_to(app, button("Step"), "Step")
    before = epoch(app)
    keys.press("Space")
    wait_for(app, lambda: epoch(app) == before + 1, "one step")

    # a checkbox, by its label
    tab_to(app, lambda el: el["name"] == "Show test data", "Show test data")
    keys.press("Space")
    wait_for(app, lambda: "showTestData=true" in app.url, "the link to follow the checkbox")

    # the Dataset select: the arrow keys choose
    tab_to(app, lambda el: el["tag"] == "select" and el["name"] == "Dataset", "Dataset")
    keys.press("ArrowDown")
    expect(dataset_menu(app)).to_have_value("Exclusive or")
    wait_for(app, lambda: "dataset=xor" in app.url, "the link to follow the dataset")

    # the step-through, phase by phase
    tab_to(app, button("Next phase"), "Next phase")
    keys.press("Enter")
    expect(app.get_by_text("▶ Forward")).to_be_visible()
    keys.press("Space")
    expect(app.get_by_text("▶ Loss")).to_be_visible()
    # and back out of it: Back to training comes right after Next phase
    tab_to(app, button("Back to training"), "Back to training")
    keys.press("Enter")
    expect(app.get_by_text("▶ Loss")).to_be_hidden()

    # the Share dialog: Enter opens it with the focus inside, Escape closes it and the focus
    # goes back to the button
    tab_to(app, button("Share"), "Share")
    keys.press("Enter")
    dialog = app.locator("#share")
    expect(dialog).to_be_visible()
    assert app.evaluate("() => document.activeElement.id") == "share-link"
    tab_to(app, lambda el: el["name"] == "Copy link", "Copy link", limit=3)
    keys.press("Escape")
    expect(dialog).to_be_hidden()
    assert focused(app)["name"] == "Share"

    # Shift+Tab walks back the same way
    tab_to(app, button("Next phase"), "Next phase, backwards", key="Shift+Tab")


def test_the_keyboard_alone_edits_a_weight_and_switches_a_feature(app: Page) -> None:
    keys = app.keyboard
    # a weight: chosen from the list (the drawing's lines are for pointers), then typed
    tab_to(app, lambda el: el["tag"] == "select" and el["name"] == "Choose a weight to edit",
           "the weight list")
    keys.press("ArrowDown")  # the first line: X₁ → neuron 1 of layer 1
    field = app.get_by_label("Weight X₁ → neuron 1 of layer 1", exact=True)
    expect(field).to_be_visible()
    tab_to(app, lambda el: el["name"] == "Weight X₁ → neuron 1 of layer 1", "the weight field",
           limit=3)
    keys.press("Control+A")
    keys.type("4.5")
    keys.press("Enter")
    wait_for(app, lambda: app.evaluate(FIRST_WEIGHT) == 4.5, "the line to take the new weight")

    # a feature: its checkbox, by its label
    tab_to(app, lambda el: el["type"] == "checkbox" and el["name"] == "X₁X₂", "X₁X₂")
    keys.press("Space")
    wait_for(app, lambda: "xTimesY=true" in app.url, "the link to follow the feature")
    expect(app.locator(".pg-network-description")).to_contain_text("3 inputs (X₁, X₂, X₁X₂)")


# The weight of the network drawing's first line (X₁ → neuron 1 of layer 1).
FIRST_WEIGHT = """
() => {
  function find(view) {
    if (view.model && view.model.name === "network") return view;
    for (const child of (view.child_views || [])) {
      const hit = find(child);
      if (hit) return hit;
    }
    return null;
  }
  for (const root of Object.values(Bokeh.index)) {
    const view = find(root);
    if (view) {
      const data = view.model.renderers[0].data_source.data;
      return (data instanceof Map ? data.get("w") : data.w)[0];
    }
  }
  return null;
}
"""
