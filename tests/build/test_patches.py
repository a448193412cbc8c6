"""The site build's source patches (wheels.SOURCE_PATCHES), and what the browser gets: numpy,
param and the playground's model (no Panel, no Bokeh: the page's document is built).

Applied to the real pinned wheels when they are in the download cache (after one `make site`),
so a version bump that moves the patched text fails here with the file's name; and to small
fixtures always, for the behaviour: exact match or a clear RuntimeError.
"""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import pytest
from sitebuilder import fetch, pins, wheels

PATCHED_PACKAGES = sorted({package for package, _ in wheels.SOURCE_PATCHES})


def cached_wheel(package: str, tmp_path: Path | None = None) -> Path:
    """The pinned wheel from the download cache (an official build: out of its carrier)."""
    downloads = fetch.cache_dir() / "downloads"
    wheel = next((w for w in pins.PYPI_WHEELS if w.name == package), None)
    path = downloads / (wheel.file_name if wheel else pins.OFFICIAL_CARRIER_FILE)
    if not path.exists():
        pytest.skip(f"{path.name} is not in the download cache (run `make site` once)")
    if wheel:
        return path
    assert tmp_path is not None
    with zipfile.ZipFile(path) as z:
        member = next(n for n in z.namelist() if n.startswith(pins.OFFICIAL_CARRIER_DIR + package
                                                              + "-") and n.endswith(".whl"))
        out = tmp_path / member.split("/")[-1]
        out.write_bytes(z.read(member))
    return out


@pytest.mark.parametrize("package", PATCHED_PACKAGES)
def test_every_patch_applies_to_the_pinned_wheel(package: str, tmp_path: Path) -> None:
    with zipfile.ZipFile(cached_wheel(package, tmp_path)) as z:
        for (name, path), replacements in wheels.SOURCE_PATCHES.items():
            if name != package:
                continue
            text = z.read(path).decode()
            patched = wheels.patch_source(package, path, text)
            ast.parse(patched, path)  # still Python
            for _, new in replacements:
                assert new in patched


def test_an_unpatched_file_is_returned_as_it_is() -> None:
    assert wheels.patch_source("numpy", "numpy/other.py", "import os\n") == "import os\n"


def test_a_missing_text_refuses_the_build_and_names_the_file() -> None:
    with pytest.raises(RuntimeError, match=r"numpy/_core/overrides\.py .*0 times"):
        wheels.patch_source("numpy", "numpy/_core/overrides.py", "something else\n")


def test_a_text_found_twice_refuses_the_build() -> None:
    old = wheels.SOURCE_PATCHES[("numpy", "numpy/_core/overrides.py")][0][0]
    with pytest.raises(RuntimeError, match="2 times"):
        wheels.patch_source("numpy", "numpy/_core/overrides.py", old + old)


def test_patch_wheel_refuses_a_wheel_without_a_patched_file(tmp_path: Path) -> None:
    src = tmp_path / "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("numpy/__init__.py", "")
        z.writestr("numpy-2.0.2.dist-info/WHEEL", "")
    with pytest.raises(RuntimeError, match="no longer has"):
        wheels.patch_wheel(src, "numpy")


def test_the_browser_gets_numpy_param_and_the_model_only() -> None:
    shipped = {w.name for w in pins.PYPI_WHEELS} | set(pins.OFFICIAL_PACKAGES)
    assert shipped == {"numpy", "param"}
    depends = {d for w in pins.PYPI_WHEELS for d in w.depends} | set(pins.APP_DEPENDS)
    assert depends <= shipped
    assert not {w.name for w in pins.JS_WHEELS} & shipped  # Panel and Bokeh: their JS only


def test_patch_wheel_patches_an_official_build_in_place(tmp_path: Path) -> None:
    path = cached_wheel("numpy", tmp_path)
    wheels.patch_wheel(path, "numpy")
    with zipfile.ZipFile(path) as z:
        text = z.read("numpy/_core/overrides.py").decode()
    assert "dispatcher.__doc__ is not None" in text
