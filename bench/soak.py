"""`make soak`: train in headless Chromium for a long time and watch memory and speed.

The built site is served from 127.0.0.1 and trained with Play for `--minutes` (30 by default).
Every `--interval` seconds (30) one sample records:

- epochs/s and view refreshes/s over the interval (the page's "Epoch N" and the patches it
  applied, window.playground.patches);
- the page's JS heap after a forced garbage collection (CDP HeapProfiler.collectGarbage, then
  Runtime.getHeapUsage);
- the worker: its JS heap after a garbage collection (CDP, through the page's auto-attached
  worker target), the size of Pyodide's WebAssembly memory (HEAP8.length: it grows and never
  shrinks, so it is the high-water mark of Python's heap) and the number of Python objects the
  garbage collector tracks (len(gc.get_objects()));
- the memory of Chromium's processes from /proc: the renderer that runs the page and its
  worker (RSS), and all of this browser's processes (PSS, shared pages counted once).

Every `--switch-every` samples it changes the dataset and the network's shape (a new experiment:
the views are laid out again and the loss history starts over), then presses Play again.

The result goes to bench/SOAK.md, and into BENCHMARKS.md between the markers
<!-- soak:start --> and <!-- soak:end --> (added before "## Reading these figures" the first
time); `make bench` (bench/run.py) keeps the block, as it includes bench/SOAK.md.
Memory is called flat when the renderer grew less than 50 MB from minute 1 to the end.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "e2e"))
from chromium import launch  # noqa: E402
from conftest import SITE, StaticServer  # noqa: E402

SOAK_MD = HERE / "SOAK.md"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
START, END = "<!-- soak:start -->", "<!-- soak:end -->"
TARGET_MB = 50.0
EPOCH = re.compile(r"^Epoch (\d+)$")
MB = 1024 * 1024
DATASETS = ("Spiral", "Exclusive or", "Gaussian", "Circle", "Moons", "Checkerboard")

# Runs in the worker's global scope, where worker.js keeps `app` (a proxy of the Playground).
WORKER_MEMORY = """
() => {
  const out = {wasm: null, py_objects: null};
  if (typeof app === "undefined" || !app) return out;
  const init = app.__init__;
  const globals = init.__globals__;
  const builtins = globals.get("__builtins__");
  const load = builtins.get("__import__");
  let gc = null, objects = null;
  try {
    out.wasm = load("pyodide_js")._module.HEAP8.length;  // a JS object: comes back unwrapped
    gc = load("gc");
    objects = gc.get_objects();
    out.py_objects = objects.length;
  } finally {
    for (const proxy of [objects, gc, load, builtins, globals, init]) {
      if (proxy && proxy.destroy) proxy.destroy();
    }
  }
  return out;
}
"""


class WorkerHeap:
    """The worker's JS heap through CDP: the page's session auto-attaches to its worker (not
    flattened, so messages to it go through Target.sendMessageToTarget)."""

    def __init__(self, cdp, page: Page) -> None:
        self.cdp, self.page = cdp, page
        self.session: str | None = None
        self.replies: dict[int, dict] = {}
        self.next_id = 0
        cdp.on("Target.attachedToTarget", self._attached)
        cdp.on("Target.receivedMessageFromTarget", self._message)
        cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False,
                                          "flatten": False})

    def _attached(self, event: dict) -> None:
        if event.get("targetInfo", {}).get("type") == "worker":
            self.session = event["sessionId"]

    def _message(self, event: dict) -> None:
        msg = json.loads(event["message"])
        if "id" in msg:
            self.replies[msg["id"]] = msg

    def send(self, method: str, timeout_s: float = 10.0) -> dict | None:
        if self.session is None:
            return None
        self.next_id += 1
        key = self.next_id
        self.cdp.send("Target.sendMessageToTarget", {
            "sessionId": self.session, "message": json.dumps({"id": key, "method": method})})
        deadline = time.perf_counter() + timeout_s
        while key not in self.replies and time.perf_counter() < deadline:
            self.page.wait_for_timeout(20)
        return self.replies.pop(key, {}).get("result")

    def used_mb(self) -> float | None:
        """The worker's used JS heap after a garbage collection, in MB."""
        self.send("HeapProfiler.collectGarbage")
        usage = self.send("Runtime.getHeapUsage")
        return usage["usedSize"] / MB if usage else None


def epoch(page: Page) -> int:
    return int(EPOCH.match(page.get_by_text(EPOCH).inner_text().strip()).group(1))


# processes ------------------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            kids.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return kids


