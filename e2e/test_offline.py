"""Take it offline, host it anywhere: after one visit the service worker has precached the whole
site and the playground loads and trains with the network off, at / and under a sub-path; an
older build's cache is deleted; the manifest fits a sub-path; the dist zip serves as is.

Service workers are blocked in conftest's `context`; the offline tests make their own context
with them allowed, guarded the same way (Watch.guard). In Chromium, Playwright routes the
requests a service worker makes through context.route too, so its precache is watched like
the page's own requests: the offline test checks that the route saw them, and that a fetch
to another host made from inside the worker is blocked and reported.
"""

from __future__ import annotations

import json
import re
import struct
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import REPO, SITE, SUBPATH, StaticServer, Watch, wait_ready
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

sys.path.insert(0, str(REPO / "build"))
from make_dist import DEFAULT_OUT, TOP, make_dist  # noqa: E402

OFFLINE_TIMEOUT_MS = 90_000
EPOCH = re.compile(r"^\s*Epoch (\d+)\s*$")
PROBE = "http://example.com/from-the-service-worker"
EPOCH_TEXT = ".pg-epoch pre"  # the Str pane's text, inside the Bokeh view's shadow DOM


@pytest.fixture
def sw_context(browser: Browser, browser_context_args: dict,
               watch: Watch) -> Iterator[BrowserContext]:
    """conftest's context, but with service workers allowed."""
    context = browser.new_context(**{**browser_context_args, "service_workers": "allow"})
    watch.guard(context)
    yield context
    context.close()
    watch.check()


def build_info() -> dict:
    return json.loads((SITE / "build-info.json").read_text())


