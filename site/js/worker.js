/* The Python side of the page: a web worker that starts Pyodide, loads the packages the
 * build shipped, runs the Panel app and keeps its Bokeh document in sync with the page.
 *
 * Every URL is computed from this script's own location, so the site works at /, under any
 * sub-path (GitHub Pages' /repo/) and inside an iframe. Nothing is fetched from elsewhere.
 *
 * Protocol (page <-> worker), one message per thing that happened:
 *   worker -> page: {type: "status", stage}        loading progress: runtime, packages, app
 *                   {type: "render", docs_json, render_items, root_ids}
 *                   {type: "adopt"}                 the page's prerendered document is this
 *                                                   one's: keep it (no document is sent)
 *                   {type: "patch", patch, buffers} one batched Bokeh patch per refresh
 *                   {type: "error", message}        start-up failed; the page says so
 *                   {type: "url", hash}             the settings changed: the page's new hash
 *   page -> worker: {type: "init", query, hash, prerendered, runtime}  the page's URL, sent
 *                                                   first; the fingerprint of the prerendered
 *                                                   document it shows, or null; the runtime
 *                                                   the quick start compiled, or null
 *                   {type: "take-over", trainer, running}  after "adopt": link the page's
 *                                                   document and go on with the quick start's
 *                                                   trainer (a pickle, or null)
 *                   {type: "patch", patch}          a user event, applied synchronously
 *                   {type: "ack"}                   the page painted the last patch
 *                   {type: "rendered"}              the page embedded the document
 *                   {type: "hash", hash}            the user opened another link in this page
 */
"use strict";

// Start-up marks in ms since this worker's time origin (bench/startup.py reads them).
const marks = self.playgroundTimings = {timeOrigin: performance.timeOrigin};
marks.script = performance.now();

// Opened from disk (the `make disk` variant), this worker runs from a blob: URL, which has no
// folder; its loader (js/disk.js) then says where the site is.
const SITE = self.playgroundSite || new URL("../", self.location.href).href;
importScripts(SITE + "pyodide/pyodide.js");

let bridge = null;
let app = null;
let started = null;  // start_worker_app's result, until the page's document is linked
let takeOver = null;  // playground.browser.bridge.take_over
const early = [];  // messages that arrive before the bridge exists
let pageUrl = null;  // the page's {query, hash}, once it arrived
let gotPageUrl;
const pageUrlArrived = new Promise((resolve) => { gotPageUrl = resolve; });

function post(type, fields) {
  self.postMessage(Object.assign({type}, fields || {}));
}

function sendPatch(patch, buffers) {
  self.postMessage({type: "patch", patch: patch, buffers: buffers});
}

function handle(msg) {
  if (msg.type === "patch") {
    bridge.apply(msg.patch);
  } else if (msg.type === "ack") {
    bridge.ack();
  } else if (msg.type === "rendered") {
    bridge.link(sendPatch);
  } else if (msg.type === "hash") {
    app.open_link(msg.hash);
  } else if (msg.type === "take-over") {
    takeOver(started, sendPatch, msg.trainer, msg.running);
    started.destroy();
    started = null;
    marks.linked = performance.now();
  }
}

self.onmessage = (event) => {
  if (event.data.type === "init") {
    pageUrl = event.data;
    gotPageUrl();
    return;
  }
  if (bridge === null) {
    early.push(event.data);
    return;
  }
  try {
    handle(event.data);
  } catch (err) {
    console.error("worker could not handle", event.data.type, err);
  }
};

/* The quick start compiled the Pyodide runtime already (js/quick.js): instantiate that
 * module rather than compiling the 10 MB again. */
function useCompiledRuntime(module) {
  // Nor download it again: Pyodide fetches it before it instantiates it (a browser whose
  // HTTP cache is in memory, a private window, keeps no 10 MB entry).
  const fetchOriginal = self.fetch;
  self.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith("/pyodide.asm.wasm")) {
      self.fetch = fetchOriginal;
      return Promise.resolve(new Response(new ArrayBuffer(0)));
    }
    return fetchOriginal(input, init);
  };
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    WebAssembly.instantiateStreaming = instantiateStreaming;  // only the runtime's
    marks.shared_runtime = true;
    return {instance: await WebAssembly.instantiate(module, imports), module};
  };
}

async function start() {
  // The page says when to start: at once, or, while the quick start boots, once it is up.
  await pageUrlArrived;
  if (pageUrl.runtime) useCompiledRuntime(pageUrl.runtime);
  const t0 = performance.now();
  marks.loader = t0;
  post("status", {stage: "runtime"});
  const pyodide = await loadPyodide({indexURL: SITE + "pyodide/"});
  marks.runtime = performance.now();
  post("status", {stage: "packages", ms: performance.now() - t0});
  await pyodide.loadPackage(["nn-playground", "panel"], {messageCallback: () => {}});
  marks.packages = performance.now();
  post("status", {stage: "app", ms: performance.now() - t0});
  pyodide.globals.set("SITE_URL", SITE);
  const functions = await pyodide.runPythonAsync(`
import os
os.environ["PANEL_CDN_ROOT"] = SITE_URL + "vendor/panel/"
import playground.app  # panel, bokeh and the app's modules: timed apart from building it
from playground.browser.bridge import start_worker_app, take_over
(start_worker_app, take_over)
`);
  const [start_app, take_over] = functions.toJs({depth: 1});
  takeOver = take_over;
  marks.imported = performance.now();
  const result = await start_app(pageUrl.query, pageUrl.hash, (hash) => post("url", {hash}),
    pageUrl.prerendered);
  marks.built = performance.now();
  bridge = result.get("bridge");
  app = result.get("app");
  if (result.get("adopt")) {
    started = result;
    post("adopt", {ms: performance.now() - t0});
    for (const msg of early.splice(0)) handle(msg);
    return;
  }
  post("render", {
    docs_json: result.get("docs_json"),
    render_items: result.get("render_items"),
    root_ids: result.get("root_ids"),
    ms: performance.now() - t0,
  });
  result.destroy();
  for (const msg of early.splice(0)) handle(msg);
}

start().catch((err) => {
  const text = String(err && err.message ? err.message : err);
  const lines = text.trim().split("\n");
  console.warn("playground worker failed to start:", text);
  post("error", {message: lines[lines.length - 1]});
});
