"""`make screenshots`: the built site at the sizes people use, as PNGs in screenshots/.

Desktop 1280x800, tablet landscape 1024x768, tablet portrait 768x1024 (touch), phone 390x844
(touch), and inside a 640x480 iframe of another page. Each after a short training run, so the
views show a network that has learned something; and each as a lesson link shows in its first
moments, drawn but before Python is up (`*-starting.png`). Black-box: imports nothing of ours
but the static server.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from conftest import ALLOWED_SCHEMES, CHROMIUM, SITE, StaticServer, dataset_menu  # noqa: F401
from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZES = {
    "desktop-1280x800": ({"width": 1280, "height": 800}, False),
    "tablet-landscape-1024x768": ({"width": 1024, "height": 768}, True),
    "tablet-portrait-768x1024": ({"width": 768, "height": 1024}, True),
    "phone-390x844": ({"width": 390, "height": 844}, True),
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def wait_ready(page: Page) -> None:
    page.wait_for_function("window.playground && window.playground.ready", timeout=120_000)


LESSON = "dataset=spiral&networkShape=6,4&activation=tanh&learningRate=0.03&seed=2"


def starting(page: Page, url: str, path: Path) -> None:
    """A lesson link as soon as the page is drawn: the built document, its data views cleared
    (never the default link's network), the settings waiting for Python."""
    page.goto(url + "#" + LESSON)
    page.wait_for_function("window.playground && window.playground.interactive",
                           timeout=120_000, polling=10)
    if not page.evaluate("window.playground.ready"):
        page.screenshot(path=path, full_page=True)
        print(f"wrote {path}")


def train_a_little(page: Page, epochs: int = 120) -> None:
    page.get_by_role("button", name="Play").click()
    counter = page.get_by_text(re.compile(r"^Epoch \d+$"))
    deadline = time.monotonic() + 60
    while int(counter.inner_text().split()[1]) < epochs and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.get_by_role("button", name="Pause").click()
    page.wait_for_timeout(500)


def extras(page: Page, out: Path) -> None:
    """The step-through at its Update phase, and the digits with their learned features."""
    for _ in range(4):
        page.get_by_role("button", name="Next phase").click()
        page.wait_for_timeout(400)
    page.wait_for_timeout(1500)
    page.screenshot(path=out / "step-through-update.png", full_page=True)
    page.get_by_role("button", name="Back to training").click()
    dataset_menu(page).select_option(label="Digits (8x8 images)")
    page.wait_for_timeout(2000)
    train_a_little(page, 30)
    page.screenshot(path=out / "digits-features.png", full_page=True)
    print(f"wrote {out}/step-through-update.png, digits-features.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--hash", default="", help="URL hash to open, e.g. dataset=spiral")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    server = StaticServer(SITE)
    url = server.url + (f"#{args.hash}" if args.hash else "")
    embed_url = server.url + "?embed" + (f"#{args.hash}" if args.hash else "")
    with sync_playwright() as p:
        kwargs = {"args": ARGS}
        if CHROMIUM.exists():
            kwargs["executable_path"] = str(CHROMIUM)
        browser = p.chromium.launch(**kwargs)
        for name, (viewport, touch) in SIZES.items():
            context = browser.new_context(viewport=viewport, has_touch=touch,
                                          service_workers="block")
            page = context.new_page()
            starting(page, server.url, args.out / f"{name}-starting.png")
            page.goto(url)
            wait_ready(page)
            train_a_little(page)
            page.screenshot(path=args.out / f"{name}.png", full_page=True)
            print(f"wrote {args.out / name}.png")
            if name.startswith("desktop"):
                page.screenshot(path=args.out / "first-screen.png")  # the README's picture
                page.get_by_role("button", name="Share").click()
                page.wait_for_timeout(300)
                page.screenshot(path=args.out / "share-dialog.png")
                page.get_by_role("button", name="Close").click()
                extras(page, args.out)
            context.close()
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "index.html").write_text(
                "<!DOCTYPE html><html><body style='margin:8px;font-family:serif'>"
                "<h3>How neural networks learn</h3>"
                f"<iframe src='{embed_url}' width='640' height='480' title='Playground'>"
                "</iframe>"
                "</body></html>")
            host = StaticServer(Path(tmp))
            context = browser.new_context(viewport={"width": 700, "height": 560},
                                          service_workers="block")
            page = context.new_page()
            page.goto(host.url)
            frame = page.frame_locator("iframe")
            frame.get_by_role("button", name="Play").wait_for(timeout=120_000)
            page.screenshot(path=args.out / "iframe-640x480-starting.png")
            print(f"wrote {args.out / 'iframe-640x480-starting.png'}")
            inner = next(f for f in page.frames if f.url.startswith(server.url))
            inner.wait_for_function("window.playground && window.playground.ready",
                                    timeout=120_000)
            frame.get_by_role("button", name="Play").click()
            page.wait_for_timeout(5000)
            frame.get_by_role("button", name="Pause").click()
            page.wait_for_timeout(1000)
            page.screenshot(path=args.out / "iframe-640x480.png")
            print(f"wrote {args.out / 'iframe-640x480.png'}")
            context.close()
            host.stop()
        browser.close()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
