"""Open from disk: the `make disk` variant opened as a file: URL, next to the site served over
HTTP, in headless Chromium.

Per run, in a fresh browser context: navigation -> first paint (the loading screen), -> app
ready and -> first training step (Play clicked as soon as the app is ready), all timed in the
page from navigation start; for the disk variant, when the data scripts were read; the page's
JS heap after start (after a garbage collection); and the memory of the whole browser (PSS of
every Chromium process: page, worker and wasm live in the renderer) once started, and its peak
while starting (sampled every 50 ms). Also the sizes: folder, zip, and the data scripts.
`python bench/disk.py [runs]` prints the markdown table.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "e2e"))
sys.path.insert(0, str(REPO / "build"))
from chromium import ARGS, CHROMIUM  # noqa: E402
from conftest import SITE, StaticServer  # noqa: E402
from make_disk import DEFAULT_OUT, folder_size, is_current, make_disk  # noqa: E402
from make_dist import make_dist  # noqa: E402

EPOCH = re.compile(r"^Epoch [1-9]\d*$")
READY = "() => window.playground && window.playground.ready && performance.now()"


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _browser_pid(marker: str) -> int | None:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if marker.encode() in args and "type=" not in str(args):
            return int(cmdline.parent.name)
    return None


def pss_mb(root: int) -> float:
    """Proportional set size of `root` and all its descendants (shared pages split fairly)."""
    tree, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


class PeakSampler:
    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, pss_mb(self.pid))
            time.sleep(0.05)

    def end(self) -> float:
        self.stop.set()
        self.thread.join()
        return self.peak


def run_once(browser, pid: int, url: str, init_script: str | None = None) -> dict:
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 800})
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    sampler = PeakSampler(pid)
    page.goto(url)
    ready = page.wait_for_function(READY, timeout=120_000, polling="raf").json_value()
    peak = sampler.end()
    page.get_by_role("button", name="Play").click()
    # Attached, not "visible": whether the layout shows the counter is not what is timed here.
    page.get_by_text(EPOCH).first.wait_for(state="attached", timeout=30_000)
    first_step = page.evaluate("performance.now()")
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    cdp = context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
    disk = page.evaluate("window.playgroundDisk ? window.playgroundDisk.timings : {}")
    paint = page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0")
    row = {"paint_ms": paint, "ready_ms": ready, "first_step_ms": first_step, "heap_mb": heap,
           "pss_mb": pss_mb(pid), "peak_pss_mb": peak,
           "read_ms": disk.get("read", 0.0), "decode_ms": disk.get("decode", 0.0)}
    context.close()
    return row


def measure_urls(urls: dict[str, str], runs: int = 3,
                 init_scripts: dict[str, str] | None = None) -> dict[str, dict]:
    """Median figures per named URL; the runs alternate between them."""
    marker = f"--pg-bench={uuid.uuid4().hex}"
    rows: dict[str, list[dict]] = {name: [] for name in urls}
    with sync_playwright() as p:
        kwargs = {"args": [*ARGS, "--enable-precise-memory-info", marker]}
        if Path(CHROMIUM).exists():
            kwargs["executable_path"] = CHROMIUM
        browser = p.chromium.launch(**kwargs)
        pid = _browser_pid(marker)
        assert pid, "could not find the browser's process"
        for name, url in urls.items():  # a warm-up run each: the OS file cache, as on a 2nd open
            run_once(browser, pid, url, (init_scripts or {}).get(name))
        for _ in range(runs):
            for name, url in urls.items():
                rows[name].append(run_once(browser, pid, url, (init_scripts or {}).get(name)))
        browser.close()
    return {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} | {"runs": len(rs)}
            for name, rs in rows.items()}


def sizes(site: Path, disk: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:  # `make dist`'s zip, without touching dist/
        make_dist(site, Path(tmp) / "site.zip")
        served_zip = (Path(tmp) / "site.zip").stat().st_size
    info = json.loads((disk / "build-info.json").read_text())
    return {"served_folder": folder_size(site), "served_zip": served_zip,
            "disk_folder": folder_size(disk), "disk_zip": disk.with_name(disk.name + ".zip").stat(
            ).st_size, "data": folder_size(disk / "data"), "decoded": info["disk"]["bytes"],
            "scripts": info["disk"]["scripts"]}


def measure(runs: int = 3) -> dict:
    if not is_current(SITE, DEFAULT_OUT):
        make_disk(SITE, DEFAULT_OUT)
    server = StaticServer(SITE)
    try:
        result = measure_urls({"served": server.url,
                               "disk": (DEFAULT_OUT / "index.html").as_uri()}, runs)
    finally:
        server.stop()
    return {**result, "sizes": sizes(SITE, DEFAULT_OUT)}


def markdown(result: dict) -> str:
    s, d, size = result["served"], result["disk"], result["sizes"]
    mb = lambda n: f"{n / 1e6:.1f} MB"  # noqa: E731
    return "\n".join([
        f"| figure (median of {d['runs']} starts, after one warm-up) | served over HTTP "
        "(`make site`) | opened from disk (`make disk`, file:) |",
        "| --- | ---: | ---: |",
        f"| navigation -> first paint (the loading screen) | {s['paint_ms']:.0f} ms | "
        f"{d['paint_ms']:.0f} ms |",
        f"| navigation -> the data scripts read and decoded | - | {d['read_ms']:.0f} ms "
        f"(decoding: {d['decode_ms']:.0f} ms) |",
        f"| navigation -> app ready | {s['ready_ms'] / 1000:.2f} s | "
        f"{d['ready_ms'] / 1000:.2f} s |",
        f"| navigation -> first training step | {s['first_step_ms'] / 1000:.2f} s | "
        f"{d['first_step_ms'] / 1000:.2f} s |",
        f"| page JS heap after start (after GC) | {s['heap_mb']:.0f} MB | {d['heap_mb']:.0f} MB |",
        f"| browser memory after start (PSS, all processes) | {s['pss_mb']:.0f} MB | "
        f"{d['pss_mb']:.0f} MB |",
        f"| browser memory, peak while starting | {s['peak_pss_mb']:.0f} MB | "
        f"{d['peak_pss_mb']:.0f} MB |",
        f"| folder | {mb(size['served_folder'])} | {mb(size['disk_folder'])} |",
        f"| zip | {mb(size['served_zip'])} | {mb(size['disk_zip'])} |",
        "",
        f"The disk variant is the served site plus {size['scripts']} data scripts "
        f"({mb(size['data'])} of base64 for {mb(size['decoded'])} of runtime, lock file and "
        "wheels), so the same folder also works when served. Both read from this machine's "
        "disk cache after a warm-up; from a slow USB stick, reading the data scripts takes "
        "longer (the loading screen counts the megabytes). Memory: proportional set size of "
        "all of Chromium's processes (the worker and its wasm live in the renderer); peak "
        "sampled every 50 ms from navigation to app ready."
    ])


if __name__ == "__main__":
    print(markdown(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3)))
