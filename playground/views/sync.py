"""Changing Bokeh models from an asyncio task, wherever the document lives (TrainingLoop.lock).

Under `panel serve` a document may only be changed while its session holds the document lock:
a click handler runs under it, a background task (Play, the step-through's frames) does not.
In the Pyodide worker, a notebook and the tests there is no session and no lock. Nor is there
any document in the quick start (playground.browser.quick), which trains before Panel is imported:
this module does not import Panel itself, so the training loop does not either.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


async def locked(change: Callable[[], None]) -> None:
    """Run `change` under the document lock when there is a server session; else at once."""
    pn = sys.modules.get("panel")  # not imported: no document, no session
    doc = pn.state.curdoc if pn is not None else None
    context = getattr(doc, "session_context", None) if doc is not None else None
    if context is None:
        change()
    else:
        await context.with_locked_document(lambda _doc: change())
