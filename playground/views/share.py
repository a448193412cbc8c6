"""Buttons that act in the page itself: the Share dialog and pictures of the views.

They run as BokehJS callbacks in the page (the document is rendered there), so they work in
the static site, in a notebook and under `panel serve` alike; the Share dialog belongs to the
static site's page (site/js/main.js), and the button is shown only there.
"""

from __future__ import annotations

import panel as pn
from bokeh.plotting import figure as Figure

BUTTON = {"height": 44, "margin": (4, 6)}
# Bokeh's "success" green with white text is 2.5:1; this green is 5.1:1 (WCAG AA).
SHARE_CSS = (".bk-btn-success { background-color: #2e7d32; border-color: #1b5e20; }"
             " .bk-btn-success:hover, .bk-btn-success:active, .bk-btn-success.bk-active"
             " { background-color: #1b5e20; border-color: #1b5e20; }")

# Opens the page's <dialog> with the link and the <iframe> snippet (site/js/main.js).
OPEN_SHARE = "if (window.playgroundShare) { window.playgroundShare(); }"

# Renders the figure's view to PNG in the page and downloads it; nothing leaves the browser.
SAVE_PNG = """
const view = Bokeh.index.find_one(fig);
if (view === null) { return; }
view.export("png").to_blob().then((blob) => {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
});
"""


def share_button() -> pn.widgets.Button:
    """"Share": opens the dialog that offers the link and an `<iframe>` snippet."""
    button = pn.widgets.Button(name="Share", button_type="success", width=96,
                               stylesheets=[SHARE_CSS], **BUTTON)
    button.js_on_click(code=OPEN_SHARE)
    return button


def picture_button(fig: Figure, label: str, filename: str) -> pn.widgets.Button:
    """A button that saves `fig` as a PNG file named `filename`."""
    button = pn.widgets.Button(name=label, width=12 * len(label) + 24, **BUTTON)
    button.js_on_click(args={"fig": fig, "filename": filename}, code=SAVE_PNG)
    return button

