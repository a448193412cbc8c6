/* Service worker: makes the playground work offline once it has been opened.
 *
 * The page registers it as `sw.js?v=<build>`, so a new build is a new worker: it precaches
 * every file the build lists (build-info.json), takes over, and deletes older builds' caches.
 * Requests are answered from the cache first; anything not cached goes to the network.
 * Scope is the folder this file is in, so it is right at / and under /repo-name/ alike.
 */
"use strict";

const PREFIX = "nn-playground-";
const BUILD = new URL(self.location.href).searchParams.get("v") || "dev";
const CACHE = PREFIX + BUILD;
const BASE = new URL("./", self.location.href);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const info = await (await fetch(new URL("build-info.json", BASE), {cache: "no-store"})).json();
    const cache = await caches.open(CACHE);
    const urls = ["./", ...info.files].map((f) => new URL(f, BASE).href);
    await cache.addAll(urls);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(BASE.href)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, {ignoreSearch: request.mode === "navigate"});
    if (hit) return hit;
    return fetch(request);
  })());
});
