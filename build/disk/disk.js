/* Open from disk: the loader of the `make disk` variant (dist/playground-offline/). Its
 * index.html loads this in place of js/main.js (at the end of <body>).
 *
 * Served over HTTP, it only loads js/main.js: the normal site, and data/ is never read. Opened from a file: URL, the page has an opaque origin: it may neither
 * fetch its sibling files nor start a worker from one, but classic <script src> tags load. So the
 * bytes the worker needs (worker.js, the Pyodide runtime, the lock file, every wheel) come in
 * classic data scripts, data/NN.js, written by build/make_disk.py; each line is one chunk of one
 * file:
 *     playgroundDisk.data(path, size, offset, "<base64>");
 * decoded at once into that file's buffer (the string is garbage right after). data/index.js
 * lists the scripts: playgroundDisk.index({total, files, scripts: [{src, bytes}]}). They are read
 * one after the other, and the loading screen counts the megabytes. (Measured against reading
 * them all at once, from <head> or from here, and against one self-contained HTML file: this
 * paints the loading screen first, peaks lowest in memory, and is as fast on a busy machine;
 * README, "Run it from a USB stick".)
 *
 * Then main.js takes the page's document (disk.json) and, instead of `new Worker("js/worker.js")`,
 * calls playgroundDisk.startWorker(): a
 * worker built from a Blob (the prelude below), handed every file's ArrayBuffer (transferred, not
 * copied) in its first message. The prelude answers fetch() of those files from the buffers and
 * importScripts() of them from blob: URLs made inside the worker, then runs worker.js. The
 * page <-> worker protocol of main.js and worker.js is unchanged.
 */
"use strict";

