"""The page as a visitor meets it, in headless Chromium: start, bytes, training, memory; and,
given an older build, the same for it, alternating the two in one session (this machine's speed
drifts by a quarter over a day: only figures measured side by side compare).

Per link (the default one, a lesson link, `?embed`), each visit in a fresh browser profile (its
HTTP cache on disk, as a visitor's is; service workers blocked, as on a first visit: the page
registers its own only once it is live and idle): navigation -> the first training step on
screen (Play pressed the moment the page takes it; the page's own mark), -> every control
answers (the page's `ready`), the bytes and requests until then (gzip -6 of what was sent, as
GitHub Pages compresses). While training (circle, 2-4-2-1): the page's frames per second and
its long tasks (over 50 ms), epochs per second, Pause until a painted frame shows Play; and
the memory of all Chromium processes (PSS) after 60 s of training. Everything once more under
CDP `Emulation.setCPUThrottlingRate` 4, the nearest thing here to a classroom tablet.

`python bench/light.py [--old DIR] [--runs N]` prints the markdown; with `--out FILE` writes it
(bench/run.py includes bench/LIGHT.md, as it does SOAK.md).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "build"))
from chromium import visitor  # noqa: E402
from serve import SiteHandler  # noqa: E402
from soak import chromium_memory  # noqa: E402

LINKS = {"default link": "", "lesson link": "#dataset=xor&networkShape=4,2&activation=relu"
         "&learningRate=0.03&seed=7&noise=10", "`?embed`": "?embed"}
EPOCH = re.compile(r"^Epoch (\d+)$")
PLAYABLE = ("() => (window.playground && (window.playground.interactive || "
            "window.playground.ready)) || "
            "(!document.getElementById('loading-error').hidden && 'failed')")
READY = "() => window.playground && window.playground.ready"
WARMUP_S, WINDOW_S, MEMORY_S = 2.0, 5.0, 60.0
# From the page's start: every long task, and a frame counter.
WATCH = """
window.__longTasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({type: "longtask", buffered: true});
} catch (err) {}
window.__frames = 0;
(function count() { window.__frames += 1; requestAnimationFrame(count); })();
"""
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


class Served:
    """One build served from 127.0.0.1, counting what it sends."""

    def __init__(self, root: Path) -> None:
        self.sent: list[tuple[str, bytes]] = []
        served = self

        class Handler(SiteHandler):
            def end_headers(self) -> None:
                self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
                super().end_headers()

            def copyfile(self, source, outputfile) -> None:
                data = source.read()
                served.sent.append((self.path, data))
                outputfile.write(data)

        handler = functools.partial(Handler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.verbose = False  # type: ignore[attr-defined]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def count(self) -> dict:
        sizes = _gzip_sizes(tuple((p, len(d)) for p, d in self.sent), self.sent)
        return {"bytes": sum(len(d) for _, d in self.sent), "gzip": sizes,
                "requests": len(self.sent)}

    def stop(self) -> None:
        self.server.shutdown()


_GZ: dict[tuple[str, int], int] = {}


def _gzip_sizes(keys: tuple, sent: list[tuple[str, bytes]]) -> int:
    total = 0
    for key, (_, data) in zip(keys, sent, strict=True):
        if key not in _GZ:
            _GZ[key] = len(gzip.compress(data, compresslevel=6))
        total += _GZ[key]
    return total


@contextlib.contextmanager
def opened(p, url: str, throttle: float = 1.0, **options):
    """A fresh visitor's page at `url`, CPU throttled `throttle` times (1: not at all)."""
    with visitor(p, service_workers="block", viewport={"width": 1280, "height": 800},
                 **options) as context:
        context.add_init_script(WATCH)
        page = context.new_page()
        if throttle != 1.0:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(url)
        yield page


def epoch(page: Page) -> int:
    return int(EPOCH.match(page.get_by_text(EPOCH).inner_text().strip()).group(1))


