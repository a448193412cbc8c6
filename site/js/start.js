/* Runs first, at the top of the page, before the 1.7 MB of Bokeh and Panel scripts: for the
 * default link (the only one prerendered), starts the quick start's worker (js/quick.js) and
 * fetches the prerendered page, so both are under way while the browser parses those scripts.
 * js/main.js takes them over (window.playgroundEarly). Opened from disk, or for any other link,
 * it does nothing and the page starts as it always did. */
"use strict";

(function () {
  const variant = {"": "full", "?embed": "embed"}[location.search];
  if (variant === undefined || !location.protocol.startsWith("http") || !window.Worker ||
      !window.WebAssembly) {
    return;
  }
  window.playgroundEarly = {
    variant: variant,
    worker: new Worker("js/quick.js"),
    prerender: fetch("prerender/" + variant + ".json").then((response) => {
      if (!response.ok) throw new Error("no prerendered page (" + response.status + ")");
      return response.json();
    }),
  };
  // A rejected fetch is handled when main.js reads it; until then, no unhandled rejection.
  window.playgroundEarly.prerender.catch(() => {});
})();
