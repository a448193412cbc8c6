"""Compile what the page imports to .pyc; ship the rest as (smaller) source.

The browser's Python compiles a .py file each time it is imported (the standard library zip
and the wheels' site-packages cannot keep a bytecode cache between visits), which is slow in
WebAssembly; a .pyc is larger on the wire. So only the files the page imports on its main
paths (STARTUP_LIST, written by build/census.py from a real run in Chromium) are compiled;
everything else stays .py. A file missing from the list still works: it is compiled in the
browser when something first imports it.

Third-party code and the standard library are compiled at optimize level 2 (no docstrings,
no asserts: as `python -OO`), which is about a quarter smaller; the app itself at level 0.
The files shipped as source lose their docstrings too at level 2 (the lines stay, blank, so
line numbers in tracebacks are right), which is what level 2 would do when they are compiled.
"""

from __future__ import annotations

import ast
import importlib.util
import marshal
import sys
import zipfile
from pathlib import Path

from . import wheels

STARTUP_LIST = Path(__file__).with_name("startup-modules.txt")
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def startup_files(path: Path = STARTUP_LIST) -> set[str]:
    """The listed paths (inside the wheels and the stdlib zip), e.g. `numpy/__init__.py`."""
    if not path.exists():
        return set()
    lines = (line.strip() for line in path.read_text().splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def pyc(source: bytes, name: str, optimize: int) -> bytes:
    """The .pyc for `source` (file `name`), as this Python (3.12, the browser's) writes it.

    Unchecked hash-based: the .pyc stands alone in the archive (no .py beside it), so
    nothing is ever compared; the header carries no build time, so the output is
    deterministic."""
    code = compile(source, name, "exec", dont_inherit=True, optimize=optimize)
    data = bytearray(importlib.util.MAGIC_NUMBER)
    data.extend((0b01).to_bytes(4, "little"))  # flags: hash-based, unchecked
    data.extend(importlib.util.source_hash(source))
    data.extend(marshal.dumps(code))
    return bytes(data)


def rewrite(archive: Path, startup: set[str], optimize: int,
            drop: tuple[str, ...] = ()) -> tuple[int, int]:
    """Rewrite the zip `archive` (a wheel or the stdlib zip) in place: the .py files listed
    in `startup` become .pyc; files whose names start with one of `drop` (path prefixes, or
    suffixes such as ".pyi" when they start with a dot) are left out.
    Returns (compiled, dropped)."""
    if sys.version_info[:2] != (3, 12):
        raise RuntimeError(".pyc files are version-specific: compile with Python 3.12")
    files = []
    compiled = dropped = 0
    with zipfile.ZipFile(archive) as z:
        is_wheel = archive.suffix == ".whl"
        dist_info = None
        for info in z.infolist():
            name = info.filename
            if name.split("/")[0].endswith(".dist-info"):
                dist_info = name.split("/")[0]
            if info.is_dir():
                continue
            if _dropped(name, drop):
                dropped += 1
                continue
            data = z.read(name)
            if name.endswith(".py") and name in startup:
                data = pyc(data, name, optimize)
                name += "c"
                compiled += 1
            elif name.endswith(".py") and optimize >= 2:
                data = strip_docstrings(data)
            files.append((name, data))
    if is_wheel and dist_info:
        wheels.write_wheel(archive, files, dist_info)
    else:
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for name, data in files:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, data, compresslevel=9)
    return compiled, dropped


def _dropped(name: str, drop: tuple[str, ...]) -> bool:
    return any(name.endswith(d) if d.startswith(".") else name.startswith(d) for d in drop)


def stdlib_drop(archive: Path, drop: tuple[str, ...], encodings: tuple[str, ...]) -> tuple:
    """`drop` plus every codec module of encodings/ not named in `encodings`."""
    with zipfile.ZipFile(archive) as z:
        codecs = [n for n in z.namelist() if n.startswith("encodings/") and n.endswith(".py")]
    keep = {f"encodings/{name}.py" for name in encodings}
    return drop + tuple(n for n in codecs if n not in keep)


def strip_docstrings(source: bytes) -> bytes:
    """`source` without its docstrings, each replaced by blank lines (or `pass` where it was
    the only statement), so every other line keeps its number. Unchanged if it does not parse
    as Python 3.12 (or would not compile after)."""
    try:
        text = source.decode("utf-8")
        tree = ast.parse(text)
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return source
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                doc = body[0]
                alone = len(body) == 1 and not isinstance(node, ast.Module)
                spans.append((doc.lineno, doc.col_offset, doc.end_lineno, doc.end_col_offset,
                              "pass" if alone else ""))
    if not spans:
        return source
    lines = text.splitlines(keepends=True)
    for first, col, last, end_col, stand_in in sorted(spans, reverse=True):
        head, tail = lines[first - 1][:col], lines[last - 1][end_col:]
        lines[first - 1:last] = [head + stand_in + tail] + ["\n"] * (last - first)
    stripped = "".join(lines)
    try:
        compile(stripped, "<stripped>", "exec", dont_inherit=True)
    except SyntaxError:
        return source
    return stripped.encode("utf-8")
