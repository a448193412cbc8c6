/* The quick start's worker: Pyodide with numpy and the playground's engine only, no Panel and
 * no Bokeh, so it is up in about a second. It trains the experiment of the page's link and
 * sends the page Bokeh patches for the prerendered document (playground/browser/quick.py) until the
 * main worker (js/worker.js) has built the full app; then it hands its trainer over and the
 * page ends it.
 *
 * Protocol (page <-> quick start):
 *   page -> worker: {type: "start", fragment, targets}  the link's hash; role -> model id
 *                   {type: "command", name}              play (Play/Pause), step, reset
 *                   {type: "ack"}                         the page painted the last patch
 *                   {type: "handover"}                    stop, and send the trainer
 *   worker -> page: {type: "runtime", module}             the compiled runtime, for the main
 *                                                         worker (js/worker.js)
 *                   {type: "ready"}                       commands are obeyed from now on
 *                   {type: "patch", patch, buffers}       one view refresh
 *                   {type: "trainer", trainer, running}   the trainer (a pickle), after handover
 *                   {type: "error", message}              it could not start (the page goes on
 *                                                         without it)
 */
"use strict";

const marks = self.playgroundTimings = {timeOrigin: performance.timeOrigin};
marks.script = performance.now();

const SITE = self.playgroundSite || new URL("../", self.location.href).href;
importScripts(SITE + "pyodide/pyodide.js");

let quick = null;  // the Python QuickStart's JS-facing functions, once started
const early = [];  // messages that arrive before it exists
let gotStart;
const startArrived = new Promise((resolve) => { gotStart = resolve; });

/* Python None becomes undefined in JS; Bokeh's patches want null (Panel does the same). */
self.fromEntries = (entries) => {
  for (const entry of entries) {
    if (entry[1] === undefined) entry[1] = null;
  }
  return Object.fromEntries(entries);
};

/* The compiled runtime (pyodide.asm.wasm, 10 MB) goes to the page, which hands it to the main
 * worker: compiled once for both. */
const instantiateStreaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  const result = await instantiateStreaming(source, imports);
  WebAssembly.instantiateStreaming = instantiateStreaming;  // only the runtime's
  self.postMessage({type: "runtime", module: result.module});
  return result;
};

self.postPatch = (patch, buffers) => {
  if (marks.first_patch === undefined) marks.first_patch = performance.now();
  self.postMessage({type: "patch", patch, buffers}, [...buffers.values()]);
};

function handle(msg) {
  if (msg.type === "command") {
    if (marks.first_command === undefined) marks.first_command = performance.now();
    quick.command(msg.name);
  } else if (msg.type === "ack") {
    quick.ack();
  } else if (msg.type === "handover") {
    const result = quick.handover();
    self.postMessage({type: "trainer", trainer: result.trainer, running: result.running,
      timings: marks}, [result.trainer]);
  }
}

self.onmessage = (event) => {
  if (event.data.type === "start") {
    gotStart(event.data);
  } else if (quick === null) {
    early.push(event.data);
  } else {
    try {
      handle(event.data);
    } catch (err) {
      console.warn("quick start could not handle", event.data.type, err);
    }
  }
};

async function start() {
  marks.loader = performance.now();
  const pyodide = await loadPyodide({indexURL: SITE + "pyodide/"});
  marks.runtime = performance.now();
  await pyodide.loadPackage(["nn-playground"], {messageCallback: () => {}});  // numpy, param
  marks.packages = performance.now();
  const make = pyodide.runPython(`
import js
from pyodide.ffi import to_js

from playground.browser.quick import QuickStart


def send(patch):
    buffers = js.Map.new()
    for key, view in patch.buffers.items():
        array = js.Uint8Array.new(len(view))
        array.assign(view)
        buffers.set(key, array.buffer)
    js.postPatch(to_js(patch.content(), dict_converter=js.fromEntries), buffers)


def make(fragment, targets):
    quick = QuickStart(fragment, targets.to_py(), send)

    def handover():
        data, running = quick.handover()
        array = js.Uint8Array.new(len(data))
        array.assign(data)
        return to_js({"trainer": array.buffer, "running": running},
                     dict_converter=js.Object.fromEntries)

    return to_js({"command": quick.command, "ack": quick.ack, "handover": handover},
                 dict_converter=js.Object.fromEntries)

make
`);
  marks.imported = performance.now();
  const msg = await startArrived;
  quick = make(msg.fragment, msg.targets);
  make.destroy();
  marks.built = performance.now();
  self.postMessage({type: "ready"});
  for (const queued of early.splice(0)) handle(queued);
}

start().catch((err) => {
  const text = String(err && err.message ? err.message : err);
  const lines = text.trim().split("\n");
  console.warn("quick start failed:", text);
  self.postMessage({type: "error", message: lines[lines.length - 1]});
});