def start(p, served: Served, link: str, throttle: float) -> dict:
    served.sent.clear()
    with opened(p, served.url + link, throttle) as page:
        if page.wait_for_function(PLAYABLE, timeout=300_000, polling=10).json_value() == \
                "failed":
            raise RuntimeError(page.locator("#loading-error").inner_text())
        page.get_by_role("button", name="Play").click()
        page.get_by_text(re.compile(r"^Epoch [1-9]\d*$")).wait_for(timeout=300_000)
        page.wait_for_function(READY, timeout=300_000, polling=10)
        timings = page.evaluate("window.playground.timings")
        counted = served.count()
        page.get_by_role("button", name="Pause").click()
    return {"first_step": timings["first_epoch"] / 1000, "controls": timings["ready"] / 1000,
            **counted}


OFFLINE = ("() => window.playground && ['ready', 'incomplete', 'unavailable']"
           ".includes(window.playground.offline) && window.playground.offline")


def with_service_worker(p, served: Served) -> dict:
    """A first visit as visitors make it, service worker allowed: the start, and then, once
    the page registered it (live and idle) and it kept every file, what was sent in all and
    how often the 10 MB runtime was."""
    served.sent.clear()
    with visitor(p, viewport={"width": 1280, "height": 800}) as context:
        page = context.new_page()
        page.goto(served.url)
        page.wait_for_function(PLAYABLE, timeout=300_000, polling=10)
        page.get_by_role("button", name="Play").click()
        page.get_by_text(re.compile(r"^Epoch [1-9]\d*$")).wait_for(timeout=300_000)
        page.wait_for_function(READY, timeout=300_000, polling=10)
        timings = page.evaluate("window.playground.timings")
        state = page.wait_for_function(OFFLINE, timeout=300_000).json_value()
        counted = served.count()
        wasm = sum(path.endswith("pyodide.asm.wasm") for path, _ in served.sent)
    return {"first_step": timings["first_epoch"] / 1000, "controls": timings["ready"] / 1000,
            "offline": state, "all_gzip": counted["gzip"], "wasm_sent": wasm}


def training(p, served: Served, throttle: float, memory: bool) -> dict:
    """Frames, long tasks, epochs/s and Pause while training circle 2-4-2-1."""
    with opened(p, served.url, throttle) as page:
        page.wait_for_function(READY, timeout=300_000, polling=10)
        page.get_by_role("button", name="Play").click()
        page.wait_for_timeout(WARMUP_S * 1000)
        f0, e0, t0 = page.evaluate("window.__frames"), epoch(page), time.perf_counter()
        w0 = page.evaluate("performance.now()")
        page.wait_for_timeout(WINDOW_S * 1000)
        f1, e1, t1 = page.evaluate("window.__frames"), epoch(page), time.perf_counter()
        w1 = page.evaluate("performance.now()")
        tasks = [d for s, d in page.evaluate("window.__longTasks") if w0 <= s <= w1]
        row = {"fps": (f1 - f0) / (t1 - t0), "epochs_per_s": (e1 - e0) / (t1 - t0),
               "long_task_ms_per_10s": sum(tasks) / (w1 - w0) * 10_000,
               "longest_task_ms": max(tasks, default=0.0)}
        if memory:
            page.wait_for_timeout((MEMORY_S - WARMUP_S - WINDOW_S) * 1000)
            row["memory_mb"] = chromium_memory()["browser_mb"]
        row["pause_ms"] = page.evaluate(PAUSE_JS, page.get_by_role(
            "button", name="Pause").element_handle())
    return row


