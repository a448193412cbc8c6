"""Build the static playground site: `python build/make_site.py [--out site]`.

Fills the generated parts of site/ (Pyodide runtime, wheels, lock file, vendored JS/CSS, the
page's documents) beside the hand-written shell. Downloads are cached (see
sitebuilder.fetch.cache_dir), so a rebuild is fast and works offline after the first one.
Run as a script, never as `-m build`: the folder is not an importable package, so it cannot
shadow PyPA's `build`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sitebuilder import compile as pyc
from sitebuilder import fetch, lockfile, pins, vendor, wheels
from sitebuilder.fetch import BuildError

REPO = Path(__file__).resolve().parent.parent
GENERATED = ("pyodide", "vendor", "page", "build-info.json")


def source_hash() -> str:
    """A hash of everything that goes into the build, for cache-busting and staleness."""
    digest = hashlib.sha256()
    roots = [REPO / "playground", REPO / "build" / "sitebuilder", REPO / "build" / "make_site.py"]
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(REPO).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_id(stamp: str, out: Path, files: list[str]) -> str:
    """The source stamp plus the hand-written shell's bytes (what is not generated): the
    generated files follow from the stamp, and their bytes vary (zip times), the shell's not."""
    digest = hashlib.sha256(stamp.encode())
    for name in files:
        if name.split("/")[0] not in GENERATED:
            content = hashlib.sha256((out / name).read_bytes()).digest()
            digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()[:12]


def app_version() -> str:
    namespace: dict = {}
    init = (REPO / "playground" / "__init__.py").read_text()
    for line in init.splitlines():
        if line.startswith("__version__"):
            exec(line, namespace)
    return namespace.get("__version__", "0.0.0")


def pages(out: Path) -> None:
    """site/page/*.json: the page's documents, made by Panel from the real views, and the
    tables the browser paints them by (playground/page.py, run in this Python: it
    imports Panel, which the build imports nothing of itself)."""
    run = subprocess.run([sys.executable, "-m", "playground.page", "--out", str(out)],
                         capture_output=True, text=True, cwd=REPO)
    if run.returncode != 0:
        raise BuildError(f"making the page failed: {(run.stderr or run.stdout).strip()}")
    for line in run.stdout.splitlines():
        print(f"      {line}")


def used_files(out: Path, files: list[str]) -> list[str]:
    """What the page uses, of the built files (what the service worker keeps for offline
    use): the shell, BokehJS and Panel's JS, the stylesheets the documents name, the runtime,
    the wheels the lock lists, the documents. Not the rest of Panel's themes and images."""
    named = set()
    for path in (out / "page").glob("*.json"):
        named |= set(re.findall(r"vendor/panel/[^\\\"?#]+", path.read_text()))
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    wheels = {"pyodide/" + p["file_name"] for p in lock["packages"].values()}
    runtime = {f"pyodide/{name}" for name in pins.PYODIDE_CORE_SHA256}

    def used(name: str) -> bool:
        top = name.split("/")[0]
        if top == "pyodide":
            return name in runtime or name in wheels
        if top == "vendor":
            return name in named or name.startswith("vendor/bokeh/") or name.endswith(".js")
        return True

    return [f for f in files if used(f)]


def build(out: Path, compile_pyc: bool = True) -> dict:
    t0 = time.perf_counter()
    if sys.version_info[:2] != (3, 12):
        raise BuildError(
            f"the site build needs Python 3.12 (the browser runs Pyodide {pins.PYODIDE_VERSION} "
            f"with Python 3.12, and .pyc files are version-specific); this is "
            f"{sys.version.split()[0]}. Use `make site`, which finds a 3.12."
        )
    stamp = source_hash()
    for name in GENERATED:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    runtime = out / "pyodide"
    print(f"[1/6] Pyodide {pins.PYODIDE_VERSION} runtime")
    official_lock = fetch.pyodide_core(runtime)
    print("[2/6] the official Pyodide build of numpy, verified against the official lock")
    entries = fetch.official_wheels(official_lock, runtime)
    for entry in entries:
        wheels.patch_wheel(runtime / entry["file_name"], entry["name"])
    print("[3/6] pure-Python wheels from PyPI (slimmed); Panel's and Bokeh's for their JS")
    cached = {wheel.name: fetch.pypi_wheel(wheel) for wheel in pins.JS_WHEELS}
    for wheel in pins.PYPI_WHEELS:
        src = fetch.pypi_wheel(wheel)
        name = wheels.repack(src, wheel, runtime)
        sha = fetch.sha256_of(runtime / name)
        entries.append(lockfile.entry(wheel.name, wheel.version, name, sha, wheel.imports,
                                      wheel.depends))
    version = f"{app_version()}+{stamp}"
    name = wheels.app_wheel(REPO, runtime, version)
    entries.append(lockfile.entry(pins.APP_PACKAGE, version, name,
                                  fetch.sha256_of(runtime / name), (pins.APP_IMPORT,),
                                  pins.APP_DEPENDS))
    startup = pyc.startup_files() if compile_pyc else set()
    print(f"[4/6] slimming; compiling the {len(startup)} files the page imports to .pyc")
    for entry in entries:
        optimize = pins.OPTIMIZE.get(entry["name"], 2)
        drop = pins.DROP + pins.SLIM.get(entry["name"], ())
        pyc.rewrite(runtime / entry["file_name"], startup, optimize, drop)
        entry["sha256"] = fetch.sha256_of(runtime / entry["file_name"])
    stdlib = runtime / "python_stdlib.zip"
    pyc.rewrite(stdlib, startup, pins.STDLIB_OPTIMIZE,
                pyc.stdlib_drop(stdlib, pins.STDLIB_DROP, pins.STDLIB_ENCODINGS))
    lockfile.write(runtime / "pyodide-lock.json", official_lock["info"], entries)
    print("[5/6] Bokeh and Panel JS/CSS")
    vendor.bokeh_js(cached["bokeh"], out / "vendor" / "bokeh")
    vendor.panel_dist(cached["panel"], out / "vendor" / "panel")
    print("[6/6] the page's documents (Panel, from the views) and their tables")
    pages(out / "page")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                   if p.is_file() and not p.name.startswith("."))
    info = {
        # The service worker caches per build id (sw.js?v=<build>), so it must change whenever
        # a shipped file does, the hand-written shell (js/, css/, index.html, sw.js) included.
        "build": build_id(stamp, out, files),
        "pyodide": pins.PYODIDE_VERSION,
        "panel": pins.PANEL_VERSION,
        "bokeh": pins.BOKEH_VERSION,
        "packages": sorted(e["name"] for e in entries),
        "files": [f for f in used_files(out, files) if f != "build-info.json"],
    }
    (out / "build-info.json").write_text(json.dumps(info, indent=1) + "\n")
    size = sum((out / f).stat().st_size for f in files)
    print(f"site built in {time.perf_counter() - t0:.1f} s: {out} ({len(files)} files, "
          f"{size / 1e6:.1f} MB), build {info['build']}")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "site")
    parser.add_argument("--no-pyc", action="store_true", help="ship .py (slower start)")
    args = parser.parse_args(argv)
    try:
        build(args.out.resolve(), compile_pyc=not args.no_pyc)
    except BuildError as exc:
        print(f"site build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
