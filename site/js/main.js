/* The page, put together: the document drawn at once (js/page.js), linked to the Python worker
 * that js/start.js started (js/link.js); offline support once it is live (js/offline.js).
 * Any failure says so on the loading screen, with a Reload button: never a blank page.
 *
 * window.playground holds what tests and benchmarks read: `interactive` (the document is
 * drawn; Play, Step and Reset take clicks), `ready` (the link's first frame is painted: every
 * control answers), `timings` (ms since navigation: painted, runtime, packages, app, ready,
 * first_click, first_epoch), `offline`, and counts of patches received and sent.
 */
"use strict";

(function () {
  const loading = document.getElementById("loading");
  const appEl = document.getElementById("app");
  const state = window.playground;
  const early = window.playgroundStart;

  function showError(message) {
    const box = document.getElementById("loading-error");
    box.hidden = false;
    box.querySelector(".message").textContent = message;
    loading.classList.add("failed");
    loading.hidden = false;
    appEl.hidden = true;
    document.body.classList.remove("starting");
  }

  if (!window.Worker || !window.WebAssembly) {
    showError("This browser cannot run the playground: it needs Web Workers and WebAssembly.");
    return;
  }

  const disk = window.playgroundDisk;  // opened from disk: js/disk.js read the files
  if (disk) {
    early.start({document: disk.json("page/" + early.variant + ".json"),
      worker: disk.startWorker()});
  } else {
    early.start();
  }
  early.worker.onerror = (event) => {
    event.preventDefault();
    showError("The playground could not start: " + (event.message || "the worker failed"));
  };
  window.playgroundLink.on("error", (msg) => {
    showError("The playground could not start: " + msg.message);
  });
  window.playgroundLink.on("ready", () => window.playgroundOffline.start());

  early.document.then((page) => window.playgroundPage.show(page)).then((jsdoc) => {
    state.timings.painted = performance.now();
    state.interactive = true;
    window.playgroundLink.connect(early.worker, jsdoc, early.messages);
  }).catch((err) => {
    console.warn(err);
    showError("The playground could not draw its page: " + err.message);
  });
})();
