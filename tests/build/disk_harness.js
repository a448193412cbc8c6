/* Runs build/disk/disk.js in Node against a built disk folder, with just enough of a page
 * around it: a file: location, a DOM stub whose <script> elements run the folder's files, and a
 * Worker stub. Then runs the worker prelude the page built, as the worker would, and prints what
 * happened as JSON.
 *
 *   node disk_harness.js <folder>
 *
 * Used by tests/build/test_make_disk.py. Node has no Uint8Array.prototype.setFromBase64, so
 * this exercises disk.js's atob path; the browser tests (e2e/test_disk.py) exercise the other.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const crypto = require("crypto");
const {resolveObjectURL} = require("buffer");

const root = path.resolve(process.argv[2]);
const site = "file://" + root + "/";
const sha = (bytes) => crypto.createHash("sha256").update(Buffer.from(bytes)).digest("hex");
const report = {scripts: [], stage: [], bar: [], revoked: 0};

function element() {
  return {dataset: {}, classList: {add() {}}, remove() {},
    set textContent(text) { report.stage.push(text); }};
}
const bar = {max: 0, set value(v) { report.bar.push(v); }};
const loading = {querySelector: (s) => (s === "progress" ? bar : {prepend() {}}),
  classList: {add() {}}};
const errorBox = {hidden: true, querySelector: () => ({set textContent(t) { report.error = t; }})};
let worker = null;

class PageURL extends URL {
  static revokeObjectURL() { report.revoked += 1; }  // kept alive: the harness reads it back
}

const page = {
  location: {protocol: "file:", href: site + "index.html"},
  document: {
    readyState: "complete",
    getElementById: (id) => (id === "loading" ? loading : errorBox),
    createElement: element,
    head: {appendChild(script) {
      report.scripts.push(script.src);
      setImmediate(() => {  // scripts with async = false run in the order they were added
        if (script.src === "js/main.js") {  // what main.js does first
          worker = page.playgroundDisk.startWorker();
          return script.onload();
        }
        const file = path.join(root, script.src);
        if (!fs.existsSync(file)) return script.onerror();
        vm.runInContext(fs.readFileSync(file, "utf8"), context, {filename: file});
        script.onload();
      });
    }},
  },
  Worker: class {
    constructor(url) { this.url = url; }
    postMessage(message, transfer) { this.message = message; this.transfer = transfer; }
  },
  WebAssembly: {}, Blob, URL: PageURL, atob, console, performance, setImmediate,
};
page.window = page;
const context = vm.createContext(page);
vm.runInContext(fs.readFileSync(path.join(root, "js", "disk.js"), "utf8"), context);

async function inWorker() {
  /* The worker: the prelude's source from the page's blob, run in a context of its own. */
  const listeners = [];
  const imported = [];
  const scripts = [];
  const self = {
    addEventListener: (type, f) => listeners.push(f),
    removeEventListener: (type, f) => listeners.splice(listeners.indexOf(f), 1),
    fetch: (url) => Promise.reject(new TypeError("network fetch of " + url)),
    importScripts: (...urls) => urls.forEach((url) => {
      imported.push(url.startsWith("blob:") ? "blob:" : url);
      const blob = resolveObjectURL(url);  // still readable: revoking happens after this call
      if (blob) scripts.push(blob.text());
    }),
    Request, Response, Blob, URL, console,
  };
  self.self = self;
  vm.createContext(self);
  vm.runInContext(await resolveObjectURL(worker.url).text(), self);
  let stopped = false;
  listeners.slice().forEach((f) => f({data: worker.message,
    stopImmediatePropagation: () => { stopped = true; }}));
  const lock = site + "pyodide/pyodide-lock.json";
  const response = await self.fetch(lock + "?v=1");
  const again = await self.fetch(lock).then(() => "answered", (e) => e.message);
  const wasm = await self.fetch(new Request(site + "pyodide/pyodide.asm.wasm"));
  return {
    stopped, listeners: listeners.length, imported, site: self.playgroundSite,
    workerSource: await scripts[0],
    lock: {type: response.headers.get("Content-Type"), sha: sha(await response.arrayBuffer())},
    wasm: {type: wasm.headers.get("Content-Type"), sha: sha(await wasm.arrayBuffer())},
    again,
  };
}

setTimeout(async () => {
  if (worker) {
    const files = worker.message.files;
    report.message = {
      site: worker.message.site,
      transferred: worker.transfer.length === Object.keys(files).length &&
        worker.transfer.every((buffer) => Object.values(files).includes(buffer)),
      files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha(v)])),
    };
    report.prelude = await inWorker();
  }
  console.log(JSON.stringify(report));
}, 300);
