"""What the page imports ships as .pyc, the rest as source; slimming leaves out what no page
uses (build/sitebuilder/compile.py)."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest
from sitebuilder import compile as pyc
from sitebuilder import pins

SITE = Path(__file__).resolve().parents[2] / "site"

MODULE = b'''"""The docstring."""
def f():
    """f's docstring."""
    assert False, "asserts are stripped at optimize 1 and 2"
    return 42
'''


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def import_from(archive: Path, name: str):
    sys.path.insert(0, str(archive))
    try:
        module = __import__(name)
    finally:
        sys.path.remove(str(archive))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]
    return module


def test_listed_files_become_pyc_and_import_without_their_source(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "lib.zip", {
        "pgtest_a/__init__.py": MODULE, "pgtest_a/b.py": b"X = 1\n", "pgtest_c.py": MODULE})
    compiled, dropped = pyc.rewrite(archive, {"pgtest_a/__init__.py", "pgtest_c.py"}, 2)
    assert (compiled, dropped) == (2, 0)
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == ["pgtest_a/__init__.pyc", "pgtest_a/b.py", "pgtest_c.pyc"]
    module = import_from(archive, "pgtest_c")
    assert module.__file__.endswith("pgtest_c.pyc")
    assert module.__doc__ is None  # optimize 2
    assert module.f.__doc__ is None
    assert module.f() == 42  # the assert is gone too
    assert import_from(archive, "pgtest_a").__doc__ is None


def test_optimize_0_keeps_docstrings_and_asserts(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "lib.zip", {"pgtest_d.py": MODULE})
    pyc.rewrite(archive, {"pgtest_d.py"}, 0)
    module = import_from(archive, "pgtest_d")
    assert module.f.__doc__ == "f's docstring."
    with pytest.raises(AssertionError):
        module.f()


def test_the_output_is_deterministic(tmp_path: Path) -> None:
    files = {"pgtest_e.py": MODULE, "pgtest_e-1.dist-info/METADATA": b"Name: pgtest-e\n"}
    a = make_zip(tmp_path / "a-1-py3-none-any.whl", files)
    b = make_zip(tmp_path / "b-1-py3-none-any.whl", files)
    pyc.rewrite(a, {"pgtest_e.py"}, 2)
    pyc.rewrite(b, {"pgtest_e.py"}, 2)
    assert a.read_bytes() == b.read_bytes()


def test_drop_takes_suffixes_and_path_prefixes(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "x-1-py3-none-any.whl", {
        "x/__init__.py": b"", "x/__init__.pyi": b"", "x/tests/t.py": b"", "x/m.ts": b"",
        "x-1.dist-info/METADATA": b"Name: x\n", "x-1.dist-info/RECORD": b""})
    _, dropped = pyc.rewrite(archive, set(), 2, (".pyi", ".ts", "x/tests/"))
    assert dropped == 3
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        record = z.read("x-1.dist-info/RECORD").decode().splitlines()
    assert names == {"x/__init__.py", "x-1.dist-info/METADATA", "x-1.dist-info/RECORD"}
    assert "x/__init__.py,," in record
    assert not any("tests" in line for line in record)


def test_only_the_kept_encodings_stay(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "stdlib.zip", {
        "encodings/__init__.py": b"", "encodings/utf_8.py": b"", "encodings/cp850.py": b"",
        "encodings/big5.py": b"", "os.py": b""})
    drop = pyc.stdlib_drop(archive, ("pydoc.py",), ("__init__", "utf_8"))
    assert set(drop) == {"pydoc.py", "encodings/cp850.py", "encodings/big5.py"}


def test_numpy_at_level_2_has_its_docstring_patch() -> None:
    """numpy asks sys.flags.optimize (0 in the browser) whether its functions have
    docstrings and fails at import when they have none, unless patched."""
    from sitebuilder import wheels

    if pins.OPTIMIZE.get("numpy", 2) == 2:
        assert ("numpy", "numpy/_core/overrides.py") in wheels.SOURCE_PATCHES


def test_the_startup_list_names_files_that_ship() -> None:
    """After a version bump, build/census.py must be run again: a listed file that no longer
    exists means the list is stale (the site still works, compiling in the browser)."""
    lock = SITE / "pyodide" / "pyodide-lock.json"
    if not lock.exists():
        pytest.skip("site/ is not built")
    names: set[str] = set()
    archives = [SITE / "pyodide" / e["file_name"]
                for e in json.loads(lock.read_text())["packages"].values()]
    for archive in archives + [SITE / "pyodide" / "python_stdlib.zip"]:
        with zipfile.ZipFile(archive) as z:
            names |= {n.removesuffix("c") for n in z.namelist() if n.endswith((".py", ".pyc"))}
    listed = pyc.startup_files()
    assert listed, "build/sitebuilder/startup-modules.txt is empty"
    stale = sorted(f for f in listed - names if not f.startswith("playground/"))
    assert not stale, f"run build/census.py again: {stale[:10]}"


def test_source_files_lose_their_docstrings_but_keep_their_line_numbers() -> None:
    source = (b'"""Module."""\nfrom __future__ import annotations\n\n\ndef f():\n'
              b'    """Only a docstring."""\n\n\nclass C:\n    """Doc\n    on two lines."""\n'
              b'    x = 1\n\n\ndef g():\n    raise ValueError("line 16")\n')
    stripped = pyc.strip_docstrings(source)
    assert b"docstring" not in stripped
    assert b"Doc" not in stripped
    assert stripped.count(b"\n") == source.count(b"\n")
    namespace: dict = {}
    exec(compile(stripped, "m.py", "exec"), namespace)
    assert namespace["f"]() is None
    assert namespace["C"].x == 1
    with pytest.raises(ValueError, match="line 16") as info:
        namespace["g"]()
    assert info.traceback[-1].lineno + 1 == 16


def test_source_that_does_not_parse_is_left_alone() -> None:
    assert pyc.strip_docstrings(b"print 'python 2'\n") == b"print 'python 2'\n"
