"""Open from disk: the `make disk` variant, unzipped and opened as a file: URL with no web
server running, starts and trains; the same folder served over HTTP works the normal way.

The disk tests' context allows file:, data: and blob: requests only: any other (http, https,
ws, even to 127.0.0.1) is blocked and fails the test, as do console errors (conftest's Watch).
The variant is built by build/make_disk.py's own function when missing or stale.
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, SITE, StaticServer, Watch, wait_ready
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

sys.path.insert(0, str(REPO / "build"))
from make_disk import DEFAULT_OUT, TOP, is_current, make_disk  # noqa: E402

DISK_SCHEMES = {"file", "data", "blob"}
PROBE = "http://127.0.0.1:9/probe"
EPOCH = re.compile(r"^Epoch (\d+)$")
TRAIN_LOSS = re.compile(r"^Train loss (\d+\.\d+)$")
STAGE = re.compile(r"^Reading the playground from disk \((\d+\.\d) of (\d+\.\d) MB\)$")
# Every text the disk stage of the loading screen shows, in order.
RECORD_STAGE = """
window.__diskStage = [];
new MutationObserver(() => {
  const li = document.querySelector('[data-stage="disk"]');
  const text = li && li.textContent;
  if (text && text !== window.__diskStage[window.__diskStage.length - 1]) {
    window.__diskStage.push(text);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


class DiskWatch(Watch):
    def allowed(self, url: str) -> bool:
        return urlsplit(url).scheme in DISK_SCHEMES


@pytest.fixture(scope="session")
def disk_folder() -> Path:
    if not is_current(SITE, DEFAULT_OUT):
        make_disk(SITE, DEFAULT_OUT)
    return DEFAULT_OUT


@pytest.fixture(scope="session")
def unzipped(disk_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a teacher gets: the zip, unzipped somewhere else (a USB stick, say)."""
    stick = tmp_path_factory.mktemp("Clé USB")  # a space and an accent: percent-encoded URLs
    with zipfile.ZipFile(disk_folder.with_name(disk_folder.name + ".zip")) as archive:
        assert {n.split("/")[0] for n in archive.namelist()} == {TOP}
        archive.extractall(stick)
    return stick / TOP


@pytest.fixture
def disk_watch() -> DiskWatch:
    return DiskWatch()


@pytest.fixture
def disk_context(browser: Browser, browser_context_args: dict,
                 disk_watch: DiskWatch) -> Iterator[BrowserContext]:
    # Service workers allowed (conftest blocks them): main.js must not even try one from file:.
    context = browser.new_context(**{**browser_context_args, "service_workers": "allow"})
    disk_watch.guard(context)
    yield context
    context.close()
    disk_watch.check()


def number(page: Page, pattern: re.Pattern) -> float:
    return float(pattern.match(page.get_by_text(pattern).inner_text().strip()).group(1))


def test_the_unzipped_folder_opens_from_disk_and_trains(disk_context: BrowserContext,
                                                        disk_watch: DiskWatch,
                                                        unzipped: Path) -> None:
    requests: list[str] = []
    disk_context.on("request", lambda request: requests.append(request.url))
    disk_context.add_init_script(RECORD_STAGE)
    page = disk_context.new_page()
    url = (unzipped / "index.html").as_uri()
    page.goto(url + "#dataset=xor")
    wait_ready(page)

    # The bytes came from the data scripts; the worker runs from a blob. Nothing else was read
    # but the folder's own files (the watch fails any other scheme).
    assert {urlsplit(u).scheme for u in requests} <= DISK_SCHEMES
    data = sorted(p.name for p in (unzipped / "data").iterdir() if p.name != "index.js")
    read = [u.removeprefix(unzipped.as_uri() + "/") for u in requests if u.startswith("file:")]
    assert [r for r in read if r.startswith("data/")] == [
        "data/index.js", *(f"data/{name}" for name in data)]
    assert not [r for r in read if r.startswith("pyodide/")]  # no fetch of a file: URL
    assert [w.url.split(":")[0] for w in page.workers] == ["blob"]

    # The loading screen counted the megabytes on the way, then went on to main.js's stages.
    stages = page.evaluate("window.__diskStage")
    counts = [STAGE.match(text) for text in stages if STAGE.match(text)]
    assert len(counts) >= 3, stages  # 0 of N, ..., N of N
    assert counts[0].group(1) == "0.0"
    assert counts[-1].group(1) == counts[-1].group(2)
    assert float(counts[-1].group(2)) > 10  # tens of MB: the runtime and the wheels
    assert "done" in page.locator('[data-stage="disk"]').get_attribute("class")
    assert page.evaluate("window.playground.offline") is None  # no service worker from file:
    assert disk_context.service_workers == []

    # It trains.
    assert number(page, EPOCH) == 0
    loss = number(page, TRAIN_LOSS)
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_text(re.compile(r"^Epoch [1-9]\d*$"))).to_be_visible(timeout=30_000)
    first = number(page, EPOCH)
    page.wait_for_timeout(1000)
    assert number(page, EPOCH) > first
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    assert number(page, TRAIN_LOSS) != loss

    # The lesson link's setting held, and the page keeps its URL up to date from a file: too.
    assert "dataset=xor" in page.evaluate("location.hash")
    assert page.evaluate("location.href").startswith(url + "#")

    # The guard is in force: anything but a file (127.0.0.1 included) is blocked and recorded.
    # (The page itself cannot even try: its Content-Security-Policy allows 'self' only.)
    with pytest.raises(PlaywrightError):
        disk_context.new_page().goto(PROBE)
    assert disk_watch.blocked == [PROBE]
    disk_watch.blocked.clear()
    disk_watch.seen_outside.discard(PROBE)


def test_a_copy_missing_a_data_script_says_so(disk_context: BrowserContext,
                                              disk_watch: DiskWatch, disk_folder: Path,
                                              tmp_path: Path) -> None:
    copy = tmp_path / TOP
    copy.mkdir()
    for entry in disk_folder.iterdir():
        if entry.name != "data":
            (copy / entry.name).symlink_to(entry)
    (copy / "data").mkdir()
    scripts = sorted((disk_folder / "data").iterdir())
    for script in scripts[:-2] + scripts[-1:]:  # one of the data scripts is lost
        (copy / "data" / script.name).symlink_to(script)
    page = disk_context.new_page()
    page.goto((copy / "index.html").as_uri())
    with pytest.raises(AssertionError, match=rf"could not read its files.*{scripts[-2].name}"):
        wait_ready(page, timeout=30_000)
    expected = [e for e in disk_watch.errors if "ERR_FILE_NOT_FOUND" in e]
    assert len(expected) == 1  # the browser's own report of the missing file; nothing else
    disk_watch.errors.remove(expected[0])


def test_the_same_folder_served_over_http_works_the_normal_way(page: Page,
                                                               disk_folder: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    host = StaticServer(disk_folder)
    try:
        page.goto(host.url)
        wait_ready(page)
        page.get_by_role("button", name="Step").click()
        expect(page.get_by_text("Epoch 1", exact=True)).to_be_visible()
        assert page.evaluate("window.playgroundDisk") is None
        assert [w.url for w in page.workers] == [host.url + "js/worker.js"]
        paths = [u.removeprefix(host.url) for u in requests]
        assert "js/disk.js" in paths
        assert "js/main.js" in paths
        assert not [p for p in paths if p.startswith("data/")]  # only a file: page reads them
        assert "pyodide/pyodide.asm.wasm" in paths
    finally:
        host.stop()
