"""The core paths, written once and run in every engine (conftest.py's `driver`): load at / and
under a sub-path, a lesson link, `?embed` in a cross-origin iframe, Play / Pause / Step / Reset,
a setting changed while training, offline reload, a tap. Black-box: what a user sees (the
buttons by their labels, the "Epoch N" text) and the signals the page offers for tests
(window.playground.ready, .offline). Every test also fails on a console error or a request
outside 127.0.0.1 (conftest.watch).

The tests of one module share one page where they can (one start of the app for the first
five: WebKitGTK takes tens of seconds to start it on this machine).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from drivers import Driver
from harness import SUBPATH, SiteServer

LESSON = "#dataset=xor&networkShape=4,2&activation=relu&learningRate=0.03&seed=7"
START_TIMEOUT = 240  # s: WebKitGTK on a loaded 2-core machine needs over a minute
PLAY = "dom.button('Play')"
PAUSE = "dom.button('Pause')"
SHOWN = " !== null"  # a script's answer: a boolean, never an element


def wait_ready(driver: Driver, frame: int | None = None) -> None:
    """Until every control answers (window.playground.ready); fail at once on the page's own
    error message."""
    state = driver.wait("(s => s.ready || s.error)(dom.state()) && dom.state()",
                        what="the app to start", timeout=START_TIMEOUT, frame=frame)
    assert not state["error"], f"{driver.engine}: the app failed to start: {state['error']}"


def epoch(driver: Driver, frame: int | None = None) -> int:
    value = driver.js("dom.epoch()", frame=frame)
    assert value is not None, f"{driver.engine}: no 'Epoch N' text on the page"
    return value


def wait_epoch(driver: Driver, condition: str, what: str, frame: int | None = None,
               timeout: float = 60) -> int:
    """Until the epoch shown satisfies `condition` (JS, on `e`)."""
    return driver.wait(f"(e => e !== null && ({condition}) && {{e}})(dom.epoch())",
                       what=what, timeout=timeout, frame=frame)["e"]


def play_until_it_trains(driver: Driver, frame: int | None = None, touch: bool = False) -> int:
    """Press Play and see the epoch counter grow (twice: it keeps going); returns the last."""
    start = epoch(driver, frame)
    driver.click(PLAY, frame=frame, touch=touch)
    first = wait_epoch(driver, f"e > {start}", "Play to train (the epoch to grow)", frame)
    return wait_epoch(driver, f"e > {first}", "training to go on", frame)


def pause(driver: Driver, frame: int | None = None, touch: bool = False) -> int:
    """Press Pause; wait for Play to come back and the counter to stand still."""
    driver.click(PAUSE, frame=frame, touch=touch)
    driver.wait(PLAY + SHOWN, what="Pause to give Play back", frame=frame, timeout=30)
    stopped = epoch(driver, frame)
    time.sleep(1.0)
    assert epoch(driver, frame) == stopped, f"{driver.engine}: training went on after Pause"
    return stopped


# One page for the first tests of this module: / of a server of its own (the offline test stops it).
@pytest.fixture(scope="module")
def root_server(site: Path) -> Iterator[SiteServer]:
    server = SiteServer(site)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def app(driver: Driver, root_server: SiteServer) -> Driver:
    driver.new_page()
    driver.goto(root_server.url)
    wait_ready(driver)
    return driver


def test_loads_at_root_play_trains_and_pause_stops(app: Driver) -> None:
    assert epoch(app) == 0
    for label in ("Play", "Step", "Reset"):
        assert app.js("dom.button(args[0]) !== null", label), f"no {label} button"
    assert app.js("dom.byText(/^Train loss /) !== null"), "no 'Train loss' readout"
    play_until_it_trains(app)
    pause(app)


def test_step_adds_exactly_one_epoch(app: Driver) -> None:
    before = epoch(app)
    app.click("dom.button('Step')")
    wait_epoch(app, f"e === {before + 1}", f"Step to show epoch {before + 1}")
    time.sleep(0.5)
    assert epoch(app) == before + 1


def test_reset_returns_to_epoch_zero(app: Driver) -> None:
    assert epoch(app) > 0
    app.click("dom.button('Reset')")
    wait_epoch(app, "e === 0", "Reset to show Epoch 0")


def test_a_setting_changed_while_training_takes_effect(app: Driver) -> None:
    play_until_it_trains(app)
    chosen = app.js("dom.choose('Learning rate')")
    wanted = f"learningRate={chosen['value']}"
    app.wait(f"location.hash.includes({wanted!r})", what=f"the URL hash to say {wanted}",
             timeout=30)
    after = epoch(app)
    wait_epoch(app, f"e > {after + 2}", "training to go on after the change")
    assert app.js(PAUSE + SHOWN), "the change stopped training"
    pause(app)


def test_works_offline_after_one_visit(app: Driver, root_server: SiteServer) -> None:
    """After the first visit the service worker has cached the site: with the server gone,
    a reload still starts and trains."""
    if app.service_workers:
        pytest.skip(app.service_workers)
    offline = app.wait("['ready', 'incomplete', 'unavailable'].includes(window.playground"
                       ".offline) && window.playground.offline",
                       what="the service worker to precache the site", timeout=180)
    assert offline == "ready"
    root_server.stop()
    with pytest.raises(urllib.error.URLError):  # really gone
        urllib.request.urlopen(root_server.url, timeout=5)
    app.reload()
    wait_ready(app)
    assert epoch(app) == 0
    play_until_it_trains(app)
    pause(app)


def test_a_lesson_link_under_a_sub_path(driver: Driver, site_server: SiteServer) -> None:
    driver.new_page()
    del site_server.paths[:]
    base = site_server.url + SUBPATH.lstrip("/")
    driver.goto(base + LESSON)
    wait_ready(driver)
    hash_ = driver.js("location.hash")
    for setting in ("dataset=xor", "networkShape=4,2", "activation=relu", "seed=7"):
        assert setting in hash_, f"the lesson's {setting} is not in the link: {hash_}"
    assert epoch(driver) == 0
    play_until_it_trains(driver)
    pause(driver)
    assert site_server.paths, "the server saw no request"
    outside = [p for p in site_server.paths if not p.startswith(SUBPATH)]
    assert not outside, f"requests escaped the sub-path: {outside}"


def test_embed_in_a_cross_origin_iframe(driver: Driver, site_server: SiteServer,
                                        tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Article</title></head><body>"
        "<h1>How neural networks learn</h1>"
        f'<iframe src="{site_server.url}?embed" width="760" height="620" '
        'style="border: 0" title="Playground"></iframe></body></html>')
    host = SiteServer(tmp_path)  # another port: another origin
    try:
        driver.new_page()
        driver.goto(host.url)
        wait_ready(driver, frame=0)
        assert epoch(driver, frame=0) == 0
        play_until_it_trains(driver, frame=0)
        pause(driver, frame=0)
    finally:
        host.stop()


def test_a_tap_trains_and_pauses(driver: Driver, site_server: SiteServer) -> None:
    """On a tablet-sized page with touch: Play and Pause by tapping."""
    if driver.touch:
        pytest.skip(driver.touch)
    driver.new_page(width=768, height=1024, touch=True)
    driver.goto(site_server.url)
    wait_ready(driver)
    driver.js("(window.pointerTypes = [], document.addEventListener('pointerdown', "
              "(event) => window.pointerTypes.push(event.pointerType), true))")
    play_until_it_trains(driver, touch=True)
    pause(driver, touch=True)
    kinds = driver.js("window.pointerTypes")
    assert kinds == ["touch", "touch"], f"{driver.engine}: the taps came as {kinds}"

