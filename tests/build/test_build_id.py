"""build-info.json's build id versions the service worker's cache: it must change with the
hand-written shell, and not with the bytes of generated files (their zips carry times)."""

from __future__ import annotations

from pathlib import Path

from make_site import build_id


def test_the_build_id_follows_the_shell_and_the_stamp_only(tmp_path: Path) -> None:
    files = ["index.html", "js/main.js", "pyodide/x.whl", "vendor/bokeh/bokeh.min.js"]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    first = build_id("stamp", tmp_path, files)
    assert build_id("stamp", tmp_path, files) == first
    (tmp_path / "pyodide" / "x.whl").write_text("same wheel, zipped at another time")
    assert build_id("stamp", tmp_path, files) == first
    assert build_id("other-stamp", tmp_path, files) != first
    (tmp_path / "js" / "main.js").write_text("edited")
    assert build_id("stamp", tmp_path, files) != first
