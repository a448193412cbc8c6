"""The paths visitors take, as visitors have them: service workers allowed (the other browser
tests block them), at the page itself and inside an iframe on another origin, and not one
console error (the watch fails the test on any), screenshots included (which once made
Panel's file input log errors)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import StaticServer, Watch, dataset_menu, epoch, wait_for, wait_ready
from playwright.sync_api import Browser, BrowserContext, Page, expect


@pytest.fixture
def visitor(browser: Browser, browser_context_args: dict,
            watch: Watch) -> Iterator[BrowserContext]:
    context = browser.new_context(**{**browser_context_args, "service_workers": "allow"})
    watch.guard(context)
    yield context
    context.close()
    watch.check()


def use(page, root) -> None:
    """Play, Pause, Step, a setting, a tap on the drawing's list, Share: what a visit does."""
    root.get_by_role("button", name="Play").click()
    wait_for(page, lambda: epoch(root) > 5, "training")
    root.get_by_role("button", name="Pause").click()
    root.get_by_role("button", name="Step", exact=True).click()
    root.get_by_label("Learning rate").select_option(label="0.1")
    dataset_menu(root).select_option(label="Spiral")
    root.get_by_label("Choose a weight to edit").select_option(index=2)
    page.screenshot()


def test_a_visit_with_the_service_worker_logs_no_error(visitor: BrowserContext,
                                                       site_url: str) -> None:
    page = visitor.new_page()
    page.goto(site_url + "#dataset=xor&networkShape=4,2")
    wait_ready(page)
    use(page, page)
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("['ready', 'incomplete', 'unavailable']"
                           ".includes(window.playground.offline)", timeout=90_000)
    assert page.evaluate("window.playground.offline") == "ready"
    page.reload()  # served by the service worker now
    wait_ready(page)
    use(page, page)


def test_an_embedded_visit_with_the_service_worker_logs_no_error(
        visitor: BrowserContext, site_url: str, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Article</title></head><body><h1>An article</h1>"
        f'<iframe src="{site_url}?embed#dataset=spiral" width="640" height="480" '
        'title="Playground"></iframe></body></html>')
    host = StaticServer(tmp_path)
    try:
        page: Page = visitor.new_page()
        page.goto(host.url)
        frame = page.frame_locator("iframe")
        expect(frame.get_by_role("button", name="Play")).to_be_visible(timeout=90_000)
        inner = next(f for f in page.frames if f.url.startswith(site_url))
        wait_ready(inner)
        use(page, frame)
    finally:
        host.stop()
