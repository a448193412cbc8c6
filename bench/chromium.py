"""The benchmarks' Chromium: Debian's, as the browser tests use it, with a visitor's profile."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def launch(p):
    """Chromium for the benchmarks whose contexts may keep their caches in memory."""
    kwargs = {"args": ARGS}
    if Path(CHROMIUM).exists():
        kwargs["executable_path"] = CHROMIUM
    return p.chromium.launch(**kwargs)


@contextlib.contextmanager
def visitor(p, **options):
    """A browser with a profile of its own on disk, as a visitor's is: a disk HTTP cache (a
    context of `browser.new_context()` keeps its cache in memory, with a size cap per entry
    that the 10 MB wasm exceeds, so every visit would download it again)."""
    profile = tempfile.mkdtemp(prefix="nn-bench-")
    kwargs = {"args": ARGS, "user_data_dir": profile, **options}
    if Path(CHROMIUM).exists():
        kwargs["executable_path"] = CHROMIUM
    context = p.chromium.launch_persistent_context(**kwargs)
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
