"""Build the open-from-disk variant: `python build/make_disk.py [--site site] [--out DIR]`.

Writes dist/playground-offline/ and dist/playground-offline.zip: the built site plus what lets
it run from a double-clicked index.html (a file: URL, no web server). A file: page may not
fetch() its sibling files nor start a worker from one, but it may load classic scripts. So:

- every file the Pyodide worker reads (js/worker.js, the runtime, the lock file, every wheel)
  is also written as base64 into classic data scripts, data/NN.js (at most SCRIPT_BYTES of
  decoded bytes each; big files span several), listed by data/index.js;
- index.html loads js/disk.js (build/disk/disk.js) where it loaded js/main.js. Served over
  HTTP, disk.js just loads main.js: the folder works as the normal site and data/ is never
  read. Opened from disk, it reads the data scripts, showing progress, and main.js starts the
  worker from a blob, handing it the bytes (see disk.js).

Stdlib only; imports nothing of the playground. The folder is rebuilt from scratch each time.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from make_dist import DistError, make_dist, site_files

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SITE = REPO / "site"
TOP = "playground-offline"
DEFAULT_OUT = REPO / "dist" / TOP
LOADER = Path(__file__).resolve().parent / "disk" / "disk.js"
SCRIPT_BYTES = 4 << 20  # decoded bytes per data script: see BENCHMARKS.md / README
MAIN_TAG = '<script src="js/main.js"></script>'
DISK_TAG = '<script src="js/disk.js"></script>'
# What the worker reads, in the order it reads them (the wheels follow, from the lock file).
CORE = ("js/worker.js", "pyodide/pyodide.js", "pyodide/pyodide.asm.js",
        "pyodide/python_stdlib.zip", "pyodide/pyodide.asm.wasm", "pyodide/pyodide-lock.json")


class DiskError(Exception):
    pass


def worker_files(site: Path) -> list[str]:
    """The site-relative paths of every file the worker fetches or imports, and the page's
    documents (page/*.json: the page reads its own, the worker its table)."""
    lock_path = site / "pyodide" / "pyodide-lock.json"
    if not lock_path.is_file():
        raise DiskError(f"{site} is not built (no pyodide/pyodide-lock.json): run `make site`")
    lock = json.loads(lock_path.read_text())
    wheels = sorted("pyodide/" + p["file_name"] for p in lock["packages"].values())
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "page").glob("*.json"))
    paths = [*CORE, *wheels, *pages]
    missing = [p for p in paths if not (site / p).is_file()]
    if missing:
        raise DiskError(f"{site} lacks files the worker needs: {missing[:5]}")
    return paths


def data_call(path: str, size: int, offset: int, chunk: bytes) -> str:
    """One chunk of one file as a line of JavaScript (see build/disk/disk.js)."""
    text = base64.b64encode(chunk).decode("ascii")
    return f'playgroundDisk.data({json.dumps(path)}, {size}, {offset}, "{text}");\n'


def plan(sizes: list[tuple[str, int]], script_bytes: int = SCRIPT_BYTES,
         ) -> list[list[tuple[str, int, int]]]:
    """Pack (path, size) into scripts of at most `script_bytes` decoded bytes: small files
    share a script, big ones are split. Each script is a list of (path, offset, length)."""
    scripts: list[list[tuple[str, int, int]]] = [[]]
    room = script_bytes
    for path, size in sizes:
        offset = 0
        while True:  # at least once: an empty file is one empty chunk
            if room == 0:
                scripts.append([])
                room = script_bytes
            length = min(room, size - offset)
            scripts[-1].append((path, offset, length))
            room -= length
            offset += length
            if offset >= size:
                break
    return [s for s in scripts if s]


def write_data_scripts(site: Path, data_dir: Path, paths: list[str],
                       script_bytes: int = SCRIPT_BYTES) -> dict:
    """Write data/NN.js and data/index.js for `paths` (relative to `site`); return the index."""
    data_dir.mkdir(parents=True, exist_ok=True)
    contents = {p: (site / p).read_bytes() for p in paths}
    scripts = []
    for n, parts in enumerate(plan([(p, len(contents[p])) for p in paths], script_bytes)):
        name = f"{n:02d}.js"
        lines = [f"/* nn-playground, open from disk: data script {name} (see js/disk.js) */\n"]
        for path, offset, length in parts:
            data = contents[path]
            lines.append(data_call(path, len(data), offset, data[offset:offset + length]))
        (data_dir / name).write_text("".join(lines), encoding="ascii")
        scripts.append({"src": f"data/{name}", "bytes": sum(length for _, _, length in parts)})
    index = {"total": sum(len(d) for d in contents.values()), "files": len(paths),
             "scripts": scripts}
    (data_dir / "index.js").write_text(
        "/* nn-playground, open from disk: the data scripts to read, in order */\n"
        f"playgroundDisk.index({json.dumps(index, indent=1)});\n", encoding="ascii")
    return index


def disk_page(html: str) -> str:
    """index.html for the disk variant: js/disk.js where js/main.js was (disk.js loads it)."""
    if html.count(MAIN_TAG) != 1:
        raise DiskError(f"index.html must load js/main.js exactly once ({MAIN_TAG})")
    return html.replace(MAIN_TAG, DISK_TAG)


def loader_id() -> str:
    """A hash of what makes the disk variant besides the site: this script and the loader."""
    digest = hashlib.sha256()
    for path in (Path(__file__).resolve(), LOADER):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def shell_id(site: Path) -> str:
    """A hash of the site's hand-written files (page, scripts, styles): they may change without
    a new site build, and the copy must follow them."""
    digest = hashlib.sha256()
    for name in site_files(site):
        if name.split("/")[0] not in {"pyodide", "vendor", "build-info.json"}:
            content = hashlib.sha256((site / name).read_bytes()).digest()
            digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()[:12]


def is_current(site: Path = DEFAULT_SITE, out: Path = DEFAULT_OUT) -> bool:
    """Whether `out` was built from this build and shell of `site` by this disk build."""
    try:
        info = json.loads((out / "build-info.json").read_text())
        site_build = json.loads((site / "build-info.json").read_text())["build"]
    except (OSError, ValueError, KeyError):
        return False
    disk = info.get("disk", {})
    return (disk.get("site_build") == site_build and disk.get("loader") == loader_id()
            and disk.get("shell") == shell_id(site)
            and out.with_name(out.name + ".zip").is_file())


def make_disk(site: Path = DEFAULT_SITE, out: Path = DEFAULT_OUT,
              script_bytes: int = SCRIPT_BYTES) -> dict:
    """Build the disk variant of `site` into `out` and zip it to `<out>.zip`; return its
    build-info.json."""
    info_path = site / "build-info.json"
    if not info_path.is_file():
        raise DiskError(f"{site} is not built (no build-info.json): run `make site` first")
    info = json.loads(info_path.read_text())
    paths = worker_files(site)
    html = (site / "index.html").read_text()

    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(site, tmp, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    (tmp / "index.html").write_text(disk_page(html))
    shutil.copyfile(LOADER, tmp / "js" / "disk.js")
    index = write_data_scripts(site, tmp / "data", paths, script_bytes)
    loader = loader_id()
    disk_info = {
        **info,
        # A build id of its own: served, this copy's service worker cache must not be taken
        # for the plain site's (its index.html differs).
        "build": hashlib.sha256(f"{info['build']}+disk-{loader}".encode()).hexdigest()[:12],
        "files": sorted([*info["files"], "js/disk.js"]),  # data/ is for file: only
        "disk": {"site_build": info["build"], "shell": shell_id(site), "loader": loader,
                 "bytes": index["total"], "scripts": len(index["scripts"])},
    }
    (tmp / "build-info.json").write_text(json.dumps(disk_info, indent=1) + "\n")
    if out.exists():
        shutil.rmtree(out)
    os.replace(tmp, out)
    try:
        make_dist(out, out.with_name(out.name + ".zip"), top=out.name)
    except DistError as exc:
        raise DiskError(str(exc)) from exc
    return disk_info


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        info = make_disk(args.site.resolve(), args.out.resolve())
    except DiskError as exc:
        print(f"disk build failed: {exc}", file=sys.stderr)
        return 1
    out = args.out.resolve()
    archive = out.with_name(out.name + ".zip")
    print(f"{out}: {folder_size(out) / 1e6:.1f} MB ({info['disk']['scripts']} data scripts for "
          f"{info['disk']['bytes'] / 1e6:.1f} MB); {archive}: {archive.stat().st_size / 1e6:.1f} "
          f"MB; in {time.perf_counter() - t0:.1f} s. Double-click {out / 'index.html'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
