/* The page <-> worker link: the learner's changes to the document go to the worker as Bokeh
 * patches (in order; it applies each at once), the worker's patches are applied as they come
 * and acknowledged after the next painted frame, so the worker never runs ahead of what the
 * screen can show. The URL's hash follows the settings both ways.
 *
 * window.playgroundLink.connect(worker, jsdoc, messages) starts it; .post(msg) sends the
 * worker anything else (files, Save). Start-up marks go to window.playground.timings.
 */
"use strict";

(function () {
  let worker = null;
  let jsdoc = null;
  let patching = 0;  // > 0 while the page applies a worker's patch: nothing to send back
  let writtenHash = null;  // the hash we wrote ourselves: no need to send it back
  let firstFrame = true;
  const handlers = {};  // message type -> function(msg), for the other scripts

  function timings() {
    return window.playground.timings;
  }

  function sendChange(event) {
    if (patching > 0) return;
    worker.postMessage({type: "patch", patch: jsdoc.create_json_patch([event])});
    window.playground.sent += 1;
  }

  /* Start-up marks for the benchmarks: the frame that first shows an epoch after the
   * untrained network. */
  function showsAnEpoch(patch) {
    return (patch.events || []).some((event) => event.kind === "ModelChanged" &&
      event.attr === "text" && /Epoch [1-9]/.test(String(event.new)));
  }

  /* The acknowledgement paces the worker: it sends the next refresh only once the page has
   * painted this one, and then only after a rest of IDLE_PER_BUSY times what applying and
   * painting it cost, so that refreshes take at most about 40 % of the page's time and a slow
   * tablet keeps drawing frames (and answering the learner) between them. Training goes on
   * meanwhile; the worker skips the refreshes the page could not take. */
  const IDLE_PER_BUSY = 1.5;

  function acknowledge(started, applied, epoch) {
    requestAnimationFrame((frameStart) => {
      // this frame's work before this callback: BokehJS's repaint of what the patch changed
      const busy = applied + Math.max(0, performance.now() - frameStart);
      const rested = performance.now() - started - busy;
      const rest = Math.max(0, busy * IDLE_PER_BUSY - rested);
      setTimeout(() => worker.postMessage({type: "ack"}), rest);
      if (epoch) timings().first_epoch = performance.now();
    });
  }

  function applyPatch(msg) {
    const started = performance.now();
    patching += 1;
    try {
      if (firstFrame) window.playgroundPage.enable();  // the settings are the worker's now
      jsdoc.apply_json_patch(msg.patch, msg.buffers);
    } finally {
      patching -= 1;
    }
    const applied = performance.now() - started;
    window.playground.patches += 1;
    const epoch = timings().first_epoch === undefined && showsAnEpoch(msg.patch);
    if (firstFrame) {
      firstFrame = false;
      timings().ready = performance.now();
      window.playground.ready = true;
      document.body.classList.add("ready");
      if (handlers.ready) handlers.ready();
    }
    acknowledge(started, applied, epoch);
  }

  function writeHash(hash) {
    writtenHash = hash;
    history.replaceState(history.state, "", location.pathname + location.search + "#" + hash);
  }

  function onMessage(msg) {
    if (msg.type === "patch") {
      applyPatch(msg);
    } else if (msg.type === "status") {
      timings()[msg.stage] = msg.at || performance.now();
    } else if (msg.type === "url") {
      writeHash(msg.hash);
    } else if (handlers[msg.type]) {
      handlers[msg.type](msg);
    }
  }

  function connect(theWorker, doc, early) {
    worker = theWorker;
    jsdoc = doc;
    jsdoc.on_change(sendChange, false);
    for (const msg of early.splice(0)) onMessage(msg);
    worker.onmessage = (event) => onMessage(event.data);
    // A lesson link pasted into the address bar of an open playground applies at once.
    window.addEventListener("hashchange", () => {
      const hash = location.hash.slice(1);
      if (hash !== writtenHash) worker.postMessage({type: "hash", hash: hash});
    });
  }

  /* Start-up marks: the first click. */
  document.addEventListener("click", () => {
    if (timings().first_click === undefined) timings().first_click = performance.now();
  }, true);

  window.playgroundLink = {
    connect,
    post: (msg) => worker.postMessage(msg),
    on: (type, handler) => { handlers[type] = handler; },
  };
})();
