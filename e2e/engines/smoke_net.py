"""The net itself: in each engine, a throwaway page served from 127.0.0.1 whose page, dedicated
worker and service worker each write a console error and request another host, and whose
page and worker each throw an uncaught error. The suite must see every one of them (or the
smoke tests' silence would mean nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from drivers import Driver
from harness import SiteServer, Watch

PAGE = """<!DOCTYPE html><html><head><title>probe</title></head><body><p id="out">...</p>
<script>
console.error("probe: console error in the page");
fetch("http://page.example/probe").catch(() => {});
const worker = new Worker("worker.js");
worker.onmessage = (event) => { document.getElementById("out").textContent = event.data; };
setTimeout(() => { throw new Error("probe: uncaught error in the page"); }, 0);
navigator.serviceWorker.register("sw.js").then(async () => {
  await navigator.serviceWorker.ready;
  window.swReady = true;
});
</script></body></html>
"""
WORKER = """console.error("probe: console error in a worker");
fetch("https://worker.example/probe").catch(() => {});
postMessage("worker ran");
setTimeout(() => { throw new Error("probe: uncaught error in a worker"); }, 0);
"""
SERVICE_WORKER = """console.error("probe: console error in a service worker");
self.addEventListener("install", (event) => {
  event.waitUntil(fetch("http://sw.example/probe").catch(() => {}));
});
"""


@pytest.fixture
def probe(tmp_path: Path) -> SiteServer:
    (tmp_path / "index.html").write_text(PAGE)
    (tmp_path / "worker.js").write_text(WORKER)
    (tmp_path / "sw.js").write_text(SERVICE_WORKER)
    server = SiteServer(tmp_path)
    yield server
    server.stop()


def test_the_net_catches_foreign_requests_and_console_errors(driver: Driver, net: Watch,
                                                            probe: SiteServer) -> None:
    net.take()  # only this page's
    driver.new_page()
    driver.goto(probe.url)
    driver.wait("document.getElementById('out').textContent === 'worker ran' && "
                "window.swReady", what="the probe's worker and service worker")
    wanted_errors = ["console error in the page", "console error in a worker",
                     "console error in a service worker", "uncaught error in the page",
                     "uncaught error in a worker"]
    wanted_urls = {"http://page.example/probe", "https://worker.example:443",
                   "http://sw.example/probe"}
    errors: list[str] = []
    outside: set[str] = set()
    deadline = driver.js("performance.now()") + 10_000
    while True:  # console output of other processes may come a moment later
        more_errors, more_outside = net.take()
        errors += more_errors
        outside |= set(more_outside)
        found = [w for w in wanted_errors if any(w in e for e in errors)]
        if (len(found) == len(wanted_errors) and wanted_urls <= outside) or \
                driver.js("performance.now()") > deadline:
            break
        driver.js("new Promise((resolve) => setTimeout(resolve, 250))")
    missed = [w for w in wanted_errors if not any(w in e for e in errors)]
    assert not missed, f"{driver.engine}: the net missed {missed}; it saw {errors}"
    assert wanted_urls <= outside, (f"{driver.engine}: the net missed "
                                    f"{sorted(wanted_urls - outside)}; it saw {sorted(outside)}")
    driver.new_page()  # leave nothing behind for the next test
