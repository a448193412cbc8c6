/* The page side: shows loading progress, embeds the Bokeh document the worker renders, and
 * relays events both ways. Patches from the worker are applied as they come and acknowledged
 * after the next painted frame, so the worker never runs ahead of what the screen can show.
 *
 * The quick start: for the default link (no settings in the hash, or the default ones) the
 * page does not wait for Python. It draws the document prerendered at build time
 * (prerender/full.json or embed.json) at once, starts a second, small worker (js/quick.js)
 * that trains before Panel has loaded, and lets the training buttons drive it; every other
 * control waits, disabled, for the full app. When the main worker has built the same document
 * ("adopt"), the quick start hands its trainer over, the page replays what else the user did
 * meanwhile, and the main worker takes over the page's document as it is. */
"use strict";

(function () {
  const STAGES = ["runtime", "packages", "app"];
  const loading = document.getElementById("loading");
  const appEl = document.getElementById("app");
  // timings: ms since navigation (performance.now()) of each stage and mark, for benchmarks.
  window.playground = {ready: false, interactive: false, quick: "off", timings: {}, patches: 0,
    sent: 0};

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
    window.playground.timings[stage] = performance.now();
  }

  function showError(message) {
    const box = document.getElementById("loading-error");
    box.hidden = false;
    box.querySelector(".message").textContent = message;
    loading.classList.add("failed");
    if (!window.playground.ready) {  // the prerendered page may be up: it cannot work
      loading.hidden = false;
      appEl.hidden = true;
      document.body.classList.remove("starting");
    }
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
  const pageQuery = location.search.slice(1);
  const pageHash = location.hash.slice(1);
  let jsdoc = null;
  let patching = 0;  // > 0 while the page applies a worker's patch: nothing to send back
  let writtenHash = null;  // the hash we wrote ourselves: no need to send it back
  let shownViews = [];  // the root views of the document on the page
  // The quick start (the default link, full or embedded, served over HTTP): js/start.js has
  // started its worker and the prerendered page's download. Otherwise the main worker starts
  // now; with a quick start, once the quick start is up (on two cores, the two workers and
  // this page would slow each other down) or has given up.
  const early = window.playgroundDisk ? undefined : window.playgroundEarly;
  let mainStarted = false;
  let runtime = null;  // the quick start's compiled Pyodide runtime, if it sent it
  const quickStart = early !== undefined ? startQuick(early) : null;
  function startMain(fingerprint) {
    if (mainStarted) return;
    mainStarted = true;
    worker.postMessage({type: "init", query: pageQuery, hash: pageHash,
      prerendered: fingerprint || null, runtime: runtime});
  }
  if (quickStart === null) startMain(null);

  function writeHash(hash) {
    writtenHash = hash;
    history.replaceState(history.state, "", location.pathname + location.search + "#" + hash);
  }

  // A lesson link pasted into the address bar of an open playground applies at once.
  window.addEventListener("hashchange", () => {
    const hash = location.hash.slice(1);
    if (hash !== writtenHash) worker.postMessage({type: "hash", hash: hash});
  });

  function sendChange(event) {
    if (patching > 0 || jsdoc === null) return;
    const patch = jsdoc.create_json_patch([event]);
    worker.postMessage({type: "patch", patch: patch});
    window.playground.sent += 1;
  }

  /* Embed a document (the worker's, or the prerendered one) in place of whatever is shown. */
  async function embed(msg) {
    const docs_json = JSON.parse(msg.docs_json);
    const render_items = JSON.parse(msg.render_items);
    const root_ids = JSON.parse(msg.root_ids);
    const roots = {};
    removeViews();
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
    shownViews = [...views.roots.values()];
    jsdoc = shownViews[0].model.document;
    loading.hidden = true;
    appEl.hidden = false;
  }

  function removeViews() {
    for (const view of shownViews.splice(0)) view.remove();
    appEl.textContent = "";
  }

  async function render(msg) {
    if (quickStart !== null) quickStart.abandon();  // another document than the prerendered
    document.body.classList.remove("starting");
    await embed(msg);
    jsdoc.on_change(sendChange, false);
    worker.postMessage({type: "rendered"});
    becomeReady(msg.ms);
  }

  function becomeReady(workerMs) {
    window.playground.timings.ready = performance.now();
    window.playground.timings.worker = workerMs;
    window.playground.ready = true;
    if (!window.playground.interactive) window.playground.interactive = true;
    document.body.classList.add("ready");
    registerServiceWorker();
  }

  /* The quick start: the prerendered document now, a worker that trains before Panel loads,
   * and the hand-over to the main worker (`adopt`). When the link is not the prerendered one
   * (other settings in its hash), or the prerender cannot be had, it steps aside at once and
   * the page loads as before. */
  function startQuick(early) {
    let quick = early.worker;  // or started here, once the prerender says the link is its own
    window.playground.quick = "starting";
    const COMMANDS = ["play", "step", "reset"];
    const START_MAIN_AFTER_MS = 8000;
    let prerender = null;
    let ready = false;  // the quick worker obeys commands
    let alive = true;
    // Events of the page's document, in order: {patch, name (a training button's), done (the
    // quick start obeyed it)}. What is not done goes to the main worker when it takes over.
    const events = [];
    const disabled = [];  // [model, its own disabled]: restored when the full app takes over
    let commandOf = new Map();  // model id -> command
    let trainerArrived = null;
    let handingOver = false;

    function quit(why) {
      if (!alive) return;
      alive = false;
      if (quick !== null) quick.terminate();
      window.playground.quick = why;
      startMain(shown ? prerender.fingerprint : null);
    }
    let shown = false;  // the prerendered page is up

    /* The quick start's messages (and its failure); those js/start.js kept first. */
    function listen() {
      const onMessage = (msg) => {
        if (msg.type === "patch") {
          if (jsdoc !== null) applyPatch(msg, quick);
        } else if (msg.type === "runtime") {
          runtime = msg.module;
        } else if (msg.type === "ready") {
          ready = true;
          window.playground.quick = "ready";
          window.playground.timings.quick = performance.now();
          for (const event of events) {  // the training clicks that came too early
            if (event.name !== undefined && !event.done) {
              quick.postMessage({type: "command", name: event.name});
              event.done = true;
            }
          }
          startMain(prerender.fingerprint);
        } else if (msg.type === "trainer") {
          if (trainerArrived) trainerArrived(msg);
        } else if (msg.type === "error") {
          quit("failed");  // the full app still comes: the clicks stashed go to it
        }
      };
      for (const msg of (early.worker === quick && early.messages) || []) onMessage(msg);
      quick.onmessage = (event) => onMessage(event.data);
      quick.onerror = (event) => {
        event.preventDefault();
        quit("failed");
      };
    }
    if (quick !== null) listen();

    /* A click on a training button goes to the quick start; anything else waits for the full
     * app (only what is not disabled can happen: the figures' taps and hovers, Panel's own
     * browser and location models). */
    function onChange(event) {
      if (patching > 0) return;
      const patch = jsdoc.create_json_patch([event]);
      const name = commandOf.get(clickedModel(patch));
      // Once the hand-over began, the full app gets every click, training ones included.
      const done = name !== undefined && alive && ready && !handingOver;
      if (done) quick.postMessage({type: "command", name});
      events.push({patch, name, done});
    }

    async function show() {
      prerender = await early.prerender;
      if (pageHash !== "" && pageHash !== prerender.hash) return false;  // another link
      try {
        localStorage.setItem("nn-playground-default-hash", prerender.hash);  // for js/start.js
      } catch (err) {
        // no storage: a written-out default link waits for the prerender next time too
      }
      if (quick === null) {
        quick = new Worker("js/quick.js");
        listen();
      }
      const site = new URL("./", location.href).href;
      await embed({docs_json: prerender.docs_json.split(prerender.site).join(site),
        render_items: prerender.render_items, root_ids: prerender.root_ids});
      const targets = prerender.targets;
      commandOf = new Map(COMMANDS.filter((name) => name in targets)
        .map((name) => [targets[name], name]));
      for (const model of jsdoc.all_models) {
        if (!commandOf.has(model.id) && "disabled" in model.properties && isWidget(model)) {
          disabled.push([model, model.disabled]);
          patching += 1;
          try { model.disabled = true; } finally { patching -= 1; }
        }
      }
      jsdoc.on_change(onChange, false);
      document.body.classList.add("starting");
      document.getElementById("starting").textContent = "Play, Step and Reset work already; " +
        "the other controls follow in a moment.";
      window.playground.timings.painted = performance.now();
      window.playground.interactive = true;
      quick.postMessage({type: "start", fragment: pageHash, targets});
      return true;
    }

    show().then((ok) => {
      shown = ok;
      if (!ok) quit("off");
      // Should the quick start never report, the full app must come anyway.
      else setTimeout(() => startMain(prerender.fingerprint), START_MAIN_AFTER_MS);
    }).catch((err) => {
      console.warn("no quick start:", err);
      quit("off");
    });

    return {
      /* The main worker built this very document: hand the training over, then the page. */
      async adopt(workerMs) {
        handingOver = true;
        let trainer = null;
        let running = false;
        if (alive && ready) {
          const arrived = new Promise((resolve) => { trainerArrived = resolve; });
          quick.postMessage({type: "handover"});
          const msg = await Promise.race([arrived,
            new Promise((resolve) => setTimeout(() => resolve(null), 3000))]);
          if (msg !== null) {
            ({trainer, running} = msg);
            window.playground.quickTimings = msg.timings;  // its start-up marks (benchmarks)
          }
        }
        const handed = trainer !== null;
        quit(handed ? "handed-over" : window.playground.quick === "failed" ? "failed" : "off");
        jsdoc.remove_on_change(onChange);
        patching += 1;
        try {
          for (const [model, value] of disabled) model.disabled = value;
        } finally {
          patching -= 1;
        }
        worker.postMessage({type: "take-over", trainer, running}, trainer ? [trainer] : []);
        // What the user did meanwhile, in order; training clicks the quick start never saw
        // (it had not started, or failed) go to the full app too.
        for (const {patch} of events.splice(0).filter((event) => !event.done)) {
          worker.postMessage({type: "patch", patch});
          window.playground.sent += 1;
        }
        jsdoc.on_change(sendChange, false);
        window.playground.handedOver = handed;
        document.body.classList.remove("starting");
        document.getElementById("starting").textContent = "";
        becomeReady(workerMs);
      },
      abandon() {
        quit("off");
      },
    };
  }

  /* The model a patch's button click came from, if it is one. */
  function clickedModel(patch) {
    for (const event of patch.events || []) {
      const data = event.kind === "MessageSent" ? event.msg_data : null;
      if (data && data.name === "button_click" && data.values) {
        const entries = data.values.entries || Object.entries(data.values);
        for (const [key, value] of entries) {
          if (key === "model" && value) return value.id;
        }
      }
    }
    return undefined;
  }

  function isWidget(model) {
    try {
      return model instanceof Bokeh.Models.get("Widget");
    } catch (err) {
      return false;
    }
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

  function applyPatch(msg, from) {
    patching += 1;
    try {
      jsdoc.apply_json_patch(msg.patch, msg.buffers);
    } finally {
      patching -= 1;
    }
    window.playground.patches += 1;
    const firstEpoch = window.playground.timings.first_epoch === undefined &&
      showsAnEpoch(msg.patch);
    requestAnimationFrame(() => {
      from.postMessage({type: "ack"});
      if (firstEpoch) window.playground.timings.first_epoch = performance.now();
    });
  }

  /* Start-up marks for the benchmarks: the first click, and the frame that first shows an
   * epoch after the untrained network (window.playground.timings). */
  document.addEventListener("click", () => {
    const timings = window.playground.timings;
    if (timings.first_click === undefined) timings.first_click = performance.now();
  }, true);

  function showsAnEpoch(patch) {
    return (patch.events || []).some((event) => event.kind === "ModelChanged" &&
      event.attr === "text" && /Epoch [1-9]/.test(String(event.new)));
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
    } else if (msg.type === "adopt") {
      quickStart.adopt(msg.ms).catch((err) => {
        console.warn(err);
        showError("The playground could not start: " + err.message);
      });
    } else if (msg.type === "patch") {
      if (jsdoc !== null) applyPatch(msg, worker);
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
