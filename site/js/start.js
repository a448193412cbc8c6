/* Runs first, at the top of the page, before the 1.7 MB of Bokeh and Panel scripts: starts the
 * Python worker (js/worker.js) and the download of the page's document (made when the site was
 * built: page/full.json, or page/embed.json for `?embed`), so both are under way while the
 * browser parses those scripts. The other scripts find them in window.playgroundStart.
 *
 * Opened from disk (file:, the `make disk` variant) a page may neither start a worker from a
 * file nor fetch one: js/disk.js reads everything first and then calls start() itself, with
 * its own worker and its own copy of the document.
 */
"use strict";

(function () {
  /* The compact layout for an iframe: `?embed` (or `embed=...` in the hash), unless it says
   * false or 0 (as playground.model.playground.wants_embed reads a notebook's URL). */
  function variant() {
    for (const text of [location.search, location.hash]) {
      const params = new URLSearchParams(text.slice(1));
      if (params.has("embed")) {
        return ["false", "0"].includes(params.get("embed").toLowerCase()) ? "full" : "embed";
      }
    }
    return "full";
  }

  // What tests and benchmarks read (js/main.js says what each is).
  window.playground = {ready: false, interactive: false, timings: {}, patches: 0, sent: 0};
  const early = window.playgroundStart = {
    variant: variant(),
    worker: null,
    document: null,  // a Promise of the page's document (JSON)
    messages: [],  // what the worker says before js/link.js listens
  };

  /* Start the worker and the document's download (once). `options.worker` and
   * `options.document` replace them (the disk variant). */
  early.start = (options) => {
    if (early.worker !== null) return;
    const opts = options || {};
    if (!window.Worker || !window.WebAssembly) return;  // js/main.js says why it cannot run
    early.worker = opts.worker || new Worker("js/worker.js");
    early.worker.onmessage = (event) => {
      early.messages.push(Object.assign({at: performance.now()}, event.data));
    };
    early.worker.onerror = (event) => {
      event.preventDefault();
      early.messages.push({type: "error", message: event.message || "the worker failed"});
    };
    early.worker.postMessage({type: "init", query: location.search.slice(1),
      hash: location.hash.slice(1), variant: early.variant});
    early.document = opts.document || fetch("page/" + early.variant + ".json").then((response) => {
      if (!response.ok) throw new Error("the page's document is missing (" + response.status + ")");
      return response.json();
    });
    early.document.catch(() => {});  // handled where it is read (js/page.js)
  };

  if (location.protocol.startsWith("http")) early.start();
})();
