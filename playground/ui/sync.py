"""Changing Bokeh models from an asyncio task, wherever the document lives.

Under `panel serve` a document may only be changed while its session holds the document lock:
a click handler runs under it, a background task (Play, the step-through's frames) does not.
In the Pyodide worker, a notebook and the tests there is no session and no lock.
"""

from __future__ import annotations

from collections.abc import Callable

import panel as pn


async def locked(change: Callable[[], None]) -> None:
    """Run `change` under the document lock when there is a server session; else at once."""
    doc = pn.state.curdoc
    context = getattr(doc, "session_context", None) if doc is not None else None
    if context is None:
        change()
    else:
        await context.with_locked_document(lambda _doc: change())
