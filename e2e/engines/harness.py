"""The cross-engine smoke suite's fixtures (a pytest plugin: pytest.ini loads it with
`-p harness`): the built site served from 127.0.0.1, one browser per engine shared by every
test (Firefox ESR over WebDriver BiDi, WebKitGTK over classic WebDriver under Xvfb), and the
net every test is checked against: no console error in any realm, no request to a host other
than 127.0.0.1.

Run by `make engines` from this folder, which is a pytest rootdir of its own (pytest.ini):
    cd e2e/engines && ../../.venv/bin/python -m pytest [--engine=firefox|webkit] [--site=DIR]
`pytest e2e` from the repository root does not collect it (its files are smoke_*.py, and no
conftest.py here shadows e2e/conftest.py), and e2e/conftest.py's Playwright fixtures do not
apply here. Black-box: nothing here imports the playground.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from drivers import Driver, FirefoxDriver, WebKitDriver, Xvfb
from proxy import RecordingProxy

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "build"))
from serve import SiteHandler  # noqa: E402

ENGINES = ("firefox", "webkit")
SUBPATH = "/some-repo/"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--engine", action="append", choices=ENGINES, default=[],
                     help="run in this engine only (repeatable; default: every engine)")
    parser.addoption("--site", type=Path, default=Path(os.environ.get("ENGINES_SITE",
                                                                          REPO / "site")),
                     help="the built site to serve (default: site/)")


def pytest_configure(config: pytest.Config) -> None:
    site = config.getoption("--site")
    if not (site / "pyodide" / "pyodide-lock.json").exists():
        raise pytest.UsageError(f"{site} is not built: run `make site` first")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        engines = metafunc.config.getoption("--engine") or list(ENGINES)
        metafunc.parametrize("engine", engines, indirect=True, scope="session")


class SiteServer:
    """A static server on a free port of 127.0.0.1, as `build/serve.py` serves (the same
    handler), in a thread; it records the path of every request (every realm's: the page's,
    its workers', its service worker's), and it can be stopped to take the site offline."""

    def __init__(self, root: Path, prefixes: tuple[str, ...] = ()) -> None:
        self.paths: list[str] = []
        record = self.paths.append

        class Handler(SiteHandler):
            def log_request(self, code="-", size="-") -> None:
                record(self.path)

        Handler.prefixes = tuple(prefixes)
        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self._server.verbose = False  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._server.shutdown()
            self._server.server_close()  # the port refuses connections from now on
            self.running = False


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest) -> Path:
    return request.config.getoption("--site")


@pytest.fixture(scope="session")
def site_server(site: Path) -> Iterator[SiteServer]:
    server = SiteServer(site, prefixes=(SUBPATH,))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def proxy() -> Iterator[RecordingProxy]:
    proxy = RecordingProxy()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    with Xvfb() as display:
        yield display


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def driver(engine: str, proxy: RecordingProxy,
           request: pytest.FixtureRequest) -> Iterator[Driver]:
    """One browser per engine for the whole run."""
    if engine == "firefox":
        browser: Driver = FirefoxDriver(proxy.port)
    else:
        browser = WebKitDriver(proxy.port, request.getfixturevalue("display"))
    yield browser
    browser.close()


class Watch:
    """What the pages did that they must not, since the last check."""

    def __init__(self, driver: Driver, proxy: RecordingProxy) -> None:
        self.driver = driver
        self.proxy = proxy

    def take(self) -> tuple[list[str], list[str]]:
        """(console errors, requests outside 127.0.0.1) since the last call."""
        errors, requests = self.driver.findings()
        outside = [url for url in requests if not is_local(url)]
        outside += self.proxy.take(ignore_hosts=self.driver.own_hosts)
        return errors, sorted(set(outside))

    def check(self) -> None:
        errors, outside = self.take()
        problems = [f"requests outside 127.0.0.1: {outside}"] if outside else []
        problems += errors
        assert not problems, f"{self.driver.engine}:\n" + "\n".join(problems)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or (
        parts.scheme in {"http", "https", "ws"} and parts.hostname == "127.0.0.1")


@pytest.fixture(autouse=True)
def watch(request: pytest.FixtureRequest) -> Iterator[Watch | None]:
    """Every test that drives a browser fails on a console error or a foreign request made
    while it ran (a test of the net itself reads them instead: it uses `net`)."""
    if "driver" not in request.fixturenames:
        yield None
        return
    # Not drained first: what a module's shared page did while it loaded (set up before this)
    # counts for the first test that uses it; an earlier test's findings were taken by it.
    watch = Watch(request.getfixturevalue("driver"), request.getfixturevalue("proxy"))
    yield watch
    if "net" not in request.fixturenames:
        watch.check()


@pytest.fixture
def net(watch: Watch) -> Watch:
    """The watch, for a test that checks what it catches (and so must not fail on it)."""
    return watch
