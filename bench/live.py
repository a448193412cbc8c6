"""Training with the views live, in headless Chromium: epochs/s, view refreshes/s, Pause latency.

Two networks: TensorFlow Playground's default (2-4-2-1 tanh, circle) and the largest the UI
builds (six hidden layers of 8, spiral), set up by clicking the page's own buttons. Each run
trains for a warm-up, then counts epochs and painted refreshes over a window, then clicks
Pause and times how long until the page shows Play again (the worker stopped and said so).
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "e2e"))
from chromium import launch  # noqa: E402
from conftest import SITE, StaticServer  # noqa: E402

EPOCH = re.compile(r"^Epoch (\d+)$")
WARMUP_S = 2.0
WINDOW_S = 6.0


# Click Pause in the page and time, in the page, until a painted frame shows Play: the
# worker's reply arrived and was drawn. (Timed by Playwright from outside, its own round trips
# added 30-60 ms.) BokehJS draws a relabelled button anew, in the same shadow root.
PAUSE_JS = """async (button) => {
  const root = button.getRootNode();
  const t0 = performance.now();
  button.click();
  for (;;) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = root.querySelector("button");
    if (now && now.textContent.trim() === "Play") return performance.now() - t0;
    if (performance.now() - t0 > 10000) throw new Error("Pause did not take effect");
  }
}"""


def epoch(page: Page) -> int:
    return int(EPOCH.match(page.get_by_text(EPOCH).inner_text().strip()).group(1))


def make_deep(page: Page) -> None:
    """Spiral, six hidden layers of eight neurons."""
    page.get_by_label("Dataset", exact=True).locator("visible=true").select_option(label="Spiral")
    for _ in range(4):
        page.get_by_role("button", name="+ layer").click()
    for layer in range(6):
        label = page.get_by_text(re.compile(rf"^Layer {layer + 1}: \d+ neurons?$"))
        while (n := int(label.inner_text().split(":")[1].split()[0])) < 8:
            page.get_by_role("button", name="+ neuron").nth(layer).click()
            # the next click only once this one shows (at 8 the button is disabled)
            page.get_by_text(re.compile(rf"^Layer {layer + 1}: {n + 1} neurons$")).wait_for()
    page.get_by_text("Layer 6: 8 neurons").wait_for()


def run_once(page: Page) -> dict:
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(WARMUP_S * 1000)
    e0, p0, t0 = epoch(page), page.evaluate("window.playground.patches"), time.perf_counter()
    page.wait_for_timeout(WINDOW_S * 1000)
    e1, p1, t1 = epoch(page), page.evaluate("window.playground.patches"), time.perf_counter()
    pause_ms = page.evaluate(PAUSE_JS, page.get_by_role("button", name="Pause").element_handle())
    page.get_by_role("button", name="Play").wait_for()
    stopped = epoch(page)
    page.wait_for_timeout(500)
    assert epoch(page) == stopped, "training went on after Pause"
    # The same, timed from outside as before (Playwright's click, then its wait for Play).
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(1000)
    start = time.perf_counter()
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    outside_ms = (time.perf_counter() - start) * 1000
    heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
    return {"epochs_per_s": (e1 - e0) / (t1 - t0), "refreshes_per_s": (p1 - p0) / (t1 - t0),
            "pause_ms": pause_ms, "pause_outside_ms": outside_ms, "heap_mb": heap / 1e6}


def measure(runs: int = 3) -> dict:
    server = StaticServer(SITE)
    results: dict[str, list[dict]] = {"2-4-2-1 tanh, circle": [], "2-8x6-1 tanh, spiral": []}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for name, rows in results.items():
                context = browser.new_context(service_workers="block",
                                              viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(server.url)
                page.wait_for_function("window.playground && window.playground.ready",
                                       timeout=120_000)
                if "8x6" in name:
                    make_deep(page)
                for _ in range(runs):
                    rows.append(run_once(page))
                context.close()
            browser.close()
    finally:
        server.stop()
    return {name: {k: statistics.median(r[k] for r in rows) for k in rows[0]}
            for name, rows in results.items()}


def markdown(result: dict) -> str:
    lines = ["| network, data (median of 3 runs) | epochs/s | view refreshes/s | "
             "Pause -> stopped | same, timed by Playwright | JS heap |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, m in result.items():
        lines.append(f"| {name} | {m['epochs_per_s']:.0f} | {m['refreshes_per_s']:.1f} | "
                     f"{m['pause_ms']:.0f} ms | {m['pause_outside_ms']:.0f} ms | "
                     f"{m['heap_mb']:.0f} MB |")
    lines += ["", f"Views live (network lines every refresh, heatmaps at most 10 per second), "
                  f"batch 10, 50 % training data; {WARMUP_S:.0f} s warm-up, then a "
                  f"{WINDOW_S:.0f} s window. Refreshes are patches the page applied. Pause is "
                  "timed in the page, from the click until a painted frame shows Play again; "
                  "timed by Playwright, it adds Playwright's own round trips (its click, "
                  "then its polling for the Play label)."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(measure()))
