"""Write the pyodide-lock.json for exactly the packages the site ships."""

from __future__ import annotations

import json
from pathlib import Path


def entry(name: str, version: str, file_name: str, sha256: str, imports, depends) -> dict:
    """A lock entry in the shape Pyodide 0.27's loadPackage expects."""
    return {
        "name": name,
        "version": version,
        "file_name": file_name,
        "install_dir": "site",
        "sha256": sha256,
        "package_type": "package",
        "imports": list(imports),
        "depends": list(depends),
        "unvendored_tests": False,
        "shared_library": False,
    }


def write(path: Path, info: dict, entries: list[dict]) -> None:
    packages = {e["name"]: e for e in sorted(entries, key=lambda e: e["name"])}
    lock = {"info": info, "packages": packages}
    missing = {d for e in entries for d in e["depends"]} - set(lock["packages"])
    if missing:
        raise RuntimeError(f"lock entries depend on packages not shipped: {sorted(missing)}")
    path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
