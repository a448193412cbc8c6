"""Wheels rewritten for the browser: slimmed, made pure, Panel's CDN root patched; our lock."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sitebuilder import lockfile, pins, wheels


def make_wheel(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def test_repack_drops_slimmed_paths_and_patches_panel_cdn(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cdn = ("panel", "panel/io/resources.py")
    monkeypatch.setattr(wheels, "SOURCE_PATCHES", {cdn: wheels.SOURCE_PATCHES[cdn]})
    panel = next(w for w in pins.PYPI_WHEELS if w.name == "panel")
    src = make_wheel(tmp_path / "src.whl", {
        "panel/__init__.py": b"",
        "panel/dist/panel.min.js": b"js",
        "panel/tests/test_x.py": b"",
        "panel/io/resources.py": b"import os\n" + wheels.PANEL_CDN_LINE.encode() + b"\n",
        "panel-1.7.5.dist-info/WHEEL": b"Wheel-Version: 1.0\nTag: py3-none-any\n",
        "panel-1.7.5.dist-info/RECORD": b"",
    })
    out = tmp_path / "out"
    out.mkdir()
    name = wheels.repack(src, panel, out)
    with zipfile.ZipFile(out / name) as z:
        names = set(z.namelist())
        resources = z.read("panel/io/resources.py").decode()
        record = z.read("panel-1.7.5.dist-info/RECORD").decode()
    assert "panel/dist/panel.min.js" not in names
    assert "panel/tests/test_x.py" not in names
    assert 'os.environ.get("PANEL_CDN_ROOT"' in resources
    assert "panel/io/resources.py,," in record.splitlines()
    assert "panel/dist" not in record


def test_repack_refuses_a_panel_without_the_cdn_line(tmp_path: Path) -> None:
    panel = next(w for w in pins.PYPI_WHEELS if w.name == "panel")
    src = make_wheel(tmp_path / "src.whl", {
        "panel/io/resources.py": b"CDN_ROOT = 'elsewhere'\n",
        "panel-1.7.5.dist-info/WHEEL": b"",
    })
    with pytest.raises(RuntimeError, match="CDN_ROOT"):
        wheels.repack(src, panel, tmp_path)


def test_compiled_wheels_become_pure(tmp_path: Path) -> None:
    markupsafe = next(w for w in pins.PYPI_WHEELS if w.name == "markupsafe")
    src = make_wheel(tmp_path / "src.whl", {
        "markupsafe/__init__.py": b"",
        "markupsafe/_speedups.cpython-312-x86_64-linux-gnu.so": b"\x7fELF",
        "markupsafe-3.0.4.dist-info/WHEEL":
            b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-manylinux_2_17_x86_64\n",
    })
    name = wheels.repack(src, markupsafe, tmp_path)
    assert name == "markupsafe-3.0.4-py3-none-any.whl"
    with zipfile.ZipFile(tmp_path / name) as z:
        assert not [n for n in z.namelist() if n.endswith(".so")]
        meta = z.read("markupsafe-3.0.4.dist-info/WHEEL").decode()
    assert "Tag: py3-none-any" in meta
    assert "manylinux" not in meta
    assert "Root-Is-Purelib: true" in meta


def test_app_wheel_carries_the_package(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    name = wheels.app_wheel(repo, tmp_path, "0.1.0+abc")
    with zipfile.ZipFile(tmp_path / name) as z:
        names = z.namelist()
    assert "playground/__init__.py" in names
    assert "playground/app.py" in names
    assert not [n for n in names if "__pycache__" in n]


def test_lock_refuses_dependencies_that_are_not_shipped(tmp_path: Path) -> None:
    entry = lockfile.entry("a", "1", "a-1-py3-none-any.whl", "0" * 64, ["a"], ["missing"])
    with pytest.raises(RuntimeError, match="missing"):
        lockfile.write(tmp_path / "lock.json", {}, [entry])


def test_lock_lists_what_is_shipped(tmp_path: Path) -> None:
    entries = [lockfile.entry("a", "1", "a.whl", "0" * 64, ["a"], ["b"]),
               lockfile.entry("b", "2", "b.whl", "1" * 64, ["b"], [])]
    lockfile.write(tmp_path / "lock.json", {"version": "0.27.7"}, entries)
    lock = json.loads((tmp_path / "lock.json").read_text())
    assert set(lock["packages"]) == {"a", "b"}
    assert lock["packages"]["a"]["depends"] == ["b"]
    assert lock["info"] == {"version": "0.27.7"}
