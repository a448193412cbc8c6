"""Startup benchmark: the built site in headless Chromium, served from 127.0.0.1.

Measures, per run in a fresh browser context (a first visit: empty HTTP cache):
navigation -> app ready, navigation -> first training step (Play clicked as soon as the app is
ready), bytes and requests served. Bytes are counted at the server as sent (no compression),
and also as gzip -6 of the same files, which is what a static host such as GitHub Pages sends.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "build"))
from serve import SiteHandler  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class CountingHandler(SiteHandler):
    counter: dict = {}

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        self.counter["bytes"] += len(data)
        self.counter["gzip"] += _gzip_size(self.path, data)
        self.counter["requests"] += 1
        outputfile.write(data)


_GZIP_SIZES: dict[tuple[str, int], int] = {}


def _gzip_size(path: str, data: bytes) -> int:
    key = (path, len(data))
    if key not in _GZIP_SIZES:
        _GZIP_SIZES[key] = len(gzip.compress(data, compresslevel=6))
    return _GZIP_SIZES[key]


def launch(p):
    kwargs = {"args": ARGS}
    if Path(CHROMIUM).exists():
        kwargs["executable_path"] = CHROMIUM
    return p.chromium.launch(**kwargs)


def measure(runs: int = 5) -> dict:
    counter = {"bytes": 0, "gzip": 0, "requests": 0}
    CountingHandler.counter = counter
    handler = functools.partial(CountingHandler, directory=str(REPO / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.verbose = False  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(runs):
            counter.update(bytes=0, gzip=0, requests=0)
            context = browser.new_context(service_workers="block")
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("window.playground && window.playground.ready", timeout=120_000)
            ready = page.evaluate("window.playground.timings.ready")
            page.get_by_role("button", name="Play").click()
            page.get_by_text(re.compile(r"^Epoch [1-9]\d*$")).wait_for(timeout=30_000)
            first_step = page.evaluate("performance.now()")
            page.get_by_role("button", name="Pause").click()
            rows.append({"ready_ms": ready, "first_step_ms": first_step, **counter})
            context.close()
        browser.close()
    server.shutdown()
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    return {"runs": rows, "median": med}


def markdown(result: dict) -> str:
    m = result["median"]
    n = len(result["runs"])
    return "\n".join([
        f"| figure (median of {n} first visits) | value |",
        "| --- | --- |",
        f"| navigation -> app ready | {m['ready_ms'] / 1000:.2f} s |",
        f"| navigation -> first training step | {m['first_step_ms'] / 1000:.2f} s |",
        f"| bytes served (uncompressed) | {m['bytes'] / 1e6:.1f} MB |",
        f"| bytes on the wire with gzip -6 (as GitHub Pages serves) | {m['gzip'] / 1e6:.1f} MB |",
        f"| requests | {m['requests']:.0f} |",
    ])


if __name__ == "__main__":
    print(markdown(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
