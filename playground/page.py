"""The static page's document, made by Panel from the real Playground when the site is built,
and the table the browser host paints it by (playground.browser.host.Table).

`page(embed)` builds the Playground for the default link (the full layout, or `?embed`'s),
renders its Bokeh document, and derives from the views' own registrations which model is
which painted target and how its properties are named, and from their `from_param` bindings
which widget drives which model parameter. Nothing here runs in the browser.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any

import panel as pn
from bokeh.document import Document
from bokeh.embed.util import standalone_docs_json_and_render_items
from bokeh.model import Model
from bokeh.models import ColumnDataSource

from playground.app import Playground
from playground.browser.host import Binding, BrowserHost, Table, Target
from playground.browser.patch import Patch
from playground.painter.screen import placeholder
from playground.views.host import FieldBinding

PANEL_CDN = "https://cdn.holoviz.org/panel/"
# Where the page's document names the site's own files (Panel's stylesheets): a marker the
# page replaces with the site's URL, since the site may live under any path.
SITE = "./@site/"
# Take clicks while Python starts (the worker runs them once it is up); the rest wait.
EARLY = ("controls.play", "controls.step", "controls.reset")
PAINTED = ("object", "name", "visible", "disabled", "options", "value")
KINDS = {pn.pane.HTML: "html", pn.pane.Str: "str", pn.widgets.Select: "select",
         pn.widgets.CheckBoxGroup: "checks", pn.widgets.FloatInput: "float"}


def page(embed: bool = False) -> dict[str, Any]:
    """The page's document for the default link, its table, and the placeholder patch the
    page shows until a link's first frame (as JSON-ready dicts)."""
    app = Playground(share=True, page=True, embed=embed)
    doc = Document()
    root = app.__panel__().get_root(doc)
    doc.add_root(root)
    docs_json, render_items = standalone_docs_json_and_render_items(
        [root], suppress_callback_warning=True)
    table = derive_table(app, root)
    text = json.dumps(docs_json).replace(PANEL_CDN, SITE + "vendor/panel/")
    items = [item.to_json() for item in render_items]
    return {"document": {"docs_json": text, "render_items": json.dumps(items),
                         "root_ids": json.dumps([root.ref["id"]]), "site": SITE,
                         "hash": app.model.state.to_url(),
                         "early": [table.targets[t].id for t in EARLY if t in table.targets],
                         "placeholder": placeholder_patch(table, app)},
            "table": table.to_json()}


def bokeh_model(obj: Any, root: Model) -> Model:
    """The Bokeh model a registered object is in the rendered document."""
    if isinstance(obj, Model):
        return obj
    return obj._models[root.ref["id"]][0]


def derive_table(app: Playground, root: Model) -> Table:
    targets: dict[str, Target] = {}
    for name, obj in app.registry.targets.items():
        model = bokeh_model(obj, root)
        if isinstance(obj, Model):
            kind = "source" if isinstance(obj, ColumnDataSource) else "model"
            props: dict[str, str] = {}
        else:
            kind = next((k for cls, k in KINDS.items() if isinstance(obj, cls)), "widget")
            mapping = type(obj)._property_mapping
            props = {p: mapping.get(p) or p for p in PAINTED
                     if p in obj.param and mapping.get(p, p) is not None}
        targets[name] = Target(id=model.id, kind=kind, props=props)
    paths = {id(owner): path for path, owner in app.model.parts().items()}

    def bindings(found: list[FieldBinding]) -> tuple[Binding, ...]:
        return tuple(Binding(b.target, paths[id(b.owner)], b.name) for b in found)

    return Table(targets=targets, fields=bindings(app.registry.fields),
                 events=bindings(app.registry.events))


def placeholder_patch(table: Table, app: Playground) -> dict[str, Any]:
    """The patch that clears the data views (a link the page was not built for is opening),
    its arrays inline (base64), as one JSON file can hold them."""
    patches: list[Patch] = []
    host = BrowserHost(table, app.model, patches.append, schedule=lambda: None)
    for frame in placeholder():
        host.apply(frame)
    host.flush()
    (patch,) = patches
    return inline(patch)


def inline(patch: Patch) -> dict[str, Any]:
    """The patch's JSON with each buffer written into its ndarray reference (base64)."""
    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            data = value.get("data")
            if value.get("type") == "bytes" and isinstance(data, dict) and "id" in data:
                return {"type": "bytes",
                        "data": base64.b64encode(patch.buffers[data["id"]]).decode()}
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    return fill(patch.content())


def write(out: Path) -> list[str]:
    """Write both pages into `out`: <variant>.json (the page's document) and
    <variant>.table.json (the worker's table). Returns the files' names."""
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for variant, embed in (("full", False), ("embed", True)):
        built = page(embed)
        for name, data in ((f"{variant}.json", built["document"]),
                           (f"{variant}.table.json", built["table"])):
            (out / name).write_text(json.dumps(data, separators=(",", ":")) + "\n")
            names.append(name)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the static page's documents.")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    for name in write(args.out):
        print(f"{name} ({(args.out / name).stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
