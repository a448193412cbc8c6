"""No click is lost, and none is overwritten later: clicks right after the page is drawn,
right after it is ready, and right after another link was applied to the open page; the link
and the view follow within 300 ms and stay."""

from __future__ import annotations

import time

from conftest import dataset_menu, epoch, wait_for, wait_ready
from playwright.sync_api import Page, expect

FIRST = "dataset=xor&networkShape=4,2&activation=relu&learningRate=0.03&seed=7"
SECOND = "dataset=gauss&networkShape=3&activation=tanh&learningRate=0.1&seed=3&noise=5"
FOLLOW_MS = 300


def follows(page: Page, condition, what: str) -> float:
    """Seconds until `condition()` holds (it must within FOLLOW_MS), polling every 10 ms."""
    start = time.perf_counter()
    while not condition():
        assert (time.perf_counter() - start) * 1000 < FOLLOW_MS, f"{what} took over 300 ms"
        page.wait_for_timeout(10)
    return time.perf_counter() - start


def test_step_pressed_before_python_is_up_is_run(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}#{FIRST}")
    page.wait_for_function("window.playground && window.playground.interactive",
                           polling=10, timeout=60_000)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_ready(page)
    wait_for(page, lambda: epoch(page) == 1, "the early Step to train one epoch")
    page.wait_for_timeout(500)
    assert epoch(page) == 1  # once, not twice


def test_a_click_right_after_ready_follows_and_stays(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}#{FIRST}")
    wait_ready(page)
    page.get_by_label("Show test data").check()
    follows(page, lambda: "showTestData=true" in page.url, "the link")
    page.wait_for_timeout(1500)
    assert "showTestData=true" in page.url
    expect(page.get_by_label("Show test data")).to_be_checked()


def test_a_click_right_after_another_link_follows_and_stays(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}#{FIRST}")
    wait_ready(page)
    for _ in range(3):  # the page already shows a run when the next link comes
        page.get_by_role("button", name="Step", exact=True).click()
    page.evaluate("(hash) => { location.hash = hash; }", SECOND)
    # applied: the worker wrote the link back in full (every key), the menus show it
    wait_for(page, lambda: "dataset=gauss" in page.url and "noise=5" in page.url
             and "xTimesY=" in page.url, "the second link to be applied", 20_000)
    page.get_by_label("Show test data").check()
    dataset_menu(page).select_option(label="Spiral")
    follows(page, lambda: "showTestData=true" in page.url and "dataset=spiral" in page.url,
            "the link")
    page.wait_for_timeout(1500)  # nothing comes later to undo them
    assert "showTestData=true" in page.url
    assert "dataset=spiral" in page.url
    expect(page.get_by_label("Show test data")).to_be_checked()
    expect(dataset_menu(page)).to_have_value("Spiral")
