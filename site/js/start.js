/* Runs first, at the top of the page, before the 1.7 MB of Bokeh and Panel scripts: for the
 * default link (the only one prerendered), starts the quick start's worker (js/quick.js) and
 * fetches the prerendered page, so both are under way while the browser parses those scripts.
 * js/main.js takes them over (window.playgroundEarly).
 *
 * The default link is the page without a hash, or with the default settings written out (the
 * page writes every setting into its hash, so a reload has them): main.js remembers that hash
 * in localStorage. Another hash (a lesson link) waits for the prerender to say whether it is
 * the default; opened from disk, nothing happens here and the page starts as it always did. */
"use strict";

(function () {
  const variant = {"": "full", "?embed": "embed"}[location.search];
  if (variant === undefined || !location.protocol.startsWith("http") || !window.Worker ||
      !window.WebAssembly) {
    return;
  }
  const early = window.playgroundEarly = {
    variant: variant,
    worker: null,
    prerender: fetch("prerender/" + variant + ".json").then((response) => {
      if (!response.ok) throw new Error("no prerendered page (" + response.status + ")");
      return response.json();
    }),
  };
  // A rejected fetch is handled when main.js reads it; until then, no unhandled rejection.
  early.prerender.catch(() => {});
  const hash = location.hash.slice(1);
  let known = null;
  try {
    known = localStorage.getItem("nn-playground-default-hash");
  } catch (err) {
    // no storage (a private window, a third-party iframe): main.js decides once it has the
    // prerender
  }
  if (hash === "" || hash === known) {
    // What the worker says before main.js listens (it sends its compiled runtime early) waits
    // here; main.js reads early.messages, then listens itself.
    const worker = early.worker = new Worker("js/quick.js");
    early.messages = [];
    worker.onmessage = (event) => early.messages.push(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      early.messages.push({type: "error", message: event.message || "the worker failed"});
    };
  }
})();
