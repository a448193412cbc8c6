/* Service worker: makes the playground work offline once it has been opened.
 *
 * The page registers it as `sw.js?v=<build>` once it is live and idle (js/offline.js), so a new
 * build is a new worker: it precaches every file the page uses (build-info.json lists them),
 * takes over, and deletes older builds' caches.
 * Requests are answered from the cache first; anything not cached goes to the network.
 * Scope is the folder this file is in, so it is right at / and under /repo-name/ alike.
 */
"use strict";

const PREFIX = "nn-playground-";
const BUILD = new URL(self.location.href).searchParams.get("v") || "dev";
const BASE = new URL("./", self.location.href);
// One cache per build *and* per scope: copies of the site under different paths of one origin
// (user.github.io/repo-a/ and /repo-b/) share the Cache Storage, and each must delete only
// its own old builds. main.js computes the same name to check the precache is complete.
const SUFFIX = "@" + BASE.pathname;
const CACHE = PREFIX + BUILD + SUFFIX;
const INFO = new URL("build-info.json", BASE).href;

self.addEventListener("install", (event) => {
  if (event.addRoutes) {
    // The browser answers the site's files from this build's cache by itself, without
    // starting this worker or running its code for each of them (Chrome 123+): a repeat visit
    // starts faster. The page with a query (`?embed`: the cache holds it without) and
    // build-info.json (network first) still come to the fetch handler below; what the cache
    // lacks goes to the network.
    const here = {protocol: BASE.protocol.slice(0, -1), hostname: BASE.hostname,
      port: BASE.port};
    const cached = {cacheName: CACHE};
    event.addRoutes([
      {condition: {requestMode: "navigate", urlPattern: new URLPattern(
        {...here, pathname: BASE.pathname + "{index.html}?", search: ""})}, source: cached},
      {condition: {requestMode: "navigate"}, source: "fetch-event"},
      {condition: {urlPattern: new URLPattern(INFO)}, source: "fetch-event"},
      {condition: {urlPattern: new URLPattern({...here, pathname: BASE.pathname + "*"})},
        source: cached},
    ]);
  }
  event.waitUntil((async () => {
    const info = await (await fetch(INFO, {cache: "no-store"})).json();
    const cache = await caches.open(CACHE);
    const urls = ["./", "build-info.json", ...info.files].map((f) => new URL(f, BASE).href);
    // The page's Python worker put in what it fetched already (js/offline.js): only the rest
    // is fetched here. "no-cache": the HTTP cache may hold the previous build's files, so each
    // one is revalidated with the server; one the page just downloaded comes back "304 Not
    // Modified" and is taken from the HTTP cache ("reload" downloaded it a second time).
    const have = new Set((await cache.keys()).map((request) => request.url));
    const missing = urls.filter((url) => !have.has(url));
    await cache.addAll(missing.map((url) => new Request(url, {cache: "no-cache"})));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name !== CACHE) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(BASE.href)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (request.url.split("?")[0] === INFO) {
      // Network first: the page reads the build id here to find out about a new build.
      // Offline, the cached copy keeps the same worker registered.
      try {
        return await fetch(request);
      } catch (err) {
        return (await cache.match(INFO)) || Response.error();
      }
    }
    // Navigations ignore the query (`?embed`, shared settings); a hash never reaches here.
    const hit = await cache.match(request, {ignoreSearch: request.mode === "navigate"});
    if (hit) return hit;
    return fetch(request);
  })());
});
