"""Copy Bokeh's and Panel's JS and CSS out of their wheels into the site."""

from __future__ import annotations

import zipfile
from pathlib import Path

from . import pins


def bokeh_js(wheel: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for name in pins.BOKEH_JS:
            (out / name).write_bytes(z.read(f"bokeh/server/static/js/{name}"))


def panel_dist(wheel: Path, out: Path) -> None:
    """Panel's dist files at <out>/<version>/dist/..., where PANEL_CDN_ROOT points."""
    dist = out / pins.PANEL_VERSION / "dist"
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            rel = name.removeprefix("panel/dist/")
            if rel == name or name.endswith("/"):
                continue
            in_dirs = any(rel.startswith(d + "/") for d in pins.PANEL_DIST_DIRS)
            if rel in pins.PANEL_DIST_FILES or in_dirs:
                target = dist / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
