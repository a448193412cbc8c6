"""Wheels rewritten for the browser: slimmed, made pure; ours without the Panel views; our lock."""

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


def test_repack_drops_slimmed_paths_and_writes_a_record(tmp_path: Path) -> None:
    wheel = pins.PypiWheel("demo", "1.0", "demo-1.0-py3-none-any.whl", "0" * 64, ("demo",),
                           slim=("demo/tests/",))
    src = make_wheel(tmp_path / "src.whl", {
        "demo/__init__.py": b"",
        "demo/tests/test_x.py": b"",
        "demo-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nTag: py3-none-any\n",
        "demo-1.0.dist-info/RECORD": b"",
    })
    out = tmp_path / "out"
    out.mkdir()
    name = wheels.repack(src, wheel, out)
    with zipfile.ZipFile(out / name) as z:
        names = set(z.namelist())
        record = z.read("demo-1.0.dist-info/RECORD").decode()
    assert "demo/tests/test_x.py" not in names
    assert "demo/__init__.py,," in record.splitlines()
    assert "demo/tests" not in record


def test_compiled_wheels_become_pure(tmp_path: Path) -> None:
    wheel = pins.PypiWheel("fast", "3.0", "fast-3.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                           "0" * 64, ("fast",), platform="manylinux2014_x86_64")
    src = make_wheel(tmp_path / "src.whl", {
        "fast/__init__.py": b"",
        "fast/_speedups.cpython-312-x86_64-linux-gnu.so": b"\x7fELF",
        "fast-3.0.dist-info/WHEEL":
            b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-manylinux_2_17_x86_64\n",
    })
    name = wheels.repack(src, wheel, tmp_path)
    assert name == "fast-3.0-py3-none-any.whl"
    with zipfile.ZipFile(tmp_path / name) as z:
        assert not [n for n in z.namelist() if n.endswith(".so")]
        meta = z.read("fast-3.0.dist-info/WHEEL").decode()
    assert "Tag: py3-none-any" in meta
    assert "manylinux" not in meta
    assert "Root-Is-Purelib: true" in meta


def test_app_wheel_carries_the_package(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    name = wheels.app_wheel(repo, tmp_path, "0.1.0+abc")
    with zipfile.ZipFile(tmp_path / name) as z:
        names = z.namelist()
    assert "playground/__init__.py" in names
    assert "playground/browser/worker.py" in names
    assert "playground/model/playground.py" in names
    assert not [n for n in names if "__pycache__" in n]
    # what imports Panel is never imported in the browser: not shipped
    assert not [n for n in names if n.startswith(("playground/views/", "playground/app.py",
                                                  "playground/page.py"))]


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
