// Firefox ESR driven over WebDriver BiDi by puppeteer-core, for the Python harness
// (drivers.py): one JSON command per line on stdin, one JSON answer per line on stdout.
//
//   {"id": 1, "cmd": "launch", "args": {"executable": "/usr/bin/firefox-esr", "proxyPort": N}}
//   {"id": 2, "cmd": "newPage", "args": {"width": 1280, "height": 800, "touch": false}}
//   {"id": 3, "cmd": "goto", "args": {"url": "http://127.0.0.1:.../"}}
//   {"id": 4, "cmd": "evaluate", "args": {"expr": "...", "frame": null}}   (awaits a Promise)
//   {"id": 5, "cmd": "click", "args": {"expr": "...", "frame": null, "touch": false}}
//   {"id": 6, "cmd": "findings"}   console errors, page errors, requests seen since the last
//   {"id": 7, "cmd": "close"}
//
// Answers: {"id": 1, "ok": true, "value": ...} or {"id": 1, "ok": false, "error": "..."}.
// Console errors and requests of the page and of its dedicated workers come through BiDi;
// a service worker's console messages only through Firefox's stdout (the pref
// devtools.console.stdout.content), which is read here too; a service worker's requests only
// through the recording proxy (proxy.py) that every request for another host goes to.
import readline from "node:readline";
import puppeteer from "puppeteer-core";

// Firefox's own modules log to the same stdout, each with its prefix (a page's console.error
// prints its arguments, strings quoted): the remote-settings loader complains that the
// refusing proxy refused it.
const BROWSER_OWN = [/^console\.error: RSLoader: /];

let browser = null;
let context = null;
let page = null;
let errors = [];
let requests = [];

function frameOf(index) {
  if (index === null || index === undefined) return page.mainFrame();
  const children = page.mainFrame().childFrames();
  if (index >= children.length) throw new Error(`no iframe ${index} (${children.length} found)`);
  return children[index];
}

function watch(target) {
  target.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console error: ${msg.text()}`);
  });
  target.on("pageerror", (err) => errors.push(`page error: ${err.message || err}`));
  target.on("request", (request) => requests.push(request.url()));
}

const commands = {
  async launch({executable, proxyPort, headless = true}) {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: executable,
      headless,
      // Remote settings, left alone, call firefox.settings.services.mozilla.com; with this
      // variable Firefox honours puppeteer's pref that sends them to dummy.test instead,
      // which the harness knows as the browser's own.
      env: {...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: "1"},
      extraPrefsFirefox: {
        "devtools.console.stdout.content": true,
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxyPort,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxyPort,
        "network.proxy.share_proxy_settings": false,
        "network.proxy.no_proxies_on": "",  // 127.0.0.1 is never proxied (allow_hijacking_localhost)
        "dom.w3c_touch_events.enabled": 1,  // touch events without a touch screen
      },
    });
    let pending = "";
    browser.process().stdout.on("data", (data) => {
      pending += data.toString();
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) {
        if (line.startsWith("console.error:") && !BROWSER_OWN.some((re) => re.test(line))) errors.push(`console error (any realm): ${line}`);
      }
    });
    return {version: await browser.version()};
  },
  async newPage({width = 1280, height = 800, touch = false}) {
    if (context !== null) await context.close();
    context = await browser.createBrowserContext();
    page = await context.newPage();
    await page.setViewport({width, height, hasTouch: touch});
    watch(page);
    return null;
  },
  async goto({url, wait = "load"}) {
    await page.goto(url, {waitUntil: wait, timeout: 120_000});
    return page.url();
  },
  async reload() {
    await page.reload({waitUntil: "load", timeout: 120_000});
    return page.url();
  },
  async evaluate({expr, frame = null}) {
    return await frameOf(frame).evaluate(expr);
  },
  async click({expr, frame = null, touch = false}) {
    const handle = await frameOf(frame).evaluateHandle(expr);
    const element = handle.asElement();
    if (element === null) throw new Error(`no element: ${expr}`);
    if (touch) await element.tap(); else await element.click();
    await handle.dispose();
    return null;
  },
  async findings() {
    const out = {errors, requests};
    errors = [];
    requests = [];
    return out;
  },
  async close() {
    if (browser !== null) await browser.close();
    browser = null;
    return null;
  },
};

const lines = readline.createInterface({input: process.stdin});
for await (const line of lines) {
  const {id, cmd, args} = JSON.parse(line);
  let answer;
  try {
    const value = await commands[cmd](args || {});
    answer = {id, ok: true, value: value === undefined ? null : value};
  } catch (err) {
    answer = {id, ok: false, error: String(err && err.stack ? err.stack : err)};
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
  if (cmd === "close") break;
}
process.exit(0);
