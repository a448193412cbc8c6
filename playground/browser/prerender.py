"""The prerendered page: the full app's document for the default link, made when the site is
built, so the page can draw the playground before Python has even started.

build/prerender.js runs `prerender` in Pyodide under Node.js, with the site's own runtime and
wheels: the same code as the page's worker, so the same document, model ids included. The
worker makes its ids the same way (`deterministic_ids`), and when the page showed a prerender
whose `fingerprint` matches the document it has just built, it adopts the page's document
instead of sending its own: nothing is drawn twice, nothing flickers, and the quick start's
models (`targets`) are the full app's.
"""

from __future__ import annotations

import hashlib
from typing import Any

ID_BASE = 5_000_000  # ids p5000001...: far from BokehJS's own counter and the import's models
# The site's URL as a prerender writes it: a marker, for the page to replace with its own (the
# worker's document names Panel's stylesheets by absolute URLs under the site's vendor/panel/).
PRERENDER_SITE = "./@site/"


def deterministic_ids() -> None:
    """From now on Bokeh numbers its models p5000001, p5000002, ...: a document built by the
    same code for the same link gets the same ids in any interpreter."""
    import bokeh.util.serialization as serialization
    from bokeh.settings import settings

    settings.simple_ids.set_value(True)
    serialization._simple_id = ID_BASE


def fingerprint(app: Any, doc: Any) -> str:
    """What must be equal for a prerendered document to be this one: the link (every setting),
    the layout (embed, share) and every model's id and type."""
    models = sorted(f"{m.id}:{m.__qualified_model__}" for m in doc.models)
    text = "\n".join([app.session.state.to_url(), f"embed={app.embed} share={app.share}",
                      *models])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def target_models(app: Any) -> dict[str, Any]:
    """role -> the Bokeh model of what the quick start changes (playground.browser.quick.ROLES)
    and of the buttons it answers (quick.COMMANDS)."""
    network, output, chart = app.network, app.output, app.loss_chart
    out = {"lines": network.lines, "biases": network.biases, "thumbs": network.thumbs,
           "heat": output.heat}
    if chart is not None:
        out |= {"loss": chart.source, "loss_x": chart.x_range, "loss_y": chart.y_range}
    for role, pane in app.status.readouts.items():
        out[role] = _model(pane)
    for role, button in app.controls.buttons.items():
        if button._models:  # a hidden button (`playButton_hide`) has none
            out[role] = _model(button)
    return out


def targets(app: Any) -> dict[str, str]:
    """role -> model id, for the page (target_models)."""
    return {role: model.id for role, model in target_models(app).items()}


def changed_by_quick_start(app: Any) -> list[tuple[Any, str]]:
    """(model, attribute) pairs the quick start may have changed in the page."""
    from playground.browser.quick import CHANGES

    models = target_models(app)
    return [(models[role], attr) for role, attrs in CHANGES.items() if role in models
            for attr in attrs]


def _model(viewable: Any) -> Any:
    """A Panel component's Bokeh model (the page has one root)."""
    (model, _parent), = viewable._models.values()
    return model


async def prerender(query: str = "") -> dict[str, Any]:
    """The page's prerender for the default link: the document as the worker would send it,
    the hash the worker will write for it, its fingerprint and the quick start's targets."""
    from playground.browser.bridge import start_worker_app

    result = await start_worker_app(query, "")
    app = result["app"]
    return {"docs_json": result["docs_json"], "render_items": result["render_items"],
            "root_ids": result["root_ids"], "fingerprint": result["fingerprint"],
            "hash": app.session.state.to_url(), "query": query, "site": PRERENDER_SITE,
            "targets": targets(app)}
