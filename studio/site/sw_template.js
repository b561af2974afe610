/* Pyxis Studio's service worker, written by `python -m studio build` (and `studio serve`) from
   studio/site/sw_template.js: the precache list below names every file of the site with the hash of
   its content, so a new build changes this file, the browser installs it, and only changed files
   are fetched again. */
"use strict";

// Other origins (Gemini) never reach this worker's code. Chromium's static routes send them to the
// network before any fetch event exists; where those are missing, the first listener below stops
// the event before Workbox's router sees it, and the browser fetches as if no worker were there.
var SAME_ORIGIN = { protocol: self.location.protocol.slice(0, -1), hostname: self.location.hostname,
  port: self.location.port };
self.addEventListener("install", function (event) {
  if (!event.addRoutes || typeof URLPattern === "undefined") return;
  event.waitUntil(
    event.addRoutes({ condition: { not: { urlPattern: new URLPattern(SAME_ORIGIN) } }, source: "network" })
      .catch(function () {
        return event.addRoutes({ condition: { urlPattern: "https://generativelanguage.googleapis.com/*" },
          source: "network" });
      })
      .catch(function () { /* no static routes here: the fetch guard below does the job */ })
  );
});
self.addEventListener("fetch", function (event) {
  if (new URL(event.request.url).origin !== self.location.origin) event.stopImmediatePropagation();
});

importScripts(/*WORKBOX_SCRIPTS*/);

// A new version waits until the page says so ("A new version is ready — Reload"): the page saves
// the document first, so an update never reloads in the middle of an edit.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

var PRECACHE = /*PRECACHE*/;
workbox.precaching.cleanupOutdatedCaches();
// Cache-first for every listed file; "./" is index.html; query strings are ignored (the same file).
workbox.precaching.precacheAndRoute(PRECACHE, { directoryIndex: "index.html", ignoreURLParametersMatching: [/.*/] });
