"""Rewrite wheels for the browser: drop what is not needed, patch sources, build ours.

The source patches (SOURCE_PATCHES) are exact-text replacements: each old text must occur
exactly once in the file, or the build stops with a RuntimeError naming the file, so a new
release is never shipped half-patched. Check them after a version bump with
`pytest tests/build/test_patches.py`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from . import pins

SOURCE_PATCHES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    # numpy's .pyc carry no docstrings (compile.py, optimize 2), but the browser's Python runs
    # unoptimized, so numpy's C add_docstring refuses the None a dispatcher's __doc__ now is.
    ("numpy", "numpy/_core/overrides.py"): (
        ("""        if docs_from_dispatcher:
            add_docstring(implementation, dispatcher.__doc__)
""", """        if docs_from_dispatcher and dispatcher.__doc__ is not None:
            add_docstring(implementation, dispatcher.__doc__)
"""),
    ),
}


def patch_source(package: str, path: str, text: str) -> str:
    """`text` (the file `path` of the wheel `package`) with its SOURCE_PATCHES applied.

    Raises RuntimeError if an old text is not found exactly once: upstream changed, and the
    patch must be reviewed (not skipped: the site would need what the patch removes).
    """
    for old, new in SOURCE_PATCHES.get((package, path), ()):
        count = text.count(old)
        if count != 1:
            first = old.strip().splitlines()[0].strip()
            raise RuntimeError(
                f"{path} ({package} wheel): the text to patch, starting {first!r}, occurs "
                f"{count} times instead of once; upstream changed: review SOURCE_PATCHES in "
                f"build/sitebuilder/wheels.py"
            )
        text = text.replace(old, new)
    return text


def write_wheel(path: Path, files: Iterable[tuple[str, bytes]], dist_info: str) -> None:
    """Write a wheel from (name, bytes) pairs, with a fresh RECORD; deterministic output.

    RECORD lists the files without their hashes: nothing in the browser reads them (Pyodide
    checks the whole wheel against the lock's sha256), and for Bokeh and Panel the hashes
    were 130 kB on the wire."""
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in files:
            if name == f"{dist_info}/RECORD":
                continue
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)
            record.append(f"{name},,")
        record.append(f"{dist_info}/RECORD,,")
        info = zipfile.ZipInfo(f"{dist_info}/RECORD", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, "\n".join(record) + "\n", compresslevel=9)


def patch_wheel(path: Path, package: str) -> None:
    """Apply SOURCE_PATCHES to a wheel on disk (the official builds, which are not repacked)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        dist_info = next(n.split("/")[0] for n in names
                         if n.split("/")[0].endswith(".dist-info"))
        files = [(n, z.read(n)) for n in names if not n.endswith("/")]
    wanted = {p for pkg, p in SOURCE_PATCHES if pkg == package}
    if not wanted:
        return
    missing = wanted - set(names)
    if missing:
        raise RuntimeError(f"{path.name} no longer has {sorted(missing)}: review "
                           f"SOURCE_PATCHES in build/sitebuilder/wheels.py")
    files = [(n, patch_source(package, n, d.decode()).encode() if n in wanted else d)
             for n, d in files]
    write_wheel(path, files, dist_info)


def _pure_file_name(wheel: pins.PypiWheel) -> str:
    dist = wheel.file_name.split("-")[0]
    return f"{dist}-{wheel.version}-py3-none-any.whl"


def repack(src: Path, wheel: pins.PypiWheel, out_dir: Path) -> str:
    """Copy a PyPI wheel into out_dir, slimmed, patched and (if compiled) made pure; return name."""
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        files = []
        patched: set[str] = set()
        for name in names:
            if any(name.startswith(prefix) for prefix in wheel.slim):
                continue
            if wheel.platform and name.endswith(".so"):
                continue  # the package falls back to its pure-Python implementation
            data = z.read(name)
            if (wheel.name, name) in SOURCE_PATCHES:
                data = patch_source(wheel.name, name, data.decode()).encode()
                patched.add(name)
            if wheel.platform and name == f"{dist_info}/WHEEL":
                lines = [ln for ln in data.decode().splitlines() if not ln.startswith("Tag:")]
                lines += ["Tag: py3-none-any"]
                data = ("\n".join(lines) + "\n").encode()
                data = data.replace(b"Root-Is-Purelib: false", b"Root-Is-Purelib: true")
            files.append((name, data))
    missing = {path for package, path in SOURCE_PATCHES if package == wheel.name} - patched
    if missing:
        raise RuntimeError(f"{wheel.file_name} no longer has {sorted(missing)}: review "
                           f"SOURCE_PATCHES in build/sitebuilder/wheels.py")
    name = _pure_file_name(wheel) if wheel.platform else wheel.file_name
    write_wheel(out_dir / name, files, dist_info)
    return name


# Never imported in the browser: the Panel views, the component and the build-time page (they
# import Panel, which the browser does not have).
APP_LEFT_OUT = ("playground/views/", "playground/app.py", "playground/page.py")


def app_wheel(repo: Path, out_dir: Path, version: str) -> str:
    """Build the `playground` wheel from the source tree (Python files and package data),
    without APP_LEFT_OUT."""
    dist = pins.APP_PACKAGE.replace("-", "_")
    dist_info = f"{dist}-{version}.dist-info"
    package = repo / pins.APP_IMPORT
    files = []
    for path in sorted(package.rglob("*")):
        name = path.relative_to(repo).as_posix()
        if (path.is_dir() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}
                or name.startswith(APP_LEFT_OUT)):
            continue
        files.append((name, path.read_bytes()))
    metadata = f"Metadata-Version: 2.1\nName: {pins.APP_PACKAGE}\nVersion: {version}\n"
    wheel_meta = ("Wheel-Version: 1.0\nGenerator: sitebuilder\nRoot-Is-Purelib: true\n"
                  "Tag: py3-none-any\n")
    files += [(f"{dist_info}/METADATA", metadata.encode()),
              (f"{dist_info}/WHEEL", wheel_meta.encode())]
    name = f"{dist}-{version}-py3-none-any.whl"
    write_wheel(out_dir / name, files, dist_info)
    return name
