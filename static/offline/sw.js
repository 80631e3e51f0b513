/* Cabildo service worker: caches the shell and the pages a resident visited, and
   answers from the cache when there is no connection. No framework. */
"use strict";
var VERSION = "__VERSION__";
var SHELL = "shell-" + VERSION;
var PAGES = "pages-" + VERSION;
var SHELL_URLS = [__SHELL__];
var OFFLINE = "/sin-conexion";
var MAX_PAGES = 60;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_URLS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL && k !== PAGES; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function trim(cache) {
  return cache.keys().then(function (keys) {
    var extra = keys.slice(0, Math.max(0, keys.length - MAX_PAGES));
    return Promise.all(extra.map(function (k) { return cache.delete(k); }));
  });
}

function cacheable(response) {
  var control = response.headers.get("Cache-Control") || "";
  return response.ok && control.indexOf("no-store") === -1;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (cacheable(response)) {
          var copy = response.clone();
          caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (cacheable(response)) {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { return cache.put(request, copy).then(function () { return trim(cache); }); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) { return hit || caches.match(OFFLINE); });
    }));
  }
});
