/* Prerender the playground's page when the site is built: `node build/prerender.js SITE`.
 *
 * Runs the built site's own Pyodide and wheels under Node.js, builds the app exactly as the
 * page's worker does (site/js/worker.js) for the default link, once for the full layout and
 * once for `?embed`, and writes what the worker would send the page, plus the fingerprint and
 * the quick start's targets (playground/browser/prerender.py), to SITE/prerender/full.json and
 * SITE/prerender/embed.json. The page draws these at once, before Python has started in the
 * browser. Same runtime, same wheels, same code: the same document, model ids included.
 *
 * Nothing is fetched: Pyodide reads the site's files from disk.
 */
"use strict";

const fs = require("fs");
const path = require("path");

const VARIANTS = {full: "", embed: "embed"};  // file name -> the page's query

/* One variant in a fresh interpreter, as the page's worker is: param numbers its objects'
 * names per process ("Row00580"), and they are part of the document too. */
async function prerender(site, query) {
  const {loadPyodide} = require(path.join(site, "pyodide", "pyodide.js"));
  const pyodide = await loadPyodide({indexURL: path.join(site, "pyodide") + path.sep});
  await pyodide.loadPackage(["nn-playground", "panel"], {messageCallback: () => {}});
  const render = await pyodide.runPythonAsync(`
import json
import os

from playground.browser.prerender import PRERENDER_SITE

os.environ["PANEL_CDN_ROOT"] = PRERENDER_SITE + "vendor/panel/"  # as site/js/worker.js does
import playground.app  # noqa: E402
from playground.browser.prerender import prerender


async def render(query):
    return json.dumps(await prerender(query))

render
`);
  return await render(query);
}

async function main(site) {
  // Panel's Pyodide module imports XMLHttpRequest (for requests made from Python); Node.js
  // has none, and nothing here makes a request.
  globalThis.XMLHttpRequest = class XMLHttpRequest {
    constructor() { throw new Error("no requests while prerendering"); }
  };
  const out = path.join(site, "prerender");
  fs.mkdirSync(out, {recursive: true});
  for (const [name, query] of Object.entries(VARIANTS)) {
    const text = await prerender(site, query);
    fs.writeFileSync(path.join(out, name + ".json"), text + "\n");
    console.log(`prerendered ${name}.json (${(text.length / 1024).toFixed(0)} kB)`);
  }
}

if (process.argv.length !== 3) {
  console.error("usage: node build/prerender.js SITE");
  process.exit(2);
}
main(path.resolve(process.argv[2])).catch((err) => {
  console.error("prerender failed:", err && err.message ? err.message : err);
  process.exit(1);
});
