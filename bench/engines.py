"""Per-engine benchmark: the default link in Chromium (Playwright), Firefox ESR and WebKitGTK
(the smoke suite's drivers, e2e/engines/drivers.py), in one run, and a tablet profile
(Chromium at 768x1024 with touch and CDP Emulation.setCPUThrottlingRate 4).

Each run is a first visit in a browser of its own (empty profile, service workers unused):
 - navigation -> first training step: Play pressed the moment the page lets one (the page's
   `window.playground.interactive`, else `ready`, and a Play button shown), then the page's own
   mark `window.playground.timings.first_epoch` (ms since navigation: the frame that first
   shows a trained epoch);
 - navigation -> every control answers: `window.playground.timings.ready`;
 - live training once every control answers: epochs/s from the "Epoch N" text over WINDOW_S
   seconds, and page frames/s over the same window (requestAnimationFrame callbacks counted
   in the page).
Medians of RUNS runs per engine. Play is pressed by a script in the page (`button.click()`):
the same moment in every engine, with no driver round trip in it.

The tablet profile also checks whether CPU throttling reaches workers: a fixed loop timed in
the page and in a worker, with and without throttling.

`python bench/engines.py [runs]` prints the markdown; `bench/run.py --only engines` rewrites
that section of BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "e2e" / "engines"))
from chromium import ARGS, CHROMIUM  # noqa: E402
from drivers import FirefoxDriver, WebKitDriver, Xvfb, script  # noqa: E402
from harness import SiteServer  # noqa: E402
from proxy import RecordingProxy  # noqa: E402

WINDOW_S = 5.0
TIMEOUT_S = 240
TABLET = {"width": 768, "height": 1024}

# Press Play as soon as the page takes clicks; resolve with the page's marks once a trained
# epoch is on screen.
PLAY_ASAP = """(async () => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const pg = () => window.playground || {};
  const t0 = performance.now();
  while (!((pg().interactive || pg().ready) && dom.button("Play"))) {
    if (pg().timings && document.getElementById("loading-error")?.hidden === false)
      throw new Error("the page failed: " + document.getElementById("loading-error").innerText);
    if (performance.now() - t0 > TIMEOUT_MS) throw new Error("Play never became clickable");
    await sleep(5);
  }
  dom.button("Play").click();
  const clicked = performance.now();
  while (pg().timings.first_epoch === undefined) {
    if (performance.now() - clicked > TIMEOUT_MS) throw new Error("no epoch after Play");
    await sleep(10);
  }
  return {clicked, first_epoch: pg().timings.first_epoch};
})()""".replace("TIMEOUT_MS", str(TIMEOUT_S * 1000))

# Training is on: count epochs and animation frames over the window.
LIVE = """(async () => {
  const e0 = dom.epoch();
  let frames = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      frames += 1;
      if (performance.now() - t0 >= WINDOW_MS) resolve(); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const seconds = (performance.now() - t0) / 1000;
  return {epochs_per_s: (dom.epoch() - e0) / seconds, fps: frames / seconds};
})()""".replace("WINDOW_MS", str(int(WINDOW_S * 1000)))

READY = "!!(window.playground && window.playground.ready)"
TIMINGS = "window.playground.timings"

# A fixed amount of work, timed in the page and in a worker (a blob: worker, as the page's CSP
# allows): does CPU throttling reach workers?
THROTTLE_PROBE = """(async () => {
  const work = "let x = 0; const t0 = performance.now(); " +
    "for (let i = 0; i < 3e7; i++) x = (x + i * 7) % 1000003; performance.now() - t0";
  const page = eval(work);
  const url = URL.createObjectURL(new Blob(["postMessage(eval(" + JSON.stringify(work) + "))"],
    {type: "text/javascript"}));
  const worker = new Worker(url);
  const inWorker = await new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error("the probe worker failed: " + e.message));
  });
  worker.terminate();
  return {page, worker: inWorker};
})()"""


def _visit(evaluate, wait_ready) -> dict:
    print(".", end="", file=sys.stderr, flush=True)  # one per visit: where a stall is
    marks = evaluate(PLAY_ASAP)
    wait_ready()
    timings = evaluate(TIMINGS)
    live = evaluate(LIVE)
    return {"first_epoch": marks["first_epoch"], "ready": timings["ready"],
            "epochs_per_s": live["epochs_per_s"], "fps": live["fps"]}


def _poll(evaluate, expr: str, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not evaluate(expr):
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _probe(page, times: int = 3) -> dict:
    """Medians of a few runs of THROTTLE_PROBE (one is noisy on a busy machine)."""
    runs = [page.evaluate(THROTTLE_PROBE) for _ in range(times)]
    return {key: statistics.median(run[key] for run in runs) for key in ("page", "worker")}


def chromium_runs(url: str, runs: int, tablet: bool = False) -> tuple[list[dict], dict, str]:
    from playwright.sync_api import sync_playwright

    rows, throttle = [], {}
    with sync_playwright() as p:
        kwargs = {"args": ARGS}
        if Path(CHROMIUM).exists():
            kwargs["executable_path"] = CHROMIUM
        browser = p.chromium.launch(**kwargs)
        version = browser.version
        for _ in range(runs):
            options = {"service_workers": "block"}
            if tablet:
                options.update(viewport=TABLET, has_touch=True, is_mobile=False)
            context = browser.new_context(**options)
            page = context.new_page()
            if tablet:
                cdp = context.new_cdp_session(page)
                if not throttle:  # once: the same loop, without and with throttling
                    page.goto(url + "build-info.json")
                    throttle["off"] = _probe(page)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    throttle["on"] = _probe(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(url)

            def evaluate(expr: str, page=page):
                return page.evaluate(f"() => {script(expr, ())}")

            rows.append(_visit(evaluate, lambda evaluate=evaluate: _poll(evaluate, READY,
                                                                          "every control")))
            context.close()
        browser.close()
    return rows, throttle, f"Chromium {version}"


def driver_runs(make, url: str, runs: int) -> tuple[list[dict], str]:
    rows, version = [], ""
    for _ in range(runs):
        driver = make()
        try:
            version = driver.version
            driver.new_page()
            driver.goto(url)
            rows.append(_visit(driver.js, lambda driver=driver: driver.wait(
                READY, what="every control", timeout=TIMEOUT_S)))
        finally:
            driver.close()
    return rows, version


def measure(runs: int = 3) -> dict:
    load_before = os.getloadavg()[0]
    server = SiteServer(REPO / "site")
    proxy = RecordingProxy()
    result: dict = {"runs": runs}
    try:
        rows, _, version = chromium_runs(server.url, runs)
        result["chromium"] = {"rows": rows, "version": version}
        rows, _ = driver_runs(lambda: FirefoxDriver(proxy.port), server.url, runs)
        result["firefox"] = {"rows": rows, "version": "Firefox ESR " + _firefox_version()}
        with Xvfb() as display:
            rows, version = driver_runs(lambda: WebKitDriver(proxy.port, display), server.url,
                                        runs)
        result["webkit"] = {"rows": rows, "version": f"WebKitGTK {version}"}
        rows, throttle, version = chromium_runs(server.url, runs, tablet=True)
        result["tablet"] = {"rows": rows, "version": version, "throttle": throttle}
    finally:
        server.stop()
        proxy.stop()
    result["load"] = (load_before, os.getloadavg()[0])
    return result


def _firefox_version() -> str:
    import subprocess

    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["/usr/bin/firefox-esr", "--version"], capture_output=True,
                             text=True, timeout=30).stdout
        return out.split()[-1].removesuffix("esr")
    return "?"


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def markdown(result: dict) -> str:
    n = result["runs"]
    lines = [
        f"Each figure is the median of {n} first visits of the default link, each in a browser "
        "of its own; Play pressed by a script in the page the moment the page takes clicks. "
        f"Live training: the default network, over {WINDOW_S:.0f} s once every control "
        "answers.",
        "",
        "| engine | navigation -> first training step | navigation -> every control answers "
        "| live epochs/s | page frames/s while training |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    base = None
    for key, label in (("chromium", None), ("firefox", None), ("webkit", None),
                       ("tablet", "tablet profile: {} at 768x1024, touch, CPU throttled 4x")):
        if key not in result:
            continue
        rows = result[key]["rows"]
        name = label.format(result[key]["version"]) if label else result[key]["version"]
        first, ready = _median(rows, "first_epoch"), _median(rows, "ready")
        if key == "chromium":
            base = first
        ratio = f" ({first / base:.1f}x)" if base and key != "chromium" else ""
        lines.append(f"| {name} | {first / 1000:.2f} s{ratio} | {ready / 1000:.2f} s | "
                     f"{_median(rows, 'epochs_per_s'):.0f} | {_median(rows, 'fps'):.0f} |")
    lines.append("")
    lines.append("Every run (first step / every control, s): " + "; ".join(
        f"{key} " + ", ".join(f"{r['first_epoch'] / 1000:.1f}/{r['ready'] / 1000:.1f}"
                              for r in result[key]["rows"])
        for key in ("chromium", "firefox", "webkit", "tablet") if key in result) + ".")
    throttle = result.get("tablet", {}).get("throttle")
    if throttle:
        off, on = throttle["off"], throttle["on"]
        page_x, worker_x = on["page"] / off["page"], on["worker"] / off["worker"]
        verdict = ("workers are throttled too" if worker_x > 2 else
                   "workers are not throttled: the worker that trains runs at full speed, so "
                   "the profile slows the page's drawing and input, not the training")
        lines += ["", f"CPU throttling, checked with a fixed loop (median of 3): the page's took "
                      f"{off['page']:.0f} ms -> {on['page']:.0f} ms ({page_x:.1f}x), a worker's "
                      f"{off['worker']:.0f} ms -> {on['worker']:.0f} ms ({worker_x:.1f}x): "
                      f"{verdict}."]
    if "load" in result:
        lines += ["", f"Load average (1 min) when the runs started: {result['load'][0]:.1f}, "
                      f"when they ended: {result['load'][1]:.1f} ({os.cpu_count()} cores)."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3)))