def wait_offline_ready(page: Page) -> None:
    """Wait for main.js's signal: this build's worker controls the page, all files cached.
    ("registered" lasts while the worker precaches; if its install fails, it never ends.)"""
    try:
        page.wait_for_function(
            "() => ['ready', 'incomplete', 'unavailable'].includes(window.playground?.offline)",
            timeout=OFFLINE_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pass
    state = page.evaluate("window.playground?.offline")
    assert state == "ready", f"offline support is {state!r}, not 'ready'"


def epoch(page: Page) -> int:
    return int(EPOCH.match(page.locator(EPOCH_TEXT).inner_text()).group(1))


@pytest.mark.parametrize(("path", "query"), [("", ""), (SUBPATH.lstrip("/"), "?from=share")],
                         ids=["root", "sub-path"])
def test_the_site_works_offline_after_one_visit(sw_context: BrowserContext, watch: Watch,
                                                site_url: str, path: str, query: str) -> None:
    base = site_url + path
    scope = urlsplit(base).path
    info = build_info()
    routed: list[Request] = []

    def record(route) -> None:
        routed.append(route.request)
        route.fallback()  # on to Watch.guard's route, which blocks foreign requests

    sw_context.route("**/*", record)
    page = sw_context.new_page()

    # Caches from before: an older build of this copy, another copy of the site on the same
    # origin (another sub-path), and someone else's. Only the first may be deleted.
    old, other_copy, unrelated = (f"nn-playground-old@{scope}", "nn-playground-old@/elsewhere/",
                                  "another-app")
    page.goto(base + "build-info.json")
    page.evaluate("""async (names) => {
        for (const name of names) await (await caches.open(name)).put("x", new Response("old"));
    }""", [old, other_copy, unrelated])

    page.goto(base)
    wait_ready(page)
    wait_offline_ready(page)
    state = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return {scope: registration.scope, script: navigator.serviceWorker.controller.scriptURL,
                caches: await caches.keys()};
    }""")
    assert state["scope"] == base
    assert state["script"] == f"{base}sw.js?v={info['build']}"
    ours = f"nn-playground-{info['build']}@{scope}"
    assert sorted(state["caches"]) == sorted([ours, other_copy, unrelated])
    cached = page.evaluate("async (name) => (await (await caches.open(name)).keys()).length", ours)
    assert cached == len(info["files"]) + 2  # + "./" and build-info.json

    # The precache went through the route (so foreign requests from the worker are blocked),
    # and took what the page had fetched already from the page's Python worker: the 10 MB
    # runtime was downloaded once, not a second time for the offline copy.
    from_worker = {r.url for r in routed if r.service_worker is not None}
    assert base in from_worker
    wasm = [r for r in routed if r.url == base + "pyodide/pyodide.asm.wasm"]
    assert len(wasm) == 1
    assert wasm[0].service_worker is None
    worker = next(w for w in sw_context.service_workers if w.url.startswith(base + "sw.js"))
    outcome = worker.evaluate("(url) => fetch(url).then(() => 'fetched', () => 'blocked')", PROBE)
    assert outcome == "blocked"
    assert PROBE in watch.blocked
    watch.blocked.remove(PROBE)
    watch.seen_outside.discard(PROBE)

    # Offline: everything comes from the service worker, and training runs.
    sw_context.set_offline(True)
    responses = []
    page.on("response", lambda response: responses.append(response))
    if query:
        page.goto(base + query)  # a navigation with a query is served from the cache too
    else:
        page.reload()
    wait_ready(page)
    assert page.evaluate("navigator.onLine") is False
    assert responses
    assert all(r.from_service_worker for r in responses), [
        r.url for r in responses if not r.from_service_worker]
    assert epoch(page) == 0
    page.get_by_role("button", name="Play").click()
    expect(page.locator(EPOCH_TEXT)).not_to_have_text(re.compile(r"^\s*Epoch 0\s*$"),
                                                         timeout=30_000)
    first = epoch(page)
    page.wait_for_timeout(500)
    assert epoch(page) > first
    wait_offline_ready(page)  # offline, the cached build-info.json keeps the worker as is


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers.get_content_type()


def test_the_manifest_fits_a_sub_path(site_url: str) -> None:
    base = site_url + SUBPATH.lstrip("/")
    html, _ = fetch(base)
    link = re.search(rb'<link rel="manifest" href="([^"]+)"', html)
    assert link, "index.html links no manifest"
    manifest_url = urljoin(base, link.group(1).decode())
    assert manifest_url == base + "manifest.webmanifest"
    body, content_type = fetch(manifest_url)
    assert content_type == "application/manifest+json"
    manifest = json.loads(body)
    for key in ("start_url", "scope"):
        assert urljoin(manifest_url, manifest[key]).startswith(base), (key, manifest[key])
    assert urljoin(manifest_url, manifest["start_url"]).startswith(
        urljoin(manifest_url, manifest["scope"]))
    assert manifest["name"]
    assert manifest["short_name"]
    assert manifest["display"] == "standalone"

    sizes = set()
    for icon in manifest["icons"]:
        data, content_type = fetch(urljoin(manifest_url, icon["src"]))
        assert content_type == icon["type"], icon
        if icon["type"] == "image/png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n", icon
            width, height = struct.unpack(">II", data[16:24])
            assert icon["sizes"] == f"{width}x{height}", icon
            sizes.add(width)
        else:
            assert b"<svg" in data, icon
    assert {192, 512} <= sizes  # what installable web apps need


def test_the_dist_zip_serves_as_a_site(page: Page, tmp_path: Path) -> None:
    built = SITE / "build-info.json"
    if not DEFAULT_OUT.exists() or DEFAULT_OUT.stat().st_mtime < built.stat().st_mtime:
        make_dist(SITE, DEFAULT_OUT)
    with zipfile.ZipFile(DEFAULT_OUT) as archive:
        names = archive.namelist()
        assert all(name.startswith(TOP + "/") for name in names)
        assert not [n for n in names if "/." in n or "__pycache__" in n]
        archive.extractall(tmp_path)
    info = json.loads((tmp_path / TOP / "build-info.json").read_text())
    assert {f"{TOP}/{f}" for f in [*info["files"], "build-info.json"]} <= set(names)
    host = StaticServer(tmp_path / TOP, prefixes=(SUBPATH,))
    try:
        page.goto(host.url + SUBPATH.lstrip("/"))
        wait_ready(page)
        page.get_by_role("button", name="Step").click()
        expect(page.locator(EPOCH_TEXT)).to_have_text(re.compile(r"^\s*Epoch 1\s*$"))
    finally:
        host.stop()
