"""Startup benchmark: the built site in headless Chromium, served from 127.0.0.1.

First visit (a fresh browser context each run: empty HTTP cache, service workers blocked, as a
visitor's first page load is: the service worker registers only after the app is ready):
navigation -> app ready and -> first training step (Play clicked as soon as the app is
ready), where the time goes (the worker's start-up marks, site/js/worker.js), and the bytes
and requests served. Bytes are counted at the server as sent (the test server does not
compress), and as gzip -6 of the same responses, which is what GitHub Pages sends; brotli
(quality 11, what a host that pre-compresses could send) too when the `brotli` module is
installed.

Repeat visit: in the same context, after the first visit has finished and its service worker
precached the build (`window.playground.offline === "ready"`), a new page: everything comes
from the service worker's cache. Also the same with service workers blocked, from the HTTP
cache alone (the test server sends no caching headers, so Chromium revalidates heuristically).

`python bench/startup.py [runs]` prints the markdown tables; `bench/run.py --only startup`
rewrites that section of BENCHMARKS.md.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

try:
    import brotli
except ImportError:  # optional: the gzip figure is the one that matters for GitHub Pages
    brotli = None

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "build"))
from serve import SiteHandler  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
EPOCH = re.compile(r"^Epoch [1-9]\d*$")
# The time the app became ready (ms since navigation), or true if it failed to start.
READY_OR_FAILED = ("() => (window.playground && window.playground.ready && performance.now())"
                   " || !document.getElementById('loading-error').hidden")
OFFLINE = "() => window.playground && ['ready', 'incomplete', 'unavailable']" \
          ".includes(window.playground.offline) && window.playground.offline"
# The worker's marks (ms since its own time origin) -> ms since the page's navigation start.
WORKER_MARKS = """() => {
  const m = self.playgroundTimings || {};  // absent from an older worker.js
  const out = {};
  for (const [k, v] of Object.entries(m)) if (k !== "timeOrigin") out[k] = m.timeOrigin + v;
  return out;
}"""
# (key, label): each stage runs from the previous mark to this one.
STAGES = (
    ("script", "page and Bokeh/Panel JS, worker started"),
    ("loader", "pyodide.js loaded in the worker"),
    ("runtime", "Pyodide runtime (wasm, stdlib)"),
    ("packages", "packages (download, unpack)"),
    ("imported", "app import (playground, panel, bokeh)"),
    ("built", "app built, document serialized"),
    ("ready", "page embeds the document (BokehJS)"),
    ("first_step", "Play -> first epoch shown"),
)


class CountingHandler(SiteHandler):
    """Counts what it sends; the compressed sizes are computed afterwards (brotli at quality
    11 takes seconds on the wasm: never while serving)."""

    counter: dict = {}

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        self.counter["bytes"] += len(data)
        self.counter["requests"] += 1
        self.counter["sent"].append((self.path, data))
        outputfile.write(data)


_SIZES: dict[tuple[str, int], tuple[int, int]] = {}


def _compressed(sent: list[tuple[str, bytes]]) -> tuple[int, int]:
    """gzip -6 and brotli (0 without the module) sizes of these responses."""
    total = [0, 0]
    for path, data in sent:
        key = (path, len(data))
        if key not in _SIZES:
            br = len(brotli.compress(data, quality=11)) if brotli else 0
            _SIZES[key] = (len(gzip.compress(data, compresslevel=6)), br)
        total[0] += _SIZES[key][0]
        total[1] += _SIZES[key][1]
    return total[0], total[1]


def _count(counter: dict) -> dict:
    gz, br = _compressed(counter["sent"])
    return {"bytes": counter["bytes"], "gzip": gz, "brotli": br,
            "requests": counter["requests"]}


def _reset(counter: dict) -> None:
    counter.update(bytes=0, requests=0, sent=[])


def launch(p):
    kwargs = {"args": ARGS}
    if Path(CHROMIUM).exists():
        kwargs["executable_path"] = CHROMIUM
    return p.chromium.launch(**kwargs)


def _serve(counter: dict):
    CountingHandler.counter = counter
    handler = functools.partial(CountingHandler, directory=str(REPO / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.verbose = False  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _visit(page, url: str) -> dict:
    """Load the page, wait for the app, click Play, wait for the first epoch: the times."""
    page.goto(url)
    ready = page.wait_for_function(READY_OR_FAILED, timeout=180_000, polling=10).json_value()
    if ready is True:
        raise RuntimeError("the page could not start: " +
                           page.locator("#loading-error").inner_text())
    page.get_by_role("button", name="Play").click()
    page.get_by_text(EPOCH).wait_for(timeout=30_000)
    first_step = page.evaluate("performance.now()")
    page.get_by_role("button", name="Pause").click()
    row = {"ready_ms": ready, "first_step_ms": first_step}
    origin = page.evaluate("performance.timeOrigin")
    if page.workers:
        marks = page.workers[0].evaluate(WORKER_MARKS)
        row.update({f"{k}_at": v - origin for k, v in marks.items()})
    row["ready_at"], row["first_step_at"] = ready, first_step
    return row


def _stages(row: dict) -> dict:
    out, last = {}, 0.0
    for key, _ in STAGES:
        at = row.get(f"{key}_at")
        if at is None:
            continue
        out[key] = at - last
        last = at
    return out


def measure(runs: int = 5, repeat: bool = True) -> dict:
    load_before = os.getloadavg()[0]
    counter: dict = {}
    _reset(counter)
    server, url = _serve(counter)
    first, again_sw, again_http = [], [], []
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(runs):
            _reset(counter)
            context = browser.new_context(service_workers="block")
            row = _visit(context.new_page(), url)
            row.update(_count(counter), paths=[path for path, _ in counter["sent"]])
            first.append(row)
            if repeat:  # the same visitor again, HTTP cache only
                _reset(counter)
                row = _visit(context.new_page(), url)
                row.update(_count(counter))
                again_http.append(row)
            context.close()
        for _ in range(runs if repeat else 0):
            context = browser.new_context()  # service workers allowed
            page = context.new_page()
            _reset(counter)
            _visit(page, url)
            offline = page.wait_for_function(OFFLINE, timeout=120_000).json_value()
            if offline != "ready":
                raise RuntimeError(f"the service worker did not precache the build: {offline}")
            with_precache = counter["bytes"]  # the first visit's files, then the precache's
            page.close()
            _reset(counter)
            row = _visit(context.new_page(), url)
            row.update(_count(counter), first_and_precache=with_precache)
            again_sw.append(row)
            context.close()
        browser.close()
    server.shutdown()
    result = {"runs": first, "median": _median(first), "brotli": brotli is not None,
              "load": (load_before, os.getloadavg()[0])}
    if repeat:
        result["repeat_sw"] = {"runs": again_sw, "median": _median(again_sw)}
        result["repeat_http"] = {"runs": again_http, "median": _median(again_http)}
    return result


def _median(rows: list[dict]) -> dict:
    if not rows:
        return {}
    keys = [k for k in rows[0] if all(isinstance(r.get(k), int | float) for r in rows)]
    med = {k: statistics.median(r[k] for r in rows) for k in keys}
    stages = [_stages(r) for r in rows]
    med["stages"] = {k: statistics.median(s[k] for s in stages if k in s)
                     for k, _ in STAGES if all(k in s for s in stages)}
    return med


def _requests(n: float) -> str:
    return f"{n:.0f} request" + ("" if round(n) == 1 else "s")


def markdown(result: dict) -> str:
    m = result["median"]
    n = len(result["runs"])
    lines = [
        f"| figure (median of {n} visits) | value |",
        "| --- | --- |",
        f"| first visit: navigation -> app ready | {m['ready_ms'] / 1000:.2f} s |",
        f"| first visit: navigation -> first training step | {m['first_step_ms'] / 1000:.2f} s |",
    ]
    for key, label in (("repeat_sw", "repeat visit (service worker cache)"),
                       ("repeat_http", "repeat visit (HTTP cache only)")):
        if key in result and result[key]["median"]:
            r = result[key]["median"]
            lines += [f"| {label}: navigation -> first training step | "
                      f"{r['first_step_ms'] / 1000:.2f} s ({_requests(r['requests'])}, "
                      f"{r['bytes'] / 1e6:.2f} MB from the server) |"]
    if "repeat_sw" in result and result["repeat_sw"]["median"]:
        extra = result["repeat_sw"]["median"]["first_and_precache"] - m["bytes"]
        lines += [f"| service worker precaching after the first visit: bytes served beyond the "
                  f"first visit's (uncompressed) | {max(0.0, extra) / 1e6:.2f} MB |"]
    lines += [
        f"| first visit: bytes served (uncompressed) | {m['bytes'] / 1e6:.1f} MB |",
        f"| first visit: bytes on the wire with gzip -6 (as GitHub Pages serves) | "
        f"{m['gzip'] / 1e6:.2f} MB |",
    ]
    if result.get("brotli"):
        lines += [f"| first visit: bytes on the wire with brotli (quality 11, `brotli` module) | "
                  f"{m['brotli'] / 1e6:.2f} MB |"]
    lines += [f"| first visit: requests | {m['requests']:.0f} |", "",
              f"| where the first visit's time goes (median of {n}) | ms | ends at |",
              "| --- | ---: | ---: |"]
    for key, label in STAGES:
        if key in m["stages"]:
            lines.append(f"| {label} | {m['stages'][key]:.0f} | {m[key + '_at'] / 1000:.2f} s |")
    if "load" in result:
        lines += ["", f"Load average (1 min) when the runs started: {result['load'][0]:.1f}, "
                      f"when they ended: {result['load'][1]:.1f} ({os.cpu_count()} cores): work "
                      f"running beside the benchmark inflates the times, never the sizes."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
