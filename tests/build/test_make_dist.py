"""build/make_dist.py: the zip a static host needs, under one top folder, nothing else."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from make_dist import DistError, make_dist, site_files

SHIPPED = ["index.html", "js/main.js", "pyodide/x.whl", "sw.js"]


def fake_site(root: Path) -> Path:
    site = root / "site"
    for name in SHIPPED:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"contents of {name}\n")
    (site / "build-info.json").write_text(json.dumps({"build": "abc", "files": SHIPPED}))
    # What must not ship: the make stamp, bytecode caches, hidden files anywhere.
    (site / ".stamp").write_text("")
    for junk in ["__pycache__/a.cpython-312.pyc", "js/__pycache__/b.pyc", ".cache/x", "js/.swp"]:
        (site / junk).parent.mkdir(parents=True, exist_ok=True)
        (site / junk).write_text("junk")
    return site


def test_the_zip_holds_exactly_the_site_files_under_one_folder(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    out = tmp_path / "dist" / "site.zip"
    names = make_dist(site, out)
    expected = sorted(["build-info.json", *SHIPPED])
    assert names == [f"nn-playground/{n}" for n in expected]
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == names
        assert archive.read("nn-playground/js/main.js") == b"contents of js/main.js\n"
        assert archive.testzip() is None
    assert not (tmp_path / "dist" / "site.zip.tmp").exists()


def test_excluded_files_are_absent(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    files = site_files(site)
    assert not [f for f in files if "__pycache__" in f or f.startswith(".") or "/." in f]
    assert ".stamp" not in files


def test_the_zip_is_deterministic(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    make_dist(site, tmp_path / "a.zip")
    (site / "index.html").touch()  # a new mtime must not change the bytes
    make_dist(site, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_an_unbuilt_or_incomplete_site_is_refused(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    (site / "js" / "main.js").unlink()
    with pytest.raises(DistError, match="js/main.js"):
        make_dist(site, tmp_path / "out.zip")
    (site / "build-info.json").unlink()
    with pytest.raises(DistError, match="not built"):
        make_dist(site, tmp_path / "out.zip")
    assert not (tmp_path / "out.zip").exists()
