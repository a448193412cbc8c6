"""The built site loads from a plain static server (at /, under a sub-path, in a cross-origin
iframe) and trains in the browser: Play, Pause, Step, Reset."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EPOCH, SUBPATH, StaticServer, wait_ready
from playwright.sync_api import Page, expect

TRAIN_LOSS = re.compile(r"^Train loss (\d+\.\d+)$")


def epoch(page) -> int:
    text = page.get_by_text(EPOCH).inner_text()
    return int(EPOCH.match(text.strip()).group(1))


def train_loss(page) -> float:
    text = page.get_by_text(TRAIN_LOSS).inner_text()
    return float(TRAIN_LOSS.match(text.strip()).group(1))


def wait_epoch_at_least(page, n: int, timeout_ms: int = 30_000) -> int:
    waited = 0
    while (e := epoch(page)) < n:
        assert waited < timeout_ms, f"epoch stayed at {e} (< {n})"
        page.wait_for_timeout(100)
        waited += 100
    return e


def test_app_loads_at_root(app: Page) -> None:
    expect(app.get_by_role("button", name="Play")).to_be_visible()
    expect(app.get_by_role("button", name="Step")).to_be_visible()
    expect(app.get_by_role("button", name="Reset")).to_be_visible()
    assert epoch(app) == 0
    expect(app.get_by_text(TRAIN_LOSS)).to_be_visible()
    expect(app.locator("#loading")).to_be_hidden()


def test_app_loads_under_a_sub_path(page: Page, site_url: str) -> None:
    paths: list[str] = []
    page.on("request", lambda request: paths.append(request.url))
    page.goto(site_url + SUBPATH.lstrip("/"))
    wait_ready(page)
    assert epoch(page) == 0
    local = [u for u in paths if u.startswith(site_url)]
    assert local, "no requests recorded"
    outside = [u for u in local if not u.startswith(site_url + SUBPATH.lstrip("/"))]
    assert not outside, f"requests escaped the sub-path: {outside}"


def test_app_loads_inside_a_cross_origin_iframe(page: Page, site_url: str,
                                               tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Article</title></head><body>"
        "<h1>How neural networks learn</h1>"
        f'<iframe src="{site_url}" width="640" height="480" title="Playground"></iframe>'
        "</body></html>"
    )
    host = StaticServer(tmp_path)
    try:
        assert host.port != int(site_url.rsplit(":", 1)[1].strip("/"))
        page.goto(host.url)
        frame = page.frame_locator("iframe")
        expect(frame.get_by_role("button", name="Play")).to_be_visible(timeout=90_000)
        frame.get_by_role("button", name="Step").click()
        expect(frame.get_by_text("Epoch 1", exact=True)).to_be_visible()
    finally:
        host.stop()


def test_play_trains_and_the_loss_falls(app: Page) -> None:
    start = train_loss(app)
    app.get_by_role("button", name="Play").click()
    wait_epoch_at_least(app, 150)
    app.get_by_role("button", name="Pause").click()
    expect(app.get_by_role("button", name="Play")).to_be_visible()
    assert train_loss(app) < start * 0.8


def test_pause_stops_training(app: Page) -> None:
    app.get_by_role("button", name="Play").click()
    wait_epoch_at_least(app, 5)
    app.get_by_role("button", name="Pause").click()
    expect(app.get_by_role("button", name="Play")).to_be_visible()
    stopped = epoch(app)
    app.wait_for_timeout(1000)
    assert epoch(app) == stopped


@pytest.mark.parametrize("steps", [1, 3])
def test_step_advances_exactly_one_epoch_each(app: Page, steps: int) -> None:
    for i in range(1, steps + 1):
        app.get_by_role("button", name="Step").click()
        expect(app.get_by_text(f"Epoch {i}", exact=True)).to_be_visible()
    app.wait_for_timeout(300)
    assert epoch(app) == steps


def test_reset_returns_to_epoch_zero_and_the_initial_loss(app: Page) -> None:
    initial = train_loss(app)
    app.get_by_role("button", name="Play").click()
    wait_epoch_at_least(app, 20)
    app.get_by_role("button", name="Pause").click()
    app.get_by_role("button", name="Reset").click()
    expect(app.get_by_text("Epoch 0", exact=True)).to_be_visible()
    assert train_loss(app) == pytest.approx(initial)