def measure(builds: dict[str, Path], runs: int = 5) -> dict:
    """builds: name -> site folder. Every measure alternates the builds, run after run."""
    served = {name: Served(root) for name, root in builds.items()}
    out: dict = {"load": [os.getloadavg()[0]]}
    try:
        with sync_playwright() as p:
            for throttle in (1.0, 4.0):
                for link_name, link in LINKS.items():
                    for _ in range(runs if throttle == 1.0 else max(1, runs // 2)):
                        for name, s in served.items():
                            out.setdefault((name, throttle, link_name), []).append(
                                start(p, s, link, throttle))
                for i in range(3):
                    for name, s in served.items():
                        out.setdefault((name, throttle, "training"), []).append(
                            training(p, s, throttle, memory=(i == 0 and throttle == 1.0)))
            for _ in range(3):
                for name, s in served.items():
                    out.setdefault((name, 1.0, "service worker"), []).append(
                        with_service_worker(p, s))
    finally:
        for s in served.values():
            s.stop()
    out["load"].append(os.getloadavg()[0])
    return out


def _median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if key in r]
    return statistics.median(values) if values else None


def markdown(result: dict, builds: list[str]) -> str:
    def cell(rows, key, fmt):
        value = _median(rows, key)
        return "–" if value is None else fmt.format(value)

    head = "| | " + " | ".join(builds) + " |"
    rule = "| --- |" + " ---: |" * len(builds)
    lines = []
    for throttle in (1.0, 4.0):
        title = "quiet machine" if throttle == 1.0 else "CPU throttled 4x (CDP)"
        lines += [f"**{title}** (medians)", "", head, rule]
        for link in LINKS:
            rows = {b: result.get((b, throttle, link), []) for b in builds}
            lines.append(f"| {link}: navigation -> first training step | " + " | ".join(
                cell(rows[b], "first_step", "{:.2f} s") for b in builds) + " |")
            lines.append(f"| {link}: navigation -> every control answers | " + " | ".join(
                cell(rows[b], "controls", "{:.2f} s") for b in builds) + " |")
        rows = {b: result.get((b, throttle, "default link"), []) for b in builds}
        lines.append("| bytes until every control answers (gzip -6), default link | " +
                     " | ".join(cell([{"mb": r["gzip"] / 1e6} for r in rows[b]], "mb",
                                     "{:.2f} MB") for b in builds) + " |")
        lines.append("| requests until then | " + " | ".join(
            cell(rows[b], "requests", "{:.0f}") for b in builds) + " |")
        rows = {b: result.get((b, throttle, "training"), []) for b in builds}
        for key, label, fmt in (("fps", "page frames/s while training", "{:.1f}"),
                                ("long_task_ms_per_10s", "long-task time per 10 s", "{:.0f} ms"),
                                ("longest_task_ms", "longest task", "{:.0f} ms"),
                                ("epochs_per_s", "epochs/s (live views)", "{:.0f}"),
                                ("pause_ms", "Pause -> Play painted", "{:.0f} ms"),
                                ("memory_mb", f"all Chromium processes (PSS) after "
                                              f"{MEMORY_S:.0f} s of training", "{:.0f} MB")):
            if any(_median(rows[b], key) is not None for b in builds):
                lines.append(f"| {label} | " + " | ".join(cell(rows[b], key, fmt)
                                                          for b in builds) + " |")
        lines.append("")
    rows = {b: result.get((b, 1.0, "service worker"), []) for b in builds}
    if any(rows.values()):
        lines += ["**first visit with the service worker allowed** (as visitors have it; "
                  "medians)", "", head, rule]
        lines.append("| navigation -> first training step | " + " | ".join(
            cell(rows[b], "first_step", "{:.2f} s") for b in builds) + " |")
        lines.append("| navigation -> every control answers | " + " | ".join(
            cell(rows[b], "controls", "{:.2f} s") for b in builds) + " |")
        lines.append("| all it downloads, offline copy included (gzip -6) | " + " | ".join(
            cell([{"mb": r["all_gzip"] / 1e6} for r in rows[b]], "mb", "{:.2f} MB")
            for b in builds) + " |")
        lines.append("| times the 10 MB runtime was downloaded | " + " | ".join(
            cell(rows[b], "wasm_sent", "{:.0f}") for b in builds) + " |")
        lines.append("")
    load = result["load"]
    lines.append(f"Load average {load[0]:.1f} before, {load[-1]:.1f} after.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "site")
    parser.add_argument("--old", type=Path, help="an older build's site folder, to compare")
    parser.add_argument("--old-name", default="before")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    builds = {"this build": args.site}
    if args.old:
        builds = {args.old_name: args.old, **builds}
    text = markdown(measure(builds, args.runs), list(builds))
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
