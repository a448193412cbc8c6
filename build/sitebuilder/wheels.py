"""Rewrite wheels for the browser: drop what is not needed, patch Panel's CDN root, build ours."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Iterable
from pathlib import Path

from . import pins

# Panel hard-codes its CDN; in the browser the worker sets PANEL_CDN_ROOT to the site's copy.
PANEL_CDN_LINE = 'CDN_ROOT = "https://cdn.holoviz.org/panel/"'
PANEL_CDN_PATCH = (
    'CDN_ROOT = os.environ.get("PANEL_CDN_ROOT", "https://cdn.holoviz.org/panel/")'
)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(path: Path, files: Iterable[tuple[str, bytes]], dist_info: str) -> None:
    """Write a wheel from (name, bytes) pairs, with a fresh RECORD; deterministic output."""
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, data in files:
            if name == f"{dist_info}/RECORD":
                continue
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
            record.append(_record_line(name, data))
        record.append(f"{dist_info}/RECORD,,")
        info = zipfile.ZipInfo(f"{dist_info}/RECORD", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, "\n".join(record) + "\n")


def _pure_file_name(wheel: pins.PypiWheel) -> str:
    dist = wheel.file_name.split("-")[0]
    return f"{dist}-{wheel.version}-py3-none-any.whl"


def repack(src: Path, wheel: pins.PypiWheel, out_dir: Path) -> str:
    """Copy a PyPI wheel into out_dir, slimmed, patched and (if compiled) made pure; return name."""
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        files = []
        for name in names:
            if any(name.startswith(prefix) for prefix in wheel.slim):
                continue
            if wheel.platform and name.endswith(".so"):
                continue  # the package falls back to its pure-Python implementation
            data = z.read(name)
            if wheel.name == "panel" and name == "panel/io/resources.py":
                text = data.decode()
                if PANEL_CDN_LINE not in text:
                    raise RuntimeError("panel/io/resources.py no longer has its CDN_ROOT line")
                data = text.replace(PANEL_CDN_LINE, PANEL_CDN_PATCH).encode()
            if wheel.platform and name == f"{dist_info}/WHEEL":
                lines = [ln for ln in data.decode().splitlines() if not ln.startswith("Tag:")]
                lines += ["Tag: py3-none-any"]
                data = ("\n".join(lines) + "\n").encode()
                data = data.replace(b"Root-Is-Purelib: false", b"Root-Is-Purelib: true")
            files.append((name, data))
    name = _pure_file_name(wheel) if wheel.platform else wheel.file_name
    write_wheel(out_dir / name, files, dist_info)
    return name


def app_wheel(repo: Path, out_dir: Path, version: str) -> str:
    """Build the `playground` wheel from the source tree (Python files and package data)."""
    dist = pins.APP_PACKAGE.replace("-", "_")
    dist_info = f"{dist}-{version}.dist-info"
    package = repo / pins.APP_IMPORT
    files = []
    for path in sorted(package.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        files.append((path.relative_to(repo).as_posix(), path.read_bytes()))
    metadata = f"Metadata-Version: 2.1\nName: {pins.APP_PACKAGE}\nVersion: {version}\n"
    wheel_meta = ("Wheel-Version: 1.0\nGenerator: sitebuilder\nRoot-Is-Purelib: true\n"
                  "Tag: py3-none-any\n")
    files += [(f"{dist_info}/METADATA", metadata.encode()),
              (f"{dist_info}/WHEEL", wheel_meta.encode())]
    name = f"{dist}-{version}-py3-none-any.whl"
    write_wheel(out_dir / name, files, dist_info)
    return name
