"""Startup benchmark: the built site in headless Chromium, served from 127.0.0.1.

First visit (a fresh browser context each run: empty HTTP cache, service workers blocked, as a
visitor's first page load is: the service worker registers only after the app is ready): a
visitor who presses Play the moment the page lets them. Measured in the page (marks in
site/js/main.js, ms since navigation): the page drawn (the prerendered document), the frame
that first shows a trained epoch, and every control live (the full app took the page over);
and where the time goes, from the quick start's worker and the main worker's own marks. Bytes
and requests are counted at the server as sent (the test server does not compress), and as
gzip -6 of the same responses, which is what GitHub Pages sends; brotli (quality 11, what a
host that pre-compresses could send) too when the `brotli` module is installed.

Repeat visit: in the same context, after the first visit has finished and its service worker
precached the build (`window.playground.offline === "ready"`), a new page: everything comes
from the service worker's cache. Also the same with service workers blocked, from the HTTP
cache alone (the test server sends no caching headers, so Chromium revalidates heuristically).

A lesson link (settings in the hash: no prerender, no quick start) is measured too: it starts
the plain way, Play working once the full app is up.

`python bench/startup.py [runs]` prints the markdown tables; `bench/run.py --only startup`
rewrites that section of BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import re
import shutil
import statistics
import sys
import tempfile
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
LESSON = "#dataset=xor&networkShape=4,2&seed=7"  # a lesson link: starts the plain way
# True once Play does something (the prerendered page, or the app), or "failed".
INTERACTIVE_OR_FAILED = ("() => (window.playground && window.playground.interactive) || "
                         "(!document.getElementById('loading-error').hidden && 'failed')")
READY_OR_FAILED = ("() => (window.playground && window.playground.ready) || "
                   "(!document.getElementById('loading-error').hidden && 'failed')")
OFFLINE = "() => window.playground && ['ready', 'incomplete', 'unavailable']" \
          ".includes(window.playground.offline) && window.playground.offline"
# A worker's marks (ms since its own time origin) -> ms since the page's navigation start.
WORKER_MARKS = """() => {
  const m = self.playgroundTimings || {};
  const out = {};
  for (const [k, v] of Object.entries(m)) if (k !== "timeOrigin") out[k] = m.timeOrigin + v;
  return out;
}"""
# (key, label): each stage runs from the previous mark to this one.
QUICK_STAGES = (
    ("q_script", "page parsed js/start.js, quick-start worker started"),
    ("q_runtime", "quick start: Pyodide runtime (wasm, stdlib)"),
    ("q_packages", "quick start: numpy, param, the playground (download, unpack)"),
    ("q_imported", "quick start: engine and views' numbers imported"),
    ("q_built", "quick start: experiment built, ready for Play"),
    ("first_epoch", "Play -> first epoch on screen"),
)
PAGE_MARKS = (("painted", "page drawn (Bokeh/Panel JS parsed, prerendered document embedded)"),)
MAIN_STAGES = (
    ("m_loader", "main worker started (once the quick start is up)"),
    ("m_runtime", "main worker: Pyodide runtime"),
    ("m_packages", "main worker: packages (Panel, Bokeh, ...)"),
    ("m_imported", "main worker: app import (playground, panel, bokeh)"),
    ("m_built", "main worker: app built (the page's document, adopted)"),
    ("ready", "page: trainer handed over, every control live"),
)


class CountingHandler(SiteHandler):
    """Counts what it sends; the compressed sizes are computed afterwards (brotli at quality
    11 takes seconds on the wasm: never while serving). Sends GitHub Pages' caching header."""

    counter: dict = {}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

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
    """Chromium for the other benchmarks (live views, soak), its contexts in memory."""
    kwargs = {"args": ARGS}
    if Path(CHROMIUM).exists():
        kwargs["executable_path"] = CHROMIUM
    return p.chromium.launch(**kwargs)


