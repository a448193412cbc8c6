/* The page side: shows loading progress, embeds the Bokeh document the worker renders, and
 * relays events both ways. Patches from the worker are applied as they come and acknowledged
 * after the next painted frame, so the worker never runs ahead of what the screen can show. */
"use strict";

(function () {
  const STAGES = ["runtime", "packages", "app"];
  const loading = document.getElementById("loading");
  const appEl = document.getElementById("app");
  const t0 = performance.now();
  window.playground = {ready: false, timings: {}, patches: 0, sent: 0};

  /* A keyboard user must see where the focus is. The app's controls live in Panel's and
   * Bokeh's shadow roots, out of reach of css/app.css, and their own focus style is a thin
   * light grey dotted line (the figures' canvases a light blue one): every shadow root made
   * from here on adopts one rule that draws a clear ring instead. (A browser without
   * constructable style sheets, Safari before 16.4, keeps Bokeh's own.) */
  (function showFocus() {
    if (!("adoptedStyleSheets" in Document.prototype)) return;
    const focusRing = new CSSStyleSheet();
    focusRing.replaceSync(":focus-visible { outline: 3px solid #174ea6 !important; " +
      "outline-offset: 2px !important; } " +
      // a group's buttons touch and the group clips them: the ring goes inside
      ".bk-btn-group .bk-btn:focus-visible { outline-offset: -5px !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, focusRing];
    const attachShadow = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attachShadow.call(this, init);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, focusRing];
      return root;
    };
  })();

  /* BokehJS draws a button anew when its label changes (Play becomes Pause), and the focus
   * was on the old one: a keyboard user pressing Enter on Play lost their place. A button
   * that had the focus keeps it. */
  (function keepButtonFocus() {
    let proto = null;
    try {
      proto = Bokeh.Models.get("Button").prototype.default_view.prototype;
    } catch (err) {
      return;  // another BokehJS: its buttons as they are
    }
    while (proto && proto.constructor.__name__ !== "AbstractButtonView") {
      proto = Object.getPrototypeOf(proto);
    }
    if (!proto) return;
    const rerender = proto.rerender;
    proto.rerender = function () {
      const focused = this.shadow_el != null && this.shadow_el.activeElement != null;
      const restore = () => {
        if (focused && this.button_el && !this.button_el.disabled) this.button_el.focus();
      };
      const result = rerender.apply(this, arguments);
      if (result && typeof result.then === "function") result.then(restore); else restore();
      return result;
    };
  })();

  function showStage(stage) {
    const index = STAGES.indexOf(stage);
    for (const li of loading.querySelectorAll("[data-stage]")) {
      const i = STAGES.indexOf(li.dataset.stage);
      li.classList.toggle("done", i < index);
      li.classList.toggle("active", i === index);
    }
    const bar = loading.querySelector("progress");
    if (bar) bar.value = index + 1;
    window.playground.timings[stage] = performance.now() - t0;
  }

  function showError(message) {
    const box = document.getElementById("loading-error");
    box.hidden = false;
    box.querySelector(".message").textContent = message;
    loading.classList.add("failed");
  }

  if (!window.Worker || !window.WebAssembly) {
    showError("This browser cannot run the playground: it needs Web Workers and WebAssembly.");
    return;
  }

  // Opened from disk (file:, the `make disk` variant), js/disk.js read the worker's files and
  // builds it from a blob: a file: page may not start one from js/worker.js.
  const worker = window.playgroundDisk ? window.playgroundDisk.startWorker() :
    new Worker("js/worker.js");
  // The settings live in the URL hash (TensorFlow Playground's keys); `?embed` asks for the
  // compact layout. The worker parses both, and sends the hash back whenever a setting changes.
  worker.postMessage({type: "init", query: location.search.slice(1), hash: location.hash.slice(1)});
  let jsdoc = null;
  let writtenHash = null;  // the hash we wrote ourselves: no need to send it back

  function writeHash(hash) {
    writtenHash = hash;
    history.replaceState(history.state, "", location.pathname + location.search + "#" + hash);
  }

  // A lesson link pasted into the address bar of an open playground applies at once.
  window.addEventListener("hashchange", () => {
    const hash = location.hash.slice(1);
    if (hash !== writtenHash) worker.postMessage({type: "hash", hash: hash});
  });
  let patching = 0;

  function sendChange(event) {
    if (patching > 0 || jsdoc === null) return;
    const patch = jsdoc.create_json_patch([event]);
    worker.postMessage({type: "patch", patch: patch});
    window.playground.sent += 1;
  }

  async function render(msg) {
    const docs_json = JSON.parse(msg.docs_json);
    const render_items = JSON.parse(msg.render_items);
    const root_ids = JSON.parse(msg.root_ids);
    const roots = {};
    appEl.textContent = "";
    root_ids.forEach((id, i) => {
      const el = document.createElement("div");
      el.id = "pg-root-" + i;
      el.style.display = "contents";
      appEl.appendChild(el);
      roots[id] = el.id;
    });
    render_items[0].roots = roots;
    render_items[0].root_ids = root_ids;
    const [views] = await Bokeh.embed.embed_items(docs_json, render_items);
    jsdoc = [...views.roots.values()][0].model.document;
    jsdoc.on_change(sendChange, false);
    loading.hidden = true;
    appEl.hidden = false;
    worker.postMessage({type: "rendered"});
    window.playground.timings.ready = performance.now() - t0;
    window.playground.timings.worker = msg.ms;
    window.playground.ready = true;
    document.body.classList.add("ready");
    registerServiceWorker();
  }

  /* Offline support: a worker per build (sw.js?v=<build>) precaches the whole site. */
  async function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
    try {
      const info = await (await fetch("build-info.json", {cache: "no-store"})).json();
      const script = "sw.js?v=" + encodeURIComponent(info.build);
      const registration = await navigator.serviceWorker.register(script);
      window.playground.offline = "registered";
      // "ready" once this build's worker controls the page (it activates only after it
      // precached everything) and its cache (named as in sw.js) holds every file of the build.
      const sw = navigator.serviceWorker;
      const wanted = new URL(script, location.href).href;
      while (!sw.controller || sw.controller.scriptURL !== wanted) {
        await new Promise((resolve) => sw.addEventListener("controllerchange", resolve, {once: true}));
      }
      const scope = new URL(registration.scope).pathname;
      const cache = await caches.open("nn-playground-" + info.build + "@" + scope);
      const cached = new Set((await cache.keys()).map((request) => request.url));
      const files = ["./", "build-info.json", ...info.files];
      const missing = files.filter((f) => !cached.has(new URL(f, registration.scope).href));
      window.playground.offline = missing.length ? "incomplete" : "ready";
    } catch (err) {
      // Storage may be off (private mode, third-party iframe): the app works, just not offline.
      window.playground.offline = "unavailable";
    }
  }

  /* The Share dialog (opened by the app's Share button): the link to this exact state, and an
   * <iframe> snippet with the compact layout. The page's own URL is the link: the worker keeps
   * its hash current. */
  function shareUrls() {
    const base = location.href.split("#")[0].split("?")[0];
    const params = new URLSearchParams(location.search);
    params.delete("embed");
    const query = params.toString() ? "?" + params.toString() : "";
    const hash = location.hash;
    return {link: base + query + hash, embed: base + "?embed" + (query ? "&" + query.slice(1) : "") + hash};
  }

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  const shareDialog = document.getElementById("share");
  window.playgroundShare = () => {
    const urls = shareUrls();
    document.getElementById("share-link").value = urls.link;
    document.getElementById("share-embed").value =
      '<iframe src="' + escapeAttribute(urls.embed) + '" width="640" height="480" ' +
      'style="border: 0" title="Neural Network Playground" loading="lazy"></iframe>';
    shareDialog.querySelector(".copied").textContent = "";
    shareDialog.showModal();
    document.getElementById("share-link").select();
  };
  for (const button of shareDialog.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      const status = shareDialog.querySelector(".copied");
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = "Copied.";
      } catch (err) {
        // No clipboard permission (an iframe, an old browser): the text is selected instead.
        status.textContent = document.execCommand && document.execCommand("copy") ?
          "Copied." : "Selected: press Ctrl+C (or Cmd+C) to copy.";
      }
    });
  }

  function applyPatch(msg) {
    patching += 1;
    try {
      jsdoc.apply_json_patch(msg.patch, msg.buffers);
    } finally {
      patching -= 1;
    }
    window.playground.patches += 1;
    requestAnimationFrame(() => worker.postMessage({type: "ack"}));
  }

  worker.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === "status") {
      showStage(msg.stage);
    } else if (msg.type === "render") {
      render(msg).catch((err) => {
        console.warn(err);
        showError("The playground could not draw its page: " + err.message);
      });
    } else if (msg.type === "patch") {
      if (jsdoc !== null) applyPatch(msg);
    } else if (msg.type === "url") {
      writeHash(msg.hash);
    } else if (msg.type === "error") {
      showError("The playground could not start: " + msg.message);
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    showError("The playground could not start: " + (event.message || "the worker failed"));
  };
})();
