"""The app runs with only the packages the static site ships: no pandas, no narwhals.

The site build leaves pandas (7 MB), narwhals and pandas' dependencies out, and patches the
few places where Bokeh imports them regardless (build/sitebuilder/wheels.py, SOURCE_PATCHES).
This test runs the app's main paths in a fresh CPython in which every module the site does
not ship cannot be imported, with Bokeh and Panel loaded through those same patches and
every module compiled at the optimization level the build compiles it at (docstrings and
asserts stripped, while the interpreter runs unoptimized, as in the browser). A Bokeh or
Panel upgrade that needs pandas again on one of these paths fails here, not in the page.

CPython's Panel takes a few paths the browser's does not (it serves with Tornado): those
modules are allowed here (CPYTHON_ONLY). What the browser cannot import is caught the same
way in both.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "build"))
from sitebuilder import pins  # noqa: E402

CPYTHON_ONLY = ("tornado",)  # panel.io.server, which Pyodide's Panel does not import
# Left out of the browser's standard library, imported here by tornado alone (tornado.process).
CPYTHON_ONLY_STDLIB = ("multiprocessing",)
# Patched here as in the build: the packages whose versions this test checks are the pinned
# ones (numpy here is not the browser's build, so its patch does not apply to it).
PINNED = ("bokeh", "panel")
# What pins.LEFT_OUT provide: none of it may be imported.
LEFT_OUT_MODULES = {"pandas": "pandas", "python-dateutil": "dateutil", "pytz": "pytz",
                    "six": "six", "narwhals": "narwhals", "xyzservices": "xyzservices",
                    "pyyaml": "yaml", "markdown": "markdown",
                    "typing-extensions": "typing_extensions"}

SCRIPT = r'''
import asyncio
import base64
import importlib.abc
import importlib.machinery
import json
import sys

sys.path.insert(0, BUILD)
from sitebuilder import wheels  # noqa: E402

attempts = []


class Blocker(importlib.abc.MetaPathFinder):
    """Every top-level module that is neither shipped nor in the standard library is missing."""

    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        dropped = any(name == d or name.startswith(d + ".") for d in DROPPED)
        if not dropped and (top in ALLOWED or top in sys.stdlib_module_names
                            or top.startswith("_")):
            return None
        attempts.append(name)
        raise ModuleNotFoundError(f"No module named {name!r} (not shipped)", name=name)


class SiteLoader(importlib.machinery.SourceFileLoader):
    """Loads a module as the site ships it: the build's source patches applied, compiled at
    the build's optimization level (the interpreter itself runs unoptimized, as Pyodide's)."""

    optimize = 0

    def get_code(self, fullname):
        rel = fullname.replace(".", "/") + ("/__init__.py" if self.is_package(fullname)
                                            else ".py")
        with open(self.path, encoding="utf-8") as f:
            text = f.read()
        if fullname.split(".")[0] in PINNED:  # the versions the patches are written for
            text = wheels.patch_source(fullname.split(".")[0], rel, text)
        return compile(text, self.path, "exec", dont_inherit=True, optimize=self.optimize)


class Patcher(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top not in OPTIMIZE and top not in sys.stdlib_module_names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        spec.loader = SiteLoader(name, spec.origin)
        spec.loader.optimize = OPTIMIZE.get(top, STDLIB_OPTIMIZE)
        if top in PINNED and (top, name.replace(".", "/") + ".py") in wheels.SOURCE_PATCHES:
            PATCHED.append(name)
        return spec


PATCHED = []
sys.meta_path[:0] = [Blocker(), Patcher()]

import bokeh  # noqa: E402
import panel as pn  # noqa: E402
from bokeh.core.serialization import Serializer  # noqa: E402
from bokeh.document import Document  # noqa: E402
from bokeh.embed.util import standalone_docs_json_and_render_items  # noqa: E402
from bokeh.io.doc import set_curdoc  # noqa: E402
from panel.io.document import MockSessionContext  # noqa: E402
from panel.io.state import state  # noqa: E402

from playground.app import create_app  # noqa: E402
from playground.views import step_through  # noqa: E402

step_through.FRAME = 0.001
assert bokeh.__version__ == BOKEH and pn.__version__ == PANEL, (bokeh.__version__, pn.__version__)


def main():
    # What the worker does (playground.browser.bridge.start_worker_app, panel.io.pyodide).
    doc = Document()
    set_curdoc(doc)
    doc.hold()
    doc._session_context = lambda: MockSessionContext(document=doc)
    state.curdoc = doc
    app = create_app(ready=lambda: True, query="", fragment="", share=True)
    app.on_url(lambda fragment: None)
    app.servable()
    docs_json, _ = standalone_docs_json_and_render_items(doc.roots,
                                                         suppress_callback_warning=True)
    json.dumps(docs_json)
    doc._session_context = None
    doc.unhold()
    events = []
    doc.on_change(lambda event: events.append(event) if event.setter != "js" else None)

    def flush():  # the bridge's batched patch to the page
        serializer = Serializer(references=doc.models.synced_references)
        json.dumps(serializer.encode(list(events)), default=lambda buffer: buffer.id)
        events.clear()

    models = {}
    for model in doc.models:
        name = getattr(model, "label", None) or getattr(model, "title", None)
        if isinstance(name, str) and name:
            models.setdefault(name, model)

    def page(*patch):  # an event from the page, as BokehJS sends it
        doc.apply_json_patch({"events": list(patch)}, setter="js")

    def change(name, attr, new):
        page({"kind": "ModelChanged", "model": {"id": models[name].id}, "attr": attr,
              "new": new})

    def click(name):
        page({"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": {
            "type": "event", "name": "button_click",
            "values": {"type": "map", "entries": [["model", {"id": models[name].id}]]}}})

    async def session():
        click("Step")
        flush()
        click("+ layer")
        click("+ neuron")
        flush()
        settings = app.session.state
        for dataset in ("spiral", "digits", "xor"):  # as the Dataset menu does
            settings.dataset = dataset
            click("Step")
            flush()
        settings.activation = "relu"
        settings.learning_rate = 0.1
        app.output.discretize = True
        app.session.set_weight(0, 0, 0, 0.5)
        flush()
        click("Play")  # the loss chart streams, the views refresh
        await asyncio.sleep(0.5)
        flush()
        app.loop.pause()
        await asyncio.sleep(0)
        assert app.loop.epoch > 3, app.loop.epoch
        flush()
        for _ in range(5):  # the step-through's four phases, and on to the next step
            click("Next phase")
            await asyncio.sleep(0.05)
            flush()
        click("Back to training")
        flush()
        for name in ("Share", "Picture of the network", "Picture of the output"):
            if name in models:
                click(name)
        # Save: the page's click on the FileDownload makes Python write the file.
        change("Save model (JSON)", "clicks", 1)
        await asyncio.sleep(0.05)
        saved = models["Save model (JSON)"].data
        assert saved and saved.startswith("data:"), str(saved)[:80]
        text = base64.b64decode(saved.split(",", 1)[1])
        error = app.session.load_model_json(text)  # what opening that file does
        assert error is None, error
        flush()
        return app.loop.epoch

    epoch = asyncio.run(session())
    print(json.dumps({"epoch": epoch, "patched": sorted(PATCHED), "attempts": attempts,
                      "loaded": sorted({m.split(".")[0] for m in sys.modules})}))


main()
'''


def shipped_imports() -> set[str]:
    """The top-level modules the site ships (the lock's `imports`), plus the app's."""
    imports = {name for wheel in pins.PYPI_WHEELS for name in wheel.imports}
    imports |= {name for names in pins.OFFICIAL_PACKAGES.values() for name in names}
    return imports | {pins.APP_IMPORT}


def dropped_modules() -> set[str]:
    """Modules of shipped packages (and of the standard library) that the build leaves out."""
    paths = [p for prefixes in pins.SLIM.values() for p in prefixes] + list(pins.STDLIB_DROP)
    modules = {p.removesuffix("/").removesuffix(".py").replace("/", ".") for p in paths
               if p.endswith(("/", ".py"))}
    codecs = {c.stem for c in (Path(json.__file__).parents[1] / "encodings").glob("*.py")}
    modules |= {f"encodings.{c}" for c in codecs - set(pins.STDLIB_ENCODINGS)}
    modules = {m for m in modules if "." in m or m in sys.stdlib_module_names or m == "typings"}
    return {m for m in modules if m.split(".")[0] not in CPYTHON_ONLY_STDLIB}


def optimize_levels() -> dict[str, int]:
    """Top-level module -> the .pyc optimization level the site build compiles it at."""
    packages = [(w.name, w.imports) for w in pins.PYPI_WHEELS]
    packages += list(pins.OFFICIAL_PACKAGES.items()) + [(pins.APP_PACKAGE, (pins.APP_IMPORT,))]
    return {module: pins.OPTIMIZE.get(name, 2) for name, modules in packages
            for module in modules}


def run_app(allowed: set[str]) -> dict:
    script = (f"BUILD = {str(REPO / 'build')!r}\nALLOWED = {sorted(allowed)!r}\n"
              f"BOKEH = {pins.BOKEH_VERSION!r}\nPANEL = {pins.PANEL_VERSION!r}\n"
              f"OPTIMIZE = {optimize_levels()!r}\nSTDLIB_OPTIMIZE = {pins.STDLIB_OPTIMIZE!r}\n"
              f"PINNED = {PINNED!r}\nDROPPED = {sorted(dropped_modules())!r}\n"
              + SCRIPT)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def shipped_only() -> dict:
    import bokeh
    import panel

    if (bokeh.__version__, panel.__version__) != (pins.BOKEH_VERSION, pins.PANEL_VERSION):
        pytest.skip("this environment's Bokeh/Panel are not the versions the site ships")
    return run_app(shipped_imports() | set(CPYTHON_ONLY) | {"sitebuilder"})


def test_the_app_runs_with_only_the_shipped_packages(shipped_only: dict) -> None:
    assert shipped_only["epoch"] > 3
    left_out = {LEFT_OUT_MODULES[name] for name in pins.LEFT_OUT}
    assert not left_out & set(shipped_only["loaded"])
    tried = {name.split(".")[0] for name in shipped_only["attempts"]}
    assert not left_out & tried, f"tried (and failed) to import {sorted(left_out & tried)}"


def test_what_the_build_leaves_out_of_numpy_and_the_stdlib_is_not_imported(
        shipped_only: dict) -> None:
    tried = set(shipped_only["attempts"])
    assert not tried & dropped_modules()


def test_the_patched_modules_are_the_ones_loaded(shipped_only: dict) -> None:
    """Every patched module is on these paths, so each patch is exercised here."""
    from sitebuilder import wheels

    patched = {path.removesuffix(".py").replace("/", ".")
               for package, path in wheels.SOURCE_PATCHES if package in PINNED}
    assert patched <= set(shipped_only["patched"])