@contextlib.contextmanager
def visitor(p, **options):
    """A browser with a profile of its own on disk, as a visitor's is: a disk HTTP cache (a
    context of `browser.new_context()` keeps its cache in memory, with a size cap per entry
    that the 10 MB wasm exceeds, so every worker would download it again)."""
    profile = tempfile.mkdtemp(prefix="nn-bench-")
    kwargs = {"args": ARGS, "user_data_dir": profile, **options}
    if Path(CHROMIUM).exists():
        kwargs["executable_path"] = CHROMIUM
    context = p.chromium.launch_persistent_context(**kwargs)
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


def _serve(counter: dict):
    CountingHandler.counter = counter
    handler = functools.partial(CountingHandler, directory=str(REPO / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.verbose = False  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _visit(page, url: str) -> dict:
    """Load the page, press Play as soon as it lets one, wait for the first epoch and for the
    full app: the marks, in ms since navigation."""
    page.goto(url)
    shown = page.wait_for_function(INTERACTIVE_OR_FAILED, timeout=180_000, polling=10)
    if shown.json_value() == "failed":
        raise RuntimeError("the page could not start: " +
                           page.locator("#loading-error").inner_text())
    page.get_by_role("button", name="Play").click()
    page.get_by_text(EPOCH).wait_for(timeout=60_000)
    observed = page.evaluate("performance.now()")
    if page.wait_for_function(READY_OR_FAILED, timeout=180_000, polling=10).json_value() == \
            "failed":
        raise RuntimeError("the app could not start: " +
                           page.locator("#loading-error").inner_text())
    page.get_by_role("button", name="Pause").click()
    timings = page.evaluate("window.playground.timings")
    row = {f"{k}_at": v for k, v in timings.items() if isinstance(v, int | float)}
    row["observed_at"] = observed  # as Playwright saw it (its polling adds to it)
    row["quick"] = page.evaluate("window.playground.quick")
    origin = page.evaluate("performance.timeOrigin")
    quick = page.evaluate("window.playground.quickTimings") or {}
    row.update({f"q_{k}_at": quick["timeOrigin"] + v - origin for k, v in quick.items()
                if k != "timeOrigin"})
    for worker in page.workers:
        if worker.url.endswith("/js/worker.js"):
            marks = worker.evaluate(WORKER_MARKS)
            row.update({f"m_{k}_at": v - origin for k, v in marks.items()})
    return row


def _stages(row: dict, stages: tuple, start: float = 0.0) -> dict:
    out, last = {}, start
    for key, _ in stages:
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
    first, again_sw, again_http, lesson, warm_sw = [], [], [], [], []
    with sync_playwright() as p:
        for _ in range(runs):
            _reset(counter)
            with visitor(p, service_workers="block") as context:
                row = _visit(context.new_page(), url)
                row.update(_count(counter), paths=[path for path, _ in counter["sent"]])
                first.append(row)
                if repeat:  # the same visitor again, HTTP cache only
                    _reset(counter)
                    row = _visit(context.new_page(), url)
                    row.update(_count(counter))
                    again_http.append(row)
            with visitor(p, service_workers="block") as context:
                lesson.append(_visit(context.new_page(), url + LESSON))
        for _ in range(runs if repeat else 0):
            with visitor(p) as context:  # service workers allowed
                page = context.new_page()
                _reset(counter)
                _visit(page, url)
                offline = page.wait_for_function(OFFLINE, timeout=120_000).json_value()
                if offline != "ready":
                    raise RuntimeError(f"the service worker did not precache the build: "
                                       f"{offline}")
                with_precache = counter["bytes"]  # the first visit's files, then the precache's
                page.close()
                _reset(counter)
                row = _visit(context.new_page(), url)
                row.update(_count(counter), first_and_precache=with_precache)
                again_sw.append(row)
                _reset(counter)
                row = _visit(context.new_page(), url)  # and once more
                row.update(_count(counter))
                warm_sw.append(row)
    server.shutdown()
    result = {"runs": first, "median": _median(first), "brotli": brotli is not None,
              "load": (load_before, os.getloadavg()[0]),
              "lesson": {"runs": lesson, "median": _median(lesson)}}
    if repeat:
        result["repeat_sw"] = {"runs": again_sw, "median": _median(again_sw)}
        result["warm_sw"] = {"runs": warm_sw, "median": _median(warm_sw)}
        result["repeat_http"] = {"runs": again_http, "median": _median(again_http)}
    return result


def _median(rows: list[dict]) -> dict:
    if not rows:
        return {}
    keys = [k for k in rows[0] if all(isinstance(r.get(k), int | float) for r in rows)]
    med = {k: statistics.median(r[k] for r in rows) for k in keys}
    for name, stages, start in (("quick_stages", QUICK_STAGES, 0.0),
                                ("main_stages", MAIN_STAGES, None)):
        per_run = [_stages(r, stages, r.get("q_built_at", 0.0) if start is None else start)
                   for r in rows]
        med[name] = {k: statistics.median(s[k] for s in per_run)
                     for k, _ in stages if all(k in s for s in per_run)}
    return med


def _requests(n: float) -> str:
    return f"{n:.0f} request" + ("" if round(n) == 1 else "s")


def _s(ms: float) -> str:
    return f"{ms / 1000:.2f} s"


def markdown(result: dict) -> str:
    m = result["median"]
    n = len(result["runs"])
    lines = [
        f"| figure (median of {n} visits; Play pressed the moment the page allows) | value |",
        "| --- | --- |",
        f"| first visit: navigation -> the page drawn (prerendered) | {_s(m['painted_at'])} |",
        f"| first visit: navigation -> first training step on screen | "
        f"{_s(m['first_epoch_at'])} (seen by Playwright at {_s(m['observed_at'])}) |",
        f"| first visit: navigation -> every control live (full app, training meanwhile) | "
        f"{_s(m['ready_at'])} |",
    ]
    for key, label in (("repeat_sw", "repeat visit (service worker cache)"),
                       ("warm_sw", "the visit after that (service worker cache, warm)"),
                       ("repeat_http", "repeat visit (HTTP cache only)")):
        if key in result and result[key]["median"]:
            r = result[key]["median"]
            lines += [f"| {label}: navigation -> first training step on screen | "
                      f"{_s(r['first_epoch_at'])} (drawn at {_s(r['painted_at'])}, every "
                      f"control at {_s(r['ready_at'])}; {_requests(r['requests'])}, "
                      f"{r['bytes'] / 1e6:.2f} MB from the server) |"]
    if result.get("lesson", {}).get("median"):
        r = result["lesson"]["median"]
        lines += [f"| first visit of a lesson link (`{LESSON}`: no quick start): navigation "
                  f"-> first training step on screen | {_s(r['first_epoch_at'])} (every "
                  f"control at {_s(r['ready_at'])}) |"]
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
    lines += [f"| first visit: requests | {m['requests']:.0f} |", ""]
    lines += [f"| where the first visit's time goes (median of {n}) | ms | ends at |",
              "| --- | ---: | ---: |"]
    for key, label in QUICK_STAGES:
        if key in m["quick_stages"]:
            lines.append(f"| {label} | {m['quick_stages'][key]:.0f} | {_s(m[key + '_at'])} |")
    for key, label in PAGE_MARKS:
        lines.append(f"| {label} | | {_s(m[key + '_at'])} |")
    for key, label in MAIN_STAGES:
        if key in m["main_stages"]:
            lines.append(f"| {label} | {m['main_stages'][key]:.0f} | {_s(m[key + '_at'])} |")
    if result.get("repeat_sw", {}).get("median"):
        r = result["repeat_sw"]["median"]
        stages = ", ".join(f"{label.split(': ')[-1]} {r['quick_stages'][key]:.0f} ms"
                           for key, label in QUICK_STAGES if key in r["quick_stages"])
        lines += ["", f"Repeat visit (service worker cache), the quick start's stages: {stages}; "
                      f"the page drawn at {_s(r['painted_at'])}."]
    if "load" in result:
        lines += ["", f"Load average (1 min) when the runs started: {result['load'][0]:.1f}, "
                      f"when they ended: {result['load'][1]:.1f} ({os.cpu_count()} cores): work "
                      f"running beside the benchmark inflates the times, never the sizes."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
