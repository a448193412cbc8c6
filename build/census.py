"""Which Python files the page imports: `python build/census.py` (after `make site`).

Runs the built site in headless Chromium, uses the app (Play, Pause, Step, the step-through's
phases, several datasets, a few settings, save a model, Share, the pictures), then
lists every module the worker's Python has loaded, as paths inside the shipped wheels and the
standard library zip. The list is written to build/sitebuilder/startup-modules.txt.

The site build compiles exactly those files to .pyc (no compile in the browser, where it is
slow) and ships every other file as source (smaller; compiled in the browser the first time
something imports it). The list only trades bytes against start-up time: a file missing from
it still works. Run this again after changing a pinned version or the app's imports; a test
(tests/build/test_compile.py) checks that every listed file still exists.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

BUILD = Path(__file__).resolve().parent
REPO = BUILD.parent
sys.path.insert(0, str(BUILD))
from serve import make_server  # noqa: E402
from sitebuilder.compile import STARTUP_LIST  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

LIST = r"""
import sys
out = []
for name, module in list(sys.modules.items()):
    path = getattr(module, "__file__", None) or ""
    for root in ("/lib/python3.12/site-packages/", "/lib/python312.zip/"):
        if path.startswith(root) and path.endswith((".py", ".pyc")):
            path = path[len(root):]
            out.append(path[:-1] if path.endswith(".pyc") else path)
"\n".join(sorted(set(out)))
"""


def run_python(worker, code: str) -> str:
    """Run `code` in the worker's Python; return the value of its last line, as a string."""
    return worker.evaluate("([code]) => String(self.playgroundPython.runPython(code))", [code])


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the shown select labelled `label`."""
    page.get_by_label(label, exact=True).locator("visible=true").select_option(label=option)
    time.sleep(0.5)


def census(site: Path) -> list[str]:
    server = make_server(site, 0)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        kwargs = {"args": ARGS}
        if CHROMIUM.exists():
            kwargs["executable_path"] = str(CHROMIUM)
        browser = p.chromium.launch(**kwargs)
        page = browser.new_context(service_workers="block").new_page()
        page.goto(url)
        page.wait_for_function("(window.playground && window.playground.ready) || "
                               "!document.getElementById('loading-error').hidden",
                               timeout=300_000)
        if not page.evaluate("window.playground.ready"):
            raise RuntimeError(page.locator("#loading-error").inner_text())
        worker = next(w for w in page.workers if w.url.endswith("/js/worker.js"))
        page.get_by_role("button", name="Play").click()
        page.get_by_text(re.compile(r"^Epoch [1-9]\d*$")).wait_for(timeout=60_000)
        time.sleep(1)
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Step", exact=True).click()
        for _ in range(5):
            page.get_by_role("button", name="Next phase").click()
            time.sleep(0.5)
        page.get_by_role("button", name="Back to training").click()
        with page.expect_download():
            page.get_by_role("button", name=re.compile("Save model")).click()
        for name in ("Share", "Picture of the network"):
            button = page.get_by_role("button", name=name)
            if button.count():
                button.first.click()
                page.keyboard.press("Escape")
        for dataset in ("Spiral", "Exclusive or", "Gaussian", "Digits (8x8 images)", "Circle"):
            choose(page, "Dataset", dataset)
            page.get_by_role("button", name="Step", exact=True).click()
        for label, option in (("Activation", "ReLU"), ("Learning rate", "0.1"),
                              ("Regularization", "L2"), ("Optimizer", "Adam"),
                              ("Problem type", "Regression"), ("Problem type", "Classification")):
            choose(page, label, option)
        page.get_by_role("button", name="+ layer").click()
        time.sleep(1)
        files = run_python(worker, LIST).split("\n")
        browser.close()
    server.shutdown()
    return [f for f in files if f]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "site")
    parser.add_argument("--out", type=Path, default=STARTUP_LIST)
    args = parser.parse_args(argv)
    files = census(args.site)
    head = ["# Python files the page imports (build/census.py writes this; see its docstring).",
            "# The site build compiles these to .pyc and ships the rest as source."]
    args.out.write_text("\n".join(head + files) + "\n")
    print(f"{len(files)} files -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