(function () {
  const domReady = new Promise((resolve) => {
    if (document.readyState !== "loading") resolve();
    else document.addEventListener("DOMContentLoaded", resolve, {once: true});
  });

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => { script.remove(); resolve(); };
      script.onerror = () => { script.remove(); reject(new Error("could not read " + src)); };
      document.head.appendChild(script);
    });
  }

  if (location.protocol !== "file:" || !window.Worker || !window.WebAssembly) {
    // Served (or a browser main.js will say is too old): the normal page, data/ never read.
    domReady.then(() => loadScript("js/main.js"));
    return;
  }
  const disk = {files: {}, total: 0, done: 0, timings: {}};
  window.playgroundDisk = disk;  // main.js starts the worker with disk.startWorker()
  const MB = (n) => (n / 1e6).toFixed(1);

  /* The loading screen: one more stage before main.js's three, counting megabytes. */
  let stage = null;
  let bar = null;

  function progress() {
    if (stage === null) return;
    stage.textContent = "Reading the playground from disk" +
      (disk.total ? " (" + MB(disk.done) + " of " + MB(disk.total) + " MB)" : "");
    bar.value = disk.total ? disk.done / disk.total : 0;
  }

  domReady.then(() => {
    const loading = document.getElementById("loading");
    bar = loading.querySelector("progress");
    bar.max = 1;
    stage = document.createElement("li");
    stage.dataset.stage = "disk";  // not one of main.js's: it shows it done once they start
    stage.className = "active";
    loading.querySelector(".stages").prepend(stage);
    progress();
  });

  function showError(message) {
    const loading = document.getElementById("loading");
    const box = document.getElementById("loading-error");
    box.hidden = false;
    box.querySelector(".message").textContent = message;
    loading.classList.add("failed");
  }

  const decodeInto = Uint8Array.prototype.setFromBase64 ?
    (target, text) => target.setFromBase64(text) :
    (target, text) => {  // browsers without Uint8Array.prototype.setFromBase64: atob
      const binary = atob(text);
      for (let i = 0; i < binary.length; i++) target[i] = binary.charCodeAt(i);
    };

  /* Called by the data scripts. */
  disk.index = (index) => {
    disk.scripts = index.scripts;
    disk.total = index.total;
  };

  disk.data = (path, size, offset, text) => {
    const t = performance.now();
    let bytes = disk.files[path];
    if (!bytes) bytes = disk.files[path] = new Uint8Array(size);
    decodeInto(bytes.subarray(offset), text);
    disk.timings.decode = (disk.timings.decode || 0) + performance.now() - t;
  };

  /* The worker's prelude: runs first in the blob worker (toString'd: it sees nothing of this
   * file). The first message brings the site's URL and the files; the next ones are main.js's
   * and go to worker.js's own onmessage. */
  function prelude() {
    const first = (event) => {
      self.removeEventListener("message", first);
      event.stopImmediatePropagation();
      const site = event.data.site;
      // Keyed by absolute URL, as the URL parser writes it (a folder named "Clé USB" is
      // percent-encoded), so that however a file is asked for, it is found.
      const key = (url) => new URL(String(url), site).href.split(/[?#]/)[0];
      const files = new Map(Object.entries(event.data.files).map(([k, v]) => [key(k), v]));
      const types = {wasm: "application/wasm", json: "application/json", js: "text/javascript"};
      const nativeFetch = self.fetch;
      // Each file is read once (the runtime, the lock file, each wheel): hand out its bytes and
      // forget them, so the worker does not keep a second copy of every wheel.
      self.fetch = (input, init) => {
        const url = key(input instanceof Request ? input.url : input);
        const bytes = files.get(url);
        if (!bytes) return nativeFetch(input, init);
        files.delete(url);
        const type = types[url.split(".").pop()] || "application/octet-stream";
        return Promise.resolve(new Response(bytes, {headers: {"Content-Type": type}}));
      };
      // importScripts(SITE + "pyodide/pyodide.js") and Pyodide's own import of pyodide.asm.js:
      // from blob: URLs made here (the worker may read its own blobs, not the page's files).
      const nativeImportScripts = self.importScripts.bind(self);
      self.importScripts = (...urls) => {
        const blobs = [];
        try {
          nativeImportScripts(...urls.map((url) => {
            const bytes = files.get(key(url));
            if (!bytes) return url;
            files.delete(key(url));
            blobs.push(URL.createObjectURL(new Blob([bytes], {type: "text/javascript"})));
            return blobs[blobs.length - 1];
          }));
        } finally {
          blobs.forEach((blob) => URL.revokeObjectURL(blob));
        }
      };
      self.playgroundSite = site;  // worker.js's SITE: a blob worker's own URL has no folder
      self.importScripts(site + "js/worker.js");
    };
    self.addEventListener("message", first);
  }

  /* The page's document (page/full.json, page/embed.json), for main.js: read from its data
   * script like the worker's files, but kept in the page. */
  disk.json = (path) => {
    const bytes = disk.files[path];
    delete disk.files[path];
    if (!bytes) return Promise.reject(new Error("the page's document is missing (" + path + ")"));
    return Promise.resolve(JSON.parse(new TextDecoder().decode(bytes)));
  };

  /* Called by main.js instead of `new Worker("js/worker.js")`. */
  disk.startWorker = () => {
    const source = "\"use strict\";\n(" + prelude.toString() + ")();\n";
    const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    const buffers = {};
    for (const [path, bytes] of Object.entries(disk.files)) buffers[path] = bytes.buffer;
    worker.postMessage({site: new URL("./", location.href).href, files: buffers},
      Object.values(buffers));  // transferred: the page keeps no copy
    disk.files = {};
    return worker;
  };

  async function read() {
    await loadScript("data/index.js");
    progress();
    for (const script of disk.scripts) {
      await loadScript(script.src);
      disk.done += script.bytes;
      progress();
    }
    disk.timings.read = performance.now();  // since navigation
    await domReady;
    disk.timings.main = performance.now();
    await loadScript("js/main.js");
  }

  read().catch(async (err) => {
    console.warn(err);
    await domReady;
    showError("The playground could not read its files (" + err.message + "). Keep the " +
      "unzipped folder together, and open the index.html inside it.");
  });
})();
