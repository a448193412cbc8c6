"""Zip the built site for any static host: `python build/make_dist.py [--site site] [--out ZIP]`.

The zip holds one folder, nn-playground/, with exactly what a host must serve: every file of
the built site except hidden ones (.stamp) and __pycache__. Unzip it anywhere, at the root of
a domain or in a sub-folder, and serve it as plain files. The zip is deterministic (sorted
names, fixed timestamps), so the same site gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOP = "nn-playground"
DEFAULT_OUT = REPO / "dist" / "nn-playground-site.zip"
STORED = (".whl", ".zip", ".png", ".ico")  # compressed already: deflating them only costs time
EPOCH = (1980, 1, 1, 0, 0, 0)  # the oldest time a zip can hold: no build time in the bytes


class DistError(Exception):
    pass


def site_files(site: Path) -> list[str]:
    """The deployable files of `site`, as sorted POSIX paths relative to it."""
    names = []
    for path in site.rglob("*"):
        rel = path.relative_to(site)
        if not path.is_file() or any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            continue
        names.append(rel.as_posix())
    return sorted(names)


def make_dist(site: Path, out: Path, top: str = TOP) -> list[str]:
    """Write the zip of `site` to `out` (atomically); return the names it holds."""
    info_path = site / "build-info.json"
    if not info_path.is_file():
        raise DistError(f"{site} is not built (no build-info.json): run `make site` first")
    files = site_files(site)
    missing = sorted(set(json.loads(info_path.read_text())["files"]) - set(files))
    if missing:
        raise DistError(f"{site} lacks files its build-info.json lists: {missing[:5]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    names = []
    with zipfile.ZipFile(tmp, "w") as archive:
        for name in files:
            entry = zipfile.ZipInfo(f"{top}/{name}", date_time=EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = (zipfile.ZIP_STORED if name.endswith(STORED)
                                   else zipfile.ZIP_DEFLATED)
            archive.writestr(entry, (site / name).read_bytes(), compresslevel=6)
            names.append(entry.filename)
    os.replace(tmp, out)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "site")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        names = make_dist(args.site, args.out)
    except DistError as exc:
        print(f"dist failed: {exc}", file=sys.stderr)
        return 1
    size = args.out.stat().st_size
    print(f"{args.out}: {len(names)} files under {TOP}/, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
