/* Offline support, once the page is live and idle (it must never slow a first visit): a
 * service worker per build (sw.js?v=<build>) keeps every file the page uses.
 *
 * What the page already downloaded is not downloaded again: the Python worker kept a copy of
 * each file it fetched (the 10 MB runtime among them; a private window's HTTP cache may not
 * keep it) and now puts them into this build's cache; the service worker then fetches only
 * what is still missing. window.playground.offline: "waiting" (for the page to be idle),
 * "registered" (precaching), "ready" (this build's worker controls the page and its cache
 * holds every file), "incomplete", or "unavailable" (no service worker here: a private window,
 * a third-party iframe without storage; the page works, just not offline).
 */
"use strict";

(function () {
  const IDLE_MS = 2000;  // after the first frame, at least this long before precaching

  function idle() {
    return new Promise((resolve) => {
      setTimeout(() => {
        if (window.requestIdleCallback) requestIdleCallback(resolve, {timeout: 5000});
        else resolve();
      }, IDLE_MS);
    });
  }

  function cacheName(build, scope) {
    return "nn-playground-" + build + "@" + new URL(scope, location.href).pathname;
  }

  /* Ask the Python worker to put what it fetched into `cache` (null: drop its copies). */
  function keep(cache) {
    return new Promise((resolve) => {
      window.playgroundLink.on("kept", resolve);
      window.playgroundLink.post({type: "keep", cache});
    });
  }

  async function register() {
    if (!("serviceWorker" in navigator) || !window.caches) {
      await keep(null);
      window.playground.offline = "unavailable";
      return;
    }
    window.playground.offline = "waiting";
    await idle();
    try {
      const info = await (await fetch("build-info.json", {cache: "no-store"})).json();
      const script = "sw.js?v=" + encodeURIComponent(info.build);
      const name = cacheName(info.build, "./");
      await keep(name);
      const registration = await navigator.serviceWorker.register(script);
      window.playground.offline = "registered";
      // "ready" once this build's worker controls the page (it activates only after it
      // precached everything) and its cache holds every file of the build.
      const sw = navigator.serviceWorker;
      const wanted = new URL(script, location.href).href;
      while (!sw.controller || sw.controller.scriptURL !== wanted) {
        await new Promise((resolve) => sw.addEventListener("controllerchange", resolve,
          {once: true}));
      }
      const cache = await caches.open(cacheName(info.build, registration.scope));
      const cached = new Set((await cache.keys()).map((request) => request.url));
      const files = ["./", "build-info.json", ...info.files];
      const missing = files.filter((f) => !cached.has(new URL(f, registration.scope).href));
      window.playground.offline = missing.length ? "incomplete" : "ready";
    } catch (err) {
      // Storage may be off (private mode, third-party iframe): the app works, not offline.
      window.playground.offline = "unavailable";
    }
  }

  window.playgroundOffline = {
    start() {
      if (location.protocol !== "file:") register();
    },
  };
})();