def _descendants(pid: int) -> list[int]:
    kids, out, todo = _children(), [], [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _rollup(pid: int) -> dict[str, int]:
    """Rss and Pss of a process in bytes (0 if it is gone)."""
    out = {"Rss": 0, "Pss": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in out:
                out[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return out


def chromium_memory() -> dict[str, float]:
    """MB: the renderers' RSS and every Chromium process's PSS, among our descendants."""
    renderer = total = 0
    for pid in _descendants(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"chrom" not in cmdline:
            continue
        mem = _rollup(pid)
        total += mem["Pss"]
        if b"--type=renderer" in cmdline:
            renderer += mem["Rss"]
    return {"renderer_mb": renderer / MB, "browser_mb": total / MB}


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# the run --------------------------------------------------------------------------------------
def switch(page: Page, k: int) -> str:
    """Another dataset, and one layer more or less (between 1 and 4 hidden layers)."""
    dataset = DATASETS[k % len(DATASETS)]
    page.get_by_label("Dataset", exact=True).locator("visible=true").select_option(label=dataset)
    layers = int(page.get_by_text(re.compile(r"^Hidden layers: \d+$")).inner_text().split()[-1])
    grow = (k // 2) % 2 == 0 if 1 < layers < 4 else layers <= 1
    page.get_by_role("button", name="+ layer" if grow else "\u2212 layer").click()
    expected = layers + (1 if grow else -1)
    page.get_by_text(f"Hidden layers: {expected}", exact=True).wait_for()
    return f"{dataset}, {expected} hidden layers"


def play(page: Page) -> None:
    play = page.get_by_role("button", name="Play")
    if play.count():
        play.click()
    page.get_by_role("button", name="Pause").wait_for()


def sample(page: Page, cdp, workers: WorkerHeap, t: float, e0: int, p0: int, t0: float,
           event: str) -> dict:
    e1, p1, t1 = epoch(page), page.evaluate("window.playground.patches"), time.perf_counter()
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    worker = page.workers[0].evaluate(WORKER_MEMORY) if page.workers else {}
    row = {"minute": t / 60, "epochs_per_s": (e1 - e0) / (t1 - t0),
           "refreshes_per_s": (p1 - p0) / (t1 - t0), "epoch": e1,
           "page_heap_mb": heap["usedSize"] / MB,
           "worker_heap_mb": workers.used_mb(),
           "wasm_mb": (worker.get("wasm") or 0) / MB or None,
           "py_objects": worker.get("py_objects"), "event": event, "load": load_average()}
    row.update(chromium_memory())
    return row


def soak(minutes: float, interval: float, switch_every: int, progress=print) -> dict:
    server = StaticServer(SITE)
    rows: list[dict] = []
    started = datetime.datetime.now()
    load_start = load_average()
    try:
        with sync_playwright() as p:
            browser = launch(p)
            context = browser.new_context(service_workers="block",
                                          viewport={"width": 1280, "height": 800})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("HeapProfiler.enable")
            page.goto(server.url)
            page.wait_for_function("window.playground && window.playground.ready",
                                   timeout=180_000)
            workers = WorkerHeap(cdp, page)
            begin = time.perf_counter()
            end = begin + minutes * 60
            play(page)
            k, event = 0, "start: Circle, 2 hidden layers"
            while True:
                e0, p0, t0 = epoch(page), page.evaluate("window.playground.patches"), \
                    time.perf_counter()
                wait = min(interval, end - t0)
                if wait > 0:
                    page.wait_for_timeout(wait * 1000)
                row = sample(page, cdp, workers, time.perf_counter() - begin, e0, p0, t0,
                             event)
                rows.append(row)
                progress(f"{row['minute']:5.1f} min  {row['epochs_per_s']:6.0f} epochs/s  "
                         f"{row['refreshes_per_s']:4.1f} refreshes/s  page heap "
                         f"{row['page_heap_mb']:.1f} MB  wasm {row['wasm_mb'] or 0:.0f} MB  "
                         f"renderer {row['renderer_mb']:.0f} MB  browser "
                         f"{row['browser_mb']:.0f} MB  load {row['load']}  {event}")
                if time.perf_counter() >= end - 1:
                    break
                event = ""
                if len(rows) % switch_every == 0:
                    k += 1
                    event = switch(page, k)
                    play(page)
            page.get_by_role("button", name="Pause").click()
            context.close()
            browser.close()
    finally:
        server.stop()
    return {"rows": rows, "minutes": minutes, "interval": interval, "started": started,
            "load_start": load_start, "load_end": load_average()}


# the report -----------------------------------------------------------------------------------
def _fmt(value, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def growth(rows: list[dict], key: str) -> tuple[float | None, float | None, float | None]:
    """(value at minute 1, value at the end, growth) of a column (the sample nearest 1 min)."""
    if not rows:
        return None, None, None
    first = min(rows, key=lambda r: abs(r["minute"] - 1.0))
    a, b = first.get(key), rows[-1].get(key)
    if a is None or b is None:
        return a, b, None
    return a, b, b - a


def markdown(result: dict, note: str = "") -> str:
    rows = result["rows"]
    lines = [
        "## Long session (browser, soak)",
        "",
        f"Written by `make soak` on {result['started']:%Y-%m-%d %H:%M}: "
        f"{result['minutes']:g} minutes of Play in one page, a sample every "
        f"{result['interval']:g} s; every few samples another dataset and one hidden layer "
        "more or less (a new experiment: the views are laid out again). Load average "
        f"(1, 5, 15 min) at the start {result['load_start']}, at the end {result['load_end']}."
        + (f" {note}" if note else ""),
        "",
        "| memory | minute 1 | end | growth |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, label in (("renderer_mb", "renderer process, page + worker (RSS, MB)"),
                       ("browser_mb", "all Chromium processes (PSS, MB)"),
                       ("page_heap_mb", "page JS heap after GC (MB)"),
                       ("worker_heap_mb", "worker JS heap (MB)"),
                       ("wasm_mb", "Pyodide wasm memory (MB)")):
        a, b, d = growth(rows, key)
        lines.append(f"| {label} | {_fmt(a, '.1f')} | {_fmt(b, '.1f')} | {_fmt(d, '+.1f')} |")
    a, b, d = growth(rows, "py_objects")
    lines.append(f"| Python objects (gc-tracked) | {_fmt(a, ',.0f')} | {_fmt(b, ',.0f')} | "
                 f"{_fmt(d, '+,.0f')} |")
    _, _, d = growth(rows, "renderer_mb")
    if d is None:
        verdict = "No memory figures were recorded."
    elif d < TARGET_MB:
        verdict = (f"**Memory stayed flat**: the renderer grew {d:+.1f} MB from minute 1 to the "
                   f"end (target: under {TARGET_MB:.0f} MB).")
    else:
        verdict = (f"**Memory grew** {d:+.1f} MB from minute 1 to the end (target: under "
                   f"{TARGET_MB:.0f} MB).")
    speeds = [r["epochs_per_s"] for r in rows]
    refreshes = [r["refreshes_per_s"] for r in rows]
    if speeds:
        verdict += (f" Epochs/s ranged {min(speeds):.0f}–{max(speeds):.0f} and refreshes/s "
                    f"{min(refreshes):.1f}–{max(refreshes):.1f} over the run (the network "
                    "changes: see the table).")
    lines += ["", verdict, "", "<details><summary>Every sample</summary>", "",
              "| minute | epochs/s | refreshes/s | renderer MB | browser MB | page heap MB | "
              "worker heap MB | wasm MB | Python objects | load | new experiment |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in rows:
        lines.append(
            f"| {r['minute']:.1f} | {r['epochs_per_s']:.0f} | {r['refreshes_per_s']:.1f} | "
            f"{r['renderer_mb']:.0f} | {r['browser_mb']:.0f} | {r['page_heap_mb']:.1f} | "
            f"{_fmt(r['worker_heap_mb'], '.1f')} | {_fmt(r['wasm_mb'], '.0f')} | "
            f"{_fmt(r['py_objects'], ',.0f')} | {r['load']} | {r['event']} |")
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def splice(text: str, section: str) -> str:
    """`text` (BENCHMARKS.md) with the marked soak block replaced by `section`, or inserted
    before "## Reading these figures" (else at the end)."""
    block = f"{START}\n{section.rstrip()}\n{END}\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        return head + block.rstrip("\n") + tail
    anchor = "## Reading these figures"
    if anchor in text:
        head, tail = text.split(anchor, 1)
        return head + block + "\n" + anchor + tail
    return text.rstrip("\n") + "\n\n" + block


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--switch-every", type=int, default=4,
                        help="samples between changes of dataset and shape")
    parser.add_argument("--note", default="", help="a sentence for the report (what else ran)")
    parser.add_argument("--out", type=Path, default=SOAK_MD)
    parser.add_argument("--benchmarks", default=str(BENCHMARKS_MD),
                        help="the file to splice the section into ('' for none)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw samples")
    args = parser.parse_args(argv)
    result = soak(args.minutes, args.interval, max(1, args.switch_every))
    section = markdown(result, args.note)
    args.out.write_text(section)
    print(f"wrote {args.out}")
    if args.json:
        args.json.write_text(json.dumps({**result, "started": result["started"].isoformat()},
                                        indent=1))
    benchmarks = Path(args.benchmarks) if args.benchmarks else None
    if benchmarks is not None and benchmarks.is_file():
        benchmarks.write_text(splice(benchmarks.read_text(), section))
        print(f"updated {benchmarks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
