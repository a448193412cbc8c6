"""Browser-test fixtures: serve the built site/ from 127.0.0.1 and drive it in Chromium.

Black-box: nothing here imports the playground. Every request that does not go to 127.0.0.1
is blocked and fails the test; so does any console error or uncaught page error.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "site"
SUBPATH = "/some-repo/"
CHROMIUM = Path("/usr/bin/chromium")
READY_TIMEOUT_MS = 90_000
ALLOWED_SCHEMES = {"data", "blob", "about"}


def pytest_configure(config: pytest.Config) -> None:
    if not (SITE / "pyodide" / "pyodide-lock.json").exists():
        raise pytest.UsageError("site/ is not built: run `make site` (or `make e2e`) first")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium when present (never download a browser); else Playwright's own."""
    args = dict(browser_type_launch_args)
    if CHROMIUM.exists():
        args["executable_path"] = str(CHROMIUM)
    args["args"] = [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ]
    return args


class StaticServer:
    """`build/serve.py` in a subprocess on a free port."""

    def __init__(self, root: Path, prefixes: tuple[str, ...] = ()) -> None:
        cmd = [sys.executable, str(REPO / "build" / "serve.py"), "--port", "0", "--quiet",
               "--root", str(root)]
        for prefix in prefixes:
            cmd += ["--prefix", prefix]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.proc.kill()
            raise RuntimeError(f"static server did not start: {line!r}")
        self.port = int(match.group(1))
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()


@pytest.fixture(scope="session")
def site_server() -> Iterator[StaticServer]:
    server = StaticServer(SITE, prefixes=(SUBPATH,))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def site_url(site_server: StaticServer) -> str:
    return site_server.url


class Watch:
    """What a test's pages did that they must not: foreign requests, console errors."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.seen_outside: set[str] = set()
        self.errors: list[str] = []

    def on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console error: {msg.text}")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"page error: {error}")

    def on_context_console(self, msg: ConsoleMessage) -> None:
        """A context's console: pages' messages come through on_console, so only the rest
        (service workers) here."""
        if msg.page is None:
            self.on_console(msg)

    def allowed(self, url: str) -> bool:
        """Whether a request may go out (here: 127.0.0.1 only; test_disk.py allows file:)."""
        return is_local(url)

    def guard(self, context: BrowserContext) -> None:
        """Block and record every request of `context` outside 127.0.0.1; record errors.

        With service workers allowed, the route sees their requests too: Playwright 1.65 does
        that by default in Chromium (older ones only behind an experimental environment
        variable), and test_offline.py checks it. The "request" event is a second net: a
        foreign request that somehow bypassed the route still fails the test."""

        def route(route):
            url = route.request.url
            if self.allowed(url):
                route.continue_()
            else:
                self.blocked.append(url)
                route.abort()

        context.route("**/*", route)
        context.on("page", lambda page: _watch_page(page, self))
        context.on("console", self.on_context_console)
        context.on("request", lambda request: None if self.allowed(request.url)
                   else self.seen_outside.add(request.url))

    def check(self) -> None:
        outside = sorted(set(self.blocked) | self.seen_outside)
        assert not outside, f"requests outside 127.0.0.1: {outside}"
        assert not self.errors, "\n".join(self.errors)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ALLOWED_SCHEMES or (
        parts.scheme in {"http", "https", "ws"} and parts.hostname == "127.0.0.1")


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "service_workers": "block",
            "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def context(context: BrowserContext, watch: Watch) -> Iterator[BrowserContext]:
    watch.guard(context)
    yield context
    watch.check()


def _watch_page(page: Page, watch: Watch) -> None:
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)


def wait_ready(page: Page, timeout: float = READY_TIMEOUT_MS) -> None:
    """Wait until the worker rendered the app (or fail with what the loading screen says)."""
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        state = page.evaluate(
            "() => ({ready: !!(window.playground && window.playground.ready),"
            " error: document.getElementById('loading-error')?.hidden === false ?"
            " document.getElementById('loading-error').innerText : null})")
        if state["ready"]:
            return
        if state["error"]:
            raise AssertionError(f"the app failed to start: {state['error']}")
        page.wait_for_timeout(200)
    raise AssertionError("the app did not become ready in time")


@pytest.fixture
def app(page: Page, site_url: str) -> Page:
    """The playground, loaded and ready."""
    page.goto(site_url)
    wait_ready(page)
    return page


# Shared by the browser tests ----------------------------------------------------------------------
EPOCH = re.compile(r"^Epoch (\d+)$")


def epoch(page) -> int:
    """The epoch counter as shown (a Page or a Frame)."""
    return int(EPOCH.match(page.get_by_text(EPOCH).inner_text().strip()).group(1))


def wait_for(page, condition, what: str, timeout_ms: int = 20_000) -> None:
    """Poll `condition()` every 100 ms until it holds; fail naming `what` after the timeout."""
    waited = 0
    while not condition():
        assert waited < timeout_ms, f"timed out waiting for {what}"
        page.wait_for_timeout(100)
        waited += 100


def dataset_menu(page):
    """The Dataset menu shown (classification and regression each have theirs; one is hidden)."""
    return page.get_by_label("Dataset", exact=True).locator("visible=true")


def open_app(page: Page, url: str) -> Page:
    """Open `url` and wait until the app is ready."""
    page.goto(url)
    wait_ready(page)
    return page
