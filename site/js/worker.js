/* The page's Python: a web worker that starts Pyodide with numpy, param and the playground
 * package (no Panel, no Bokeh: the page's document was made when the site was built), and
 * paints that document for the page's link (playground/browser/worker.py).
 *
 * Every URL is computed from this script's own location, so the site works at /, under any
 * sub-path (GitHub Pages' /repo/) and inside an iframe. Nothing is fetched from elsewhere.
 *
 * Protocol (page <-> worker), one message per thing that happened:
 *   page -> worker: {type: "init", query, hash, variant}  first: the page's URL and which
 *                                                   built document it shows (full, embed)
 *                   {type: "patch", patch}          a change the learner made, applied
 *                                                   synchronously, in order
 *                   {type: "ack"}                   the page painted the last patch
 *                   {type: "hash", hash}            the learner opened another link here
 *                   {type: "file", kind, file}      a file the page read ("model", "data")
 *                   {type: "save"}                  Save model was pressed
 *                   {type: "keep", cache}           put the site's files fetched so far into
 *                                                   this Cache Storage cache (for offline use;
 *                                                   null: just drop the copies)
 *   worker -> page: {type: "status", stage}         loading progress: runtime, packages
 *                   {type: "patch", patch, buffers} one batched Bokeh patch per refresh
 *                   {type: "url", hash}             the settings changed: the page's new hash
 *                   {type: "download", name, text}  a saved model, for the page to download
 *                   {type: "error", message}        start-up failed; the page says so
 *                   {type: "kept", count}           the files are in the cache
 * Messages that arrive before Python is up wait, in order, and are handled once it is.
 */
"use strict";

// Start-up marks in ms since this worker's time origin (bench/startup.py reads them).
const marks = self.playgroundTimings = {timeOrigin: performance.timeOrigin};
marks.script = performance.now();

// Opened from disk (the `make disk` variant), this worker runs from a blob: URL, which has no
// folder; its loader (js/disk.js) then says where the site is.
const SITE = self.playgroundSite || new URL("../", self.location.href).href;
importScripts(SITE + "pyodide/pyodide.js");

/* A copy of each file fetched from the site (the runtime, the standard library, the wheels),
 * for js/offline.js: once the page is live and idle it has them put into the offline cache,
 * so that nothing is downloaded twice. Opened from disk there is no such cache. */
let fetched = self.playgroundSite ? null : new Map();
/* And the wheels, fetched at once rather than once the runtime is up (Pyodide asks for them
 * only then): on a classroom's network, their download overlaps the runtime's start. */
const ahead = new Map();  // url -> a Promise of its Response, for Pyodide's first fetch of it
if (fetched !== null) {
  const nativeFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input), SITE).href;
    const early = ahead.get(url);
    ahead.delete(url);
    const response = await (early || nativeFetch(input, init));
    if (fetched !== null && response.ok && url.startsWith(SITE)) fetched.set(url, response.clone());
    return response;
  };
  const lockUrl = SITE + "pyodide/pyodide-lock.json";
  const lock = nativeFetch(lockUrl);
  ahead.set(lockUrl, lock.then((response) => response.clone()));
  lock.then((response) => response.json()).then((data) => {
    const todo = ["nn-playground"];  // and what it depends on
    for (const name of todo) {
      const entry = data.packages[name];
      if (!entry) continue;
      const url = new URL(entry.file_name, SITE + "pyodide/").href;
      if (!ahead.has(url)) ahead.set(url, nativeFetch(url));
      for (const dep of entry.depends || []) if (!todo.includes(dep)) todo.push(dep);
    }
  }).catch(() => {});  // Pyodide fetches them itself, and says what went wrong
}

async function keep(name) {
  const copies = fetched || new Map();
  fetched = null;
  let count = 0;
  if (name && self.caches) {
    try {
      const cache = await caches.open(name);
      await Promise.all([...copies].map(([url, response]) =>
        cache.put(url, response).then(() => { count += 1; }, () => {})));
    } catch (err) {
      // no storage here: the service worker fetches what it needs itself
    }
  }
  post("kept", {count});
}

let page = null;  // the Python side's functions, once it is up
const waiting = [];  // messages that came before
let gotInit;
const initArrived = new Promise((resolve) => { gotInit = resolve; });

function post(type, fields) {
  self.postMessage(Object.assign({type}, fields || {}));
}

function handle(msg) {
  if (msg.type === "patch") page.patch(msg);
  else if (msg.type === "ack") page.ack();
  else if (msg.type === "hash") page.open_link(msg.hash);
  else if (msg.type === "file") page.file(msg.kind, msg.file);
  else if (msg.type === "save") page.save();
}

function handleSafely(msg) {
  if (msg.type === "keep") {
    keep(msg.cache);
    return;
  }
  try {
    handle(msg);
  } catch (err) {
    console.error("the playground could not handle", msg.type, err);
  }
}

self.onmessage = (event) => {
  if (event.data.type === "init") {
    gotInit(event.data);
  } else if (page === null) {
    waiting.push(event.data);
  } else {
    handleSafely(event.data);
  }
};

async function python() {
  marks.loader = performance.now();
  post("status", {stage: "runtime"});
  const pyodide = await loadPyodide({indexURL: SITE + "pyodide/"});
  marks.runtime = performance.now();
  post("status", {stage: "packages"});
  await pyodide.loadPackage(["nn-playground"], {messageCallback: () => {}});  // numpy, param
  marks.packages = performance.now();
  self.playgroundPython = pyodide;  // for build/census.py and the browser tests' checks
  return pyodide;
}

async function start() {
  const init = await initArrived;
  const table = fetch(SITE + "page/" + init.variant + ".table.json").then((response) => {
    if (!response.ok) throw new Error("the page's table is missing (" + response.status + ")");
    return response.text();
  });
  const [pyodide, tableText] = await Promise.all([python(), table]);
  post("status", {stage: "app"});
  const worker = pyodide.pyimport("playground.browser.worker");
  marks.imported = performance.now();
  const sendPatch = (patch, buffers) => self.postMessage({type: "patch", patch, buffers});
  page = worker.start(init.query, init.hash, tableText, sendPatch,
    (kind, data) => post(kind, data));
  worker.destroy();
  marks.built = performance.now();
  for (const msg of waiting.splice(0)) handleSafely(msg);
}

start().catch((err) => {
  const text = String(err && err.message ? err.message : err);
  const lines = text.trim().split("\n");
  console.warn("playground worker failed to start:", text);
  post("error", {message: lines[lines.length - 1]});
});
