/* What used to be inline in index.html, which its Content-Security-Policy no longer allows
 * (no inline scripts, no onclick attributes): Bokeh's log level, set before any document is
 * embedded, and the loading screen's Reload button. It runs before main.js (and before the
 * disk variant's loader may show an error), so the button works whichever one failed. */
"use strict";

Bokeh.set_log_level("warn");
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-action=reload]")) {
    location.reload();
  }
});
