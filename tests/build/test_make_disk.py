"""build/make_disk.py: the open-from-disk variant. Every byte survives the trip through the
generated data scripts, both read back in Python and run through the real loader (js/disk.js)
in Node; the page loads the loader first; folder, zip and staleness check."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from make_disk import (
    CORE,
    DISK_TAG,
    MAIN_TAG,
    DiskError,
    data_call,
    disk_page,
    is_current,
    make_disk,
    plan,
    worker_files,
    write_data_scripts,
)

HARNESS = Path(__file__).with_name("disk_harness.js")
LINE = re.compile(r'^playgroundDisk\.data\(("(?:[^"\\]|\\.)*"), (\d+), (\d+), '
                  r'"([A-Za-z0-9+/=]*)"\);$')
INDEX = re.compile(r"^playgroundDisk\.index\((.*)\);\s*$", re.S)


def parse_data_script(text: str) -> list[tuple[str, int, int, bytes]]:
    """The calls a data script makes: (path, size, offset, bytes), strictly in the format."""
    lines = text.splitlines()
    assert lines[0].startswith("/*")
    assert lines[0].endswith("*/")
    calls = []
    for line in lines[1:]:
        match = LINE.match(line)
        assert match, line[:120]
        path, size, offset, text64 = match.groups()
        calls.append((json.loads(path), int(size), int(offset), base64.b64decode(text64,
                                                                                  validate=True)))
    return calls


def read_back(data_dir: Path) -> tuple[dict, dict[str, bytes]]:
    """Rebuild every file from data/index.js and the scripts it lists, in order."""
    index = json.loads(INDEX.match(
        (data_dir / "index.js").read_text().split("\n", 1)[1]).group(1))
    files: dict[str, bytearray] = {}
    for script in index["scripts"]:
        calls = parse_data_script((data_dir.parent / script["src"]).read_text())
        assert sum(len(chunk) for *_, chunk in calls) == script["bytes"]
        for path, size, offset, chunk in calls:
            target = files.setdefault(path, bytearray(size))
            assert len(target) == size
            assert offset + len(chunk) <= size
            target[offset:offset + len(chunk)] = chunk
    return index, {k: bytes(v) for k, v in files.items()}


def test_a_data_line_carries_every_byte_value() -> None:
    rng = random.Random(1)
    for data in [b"", bytes(range(256)), bytes(rng.randrange(256) for _ in range(1001))]:
        line = data_call('pyodide/a "quoted" name.whl', 5000, 7, data)
        assert line.endswith(");\n")
        assert "\n" not in line[:-1]
        [(path, size, offset, chunk)] = parse_data_script("/* x */\n" + line)
        assert (path, size, offset, chunk) == ('pyodide/a "quoted" name.whl', 5000, 7, data)


def test_the_plan_packs_small_files_and_splits_big_ones() -> None:
    assert plan([("a", 3), ("b", 4), ("c", 25), ("d", 0), ("e", 1)], script_bytes=10) == [
        [("a", 0, 3), ("b", 0, 4), ("c", 0, 3)],
        [("c", 3, 10)],
        [("c", 13, 10)],
        [("c", 23, 2), ("d", 0, 0), ("e", 0, 1)],
    ]
    assert plan([("a", 10), ("b", 0)], script_bytes=10) == [[("a", 0, 10)], [("b", 0, 0)]]
    assert plan([], script_bytes=10) == []


def fake_site(root: Path, wheels: int = 3) -> Path:
    """A built site in miniature: the shell, a runtime, a lock file and its wheels."""
    site = root / "site"
    rng = random.Random(7)
    blob = lambda n: bytes(rng.randrange(256) for _ in range(n))  # noqa: E731
    files = {
        "index.html": ('<!DOCTYPE html>\n<html>\n<head>\n  <title>t</title>\n'
                       '  <script src="vendor/lib.js"></script>\n</head>\n<body>\n'
                       f'  <div id="loading"></div>\n  {MAIN_TAG}\n</body>\n</html>\n').encode(),
        "js/main.js": b"// main\n", "js/worker.js": b'"use strict";\n// worker \xe2\x9c\x93\n',
        "vendor/lib.js": b"// lib\n", "sw.js": b"// sw\n",
        "pyodide/pyodide.js": b"var loadPyodide;\n", "pyodide/pyodide.mjs": b"export {};\n",
        "pyodide/pyodide.asm.js": b"var _createPyodideModule;\n" * 50,
        "pyodide/pyodide.asm.wasm": b"\0asm" + blob(150_000),
        "pyodide/python_stdlib.zip": blob(20_000),
    }
    packages = {}
    for n in range(wheels):
        name = f"pkg{n}-1.0-py3-none-any.whl"
        files["pyodide/" + name] = blob(n * 9_000)  # pkg0 is empty
        packages[f"pkg{n}"] = {"name": f"pkg{n}", "file_name": name}
    files["pyodide/pyodide-lock.json"] = json.dumps({"info": {}, "packages": packages}).encode()
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    (site / ".stamp").write_text("")
    (site / "build-info.json").write_text(json.dumps({"build": "site1", "files": sorted(files)}))
    return site


def test_the_data_scripts_rebuild_every_file_the_worker_reads(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    paths = worker_files(site)
    assert paths[:len(CORE)] == list(CORE)
    assert paths[len(CORE):] == [f"pyodide/pkg{n}-1.0-py3-none-any.whl" for n in range(3)]
    index = write_data_scripts(site, tmp_path / "out" / "data", paths, script_bytes=32_000)
    assert len(index["scripts"]) > 5  # the wasm spans several scripts
    assert index["total"] == sum((site / p).stat().st_size for p in paths)
    again, files = read_back(tmp_path / "out" / "data")
    assert again == index
    assert list(files) == paths  # in the order the worker needs them
    for path in paths:
        assert files[path] == (site / path).read_bytes(), path


def test_the_page_loads_the_loader_where_it_loaded_main_js() -> None:
    html = ('<html><head><script src="vendor/a.js"></script></head>\n'
            f"<body><main></main>{MAIN_TAG}</body></html>")
    assert disk_page(html) == html.replace(MAIN_TAG, DISK_TAG)
    assert MAIN_TAG not in disk_page(html)
    with pytest.raises(DiskError, match="main.js"):
        disk_page(html.replace(MAIN_TAG, ""))


def test_make_disk_writes_the_folder_and_the_zip(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    out = tmp_path / "dist" / "playground-offline"
    info = make_disk(site, out, script_bytes=64_000)
    assert (out / "js" / "disk.js").read_bytes() == (
        Path(__file__).parents[2] / "build" / "disk" / "disk.js").read_bytes()
    assert disk_page((site / "index.html").read_text()) == (out / "index.html").read_text()
    for name in ["js/main.js", "js/worker.js", "pyodide/pyodide.asm.wasm", "sw.js"]:
        assert (out / name).read_bytes() == (site / name).read_bytes()  # it serves as a site too
    assert not (out / ".stamp").exists()
    assert not out.with_name(out.name + ".tmp").exists()
    _, files = read_back(out / "data")
    assert all(files[p] == (site / p).read_bytes() for p in worker_files(site))

    assert info == json.loads((out / "build-info.json").read_text())
    assert info["build"] != "site1"
    assert info["disk"]["site_build"] == "site1"
    assert "js/disk.js" in info["files"]
    assert not [f for f in info["files"] if f.startswith("data")]
    with zipfile.ZipFile(out.with_name(out.name + ".zip")) as archive:
        names = archive.namelist()
        assert all(n.startswith("playground-offline/") for n in names)
        assert "playground-offline/index.html" in names
        assert "playground-offline/data/index.js" in names
        assert archive.read("playground-offline/data/00.js") == (out / "data/00.js").read_bytes()

    assert is_current(site, out)
    (site / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm")  # generated: the build id says
    assert is_current(site, out)
    (site / "js" / "main.js").write_text("// edited, the site not rebuilt\n")
    assert not is_current(site, out)
    make_disk(site, out)
    assert is_current(site, out)
    (site / "build-info.json").write_text(json.dumps({"build": "site2", "files": []}))
    assert not is_current(site, out)
    assert not is_current(site, tmp_path / "nowhere")


def test_an_unbuilt_or_incomplete_site_is_refused(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    (site / "pyodide" / "pkg1-1.0-py3-none-any.whl").unlink()
    with pytest.raises(DiskError, match="pkg1"):
        make_disk(site, tmp_path / "out")
    (site / "build-info.json").unlink()
    with pytest.raises(DiskError, match="not built"):
        make_disk(site, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_loader_decodes_every_file_and_hands_it_to_the_worker(tmp_path: Path) -> None:
    """build/disk/disk.js itself, in Node with a stub page: it reads index.js and every data
    script, shows progress, decodes, starts the worker from a blob with every buffer
    transferred; the prelude answers fetch() and importScripts() from them, each file once."""
    site = fake_site(tmp_path)
    out = tmp_path / "playground-offline"
    make_disk(site, out, script_bytes=40_000)
    result = subprocess.run(["node", str(HARNESS), str(out)], capture_output=True, text=True,
                            timeout=60, check=True)
    report = json.loads(result.stdout)
    index, _ = read_back(out / "data")
    assert report["scripts"] == ["data/index.js", *(s["src"] for s in index["scripts"]),
                                 "js/main.js"]
    assert "error" not in report
    total = index["total"] / 1e6
    assert report["stage"][-1] == (
        f"Reading the playground from disk ({total:.1f} of {total:.1f} MB)")
    assert report["bar"][-1] == 1
    assert len(set(report["bar"])) >= 3  # it moved on the way

    sha = lambda p: hashlib.sha256((site / p).read_bytes()).hexdigest()  # noqa: E731
    site_url = out.resolve().as_uri() + "/"
    message = report["message"]
    assert message["site"] == site_url
    assert message["transferred"]
    assert message["files"] == {p: sha(p) for p in worker_files(site)}

    worker = report["prelude"]
    assert worker["stopped"]  # the first message is the prelude's alone ...
    assert worker["listeners"] == 0  # ... and the only one it takes
    assert worker["site"] == site_url
    assert worker["imported"] == ["blob:"]  # worker.js, from a blob made in the worker
    assert worker["workerSource"] == (site / "js" / "worker.js").read_text()
    assert worker["lock"] == {"type": "application/json", "sha": sha("pyodide/pyodide-lock.json")}
    assert worker["wasm"] == {"type": "application/wasm", "sha": sha("pyodide/pyodide.asm.wasm")}
    assert worker["again"].startswith("network fetch of")  # handed out once, then forgotten
    assert report["revoked"] == 1  # the page let go of the worker's blob URL


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_a_missing_data_script_is_reported(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    out = tmp_path / "playground-offline"
    make_disk(site, out, script_bytes=40_000)
    (out / "data" / "01.js").unlink()
    result = subprocess.run(["node", str(HARNESS), str(out)], capture_output=True, text=True,
                            timeout=60, check=True)
    report = json.loads(result.stdout)
    assert "prelude" not in report
    assert "js/main.js" not in report["scripts"]
    assert "could not read data/01.js" in report["error"]
