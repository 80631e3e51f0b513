/* Cabildo service worker: caches the shell, the pages a resident visited and the
   forms pages ask it to keep (data-offline-cache links), and answers from the cache
   when there is no connection. Signed-in pages (no-store) are never kept. */
"use strict";
var VERSION = "__VERSION__";
var SHELL = "shell-" + VERSION;
var PAGES = "pages-" + VERSION;
var SHELL_URLS = [__SHELL__];
var OFFLINE = "/sin-conexion";
var MAX_PAGES = 60;
var ANY = { ignoreVary: true };
/* Requests made to keep pages for later: the server leaves the session alone for them. */
var MARK = { "X-Cabildo-Precache": "1" };

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(SHELL_URLS.map(function (url) { return new Request(url, { headers: MARK }); }));
  })
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
  return response.ok && !response.redirected && control.indexOf("no-store") === -1;
}

function keep(cache, key, response) {
  return cacheable(response) ? cache.put(key, response).then(function () { return trim(cache); }) : null;
}

/* A page asks to keep forms for later (e.g. a survey's single-page form). */
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  event.waitUntil(caches.open(PAGES).then(function (cache) {
    return Promise.all(urls.slice(0, 30).map(function (url) {
      if (new URL(url).origin !== self.location.origin) { return null; }
      return cache.match(url, ANY).then(function (hit) {
        /* marked: a fresh browser would otherwise get one new session per kept form, and
           keep one that the form the person is filling in does not match */
        return hit || fetch(url, { credentials: "same-origin", headers: MARK })
          .then(function (r) { return keep(cache, url, r); });
      });
    }));
  }).catch(function () {}));
});

/* Offline, a survey's page-by-page form falls back to its single-page form. */
function fallback(url) {
  var m = url.pathname.match(/^(.*\/encuestas\/\d+\/responder)\/?$/);
  return (m ? caches.match(url.origin + m[1] + "/una-pagina", ANY) : Promise.resolve())
    .then(function (hit) { return hit || caches.match(OFFLINE, ANY); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {  /* the kept copy at once, refreshed for next time */
    var fresh = fetch(request).then(function (response) {
      var copy = response.clone();
      return caches.open(SHELL).then(function (cache) { return cacheable(copy) && cache.put(request, copy); })
        .then(function () { return response; });
    });
    event.waitUntil(fresh.catch(function () {}));
    event.respondWith(caches.match(request, ANY).then(function (hit) { return hit || fresh; }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return keep(cache, request, copy); });
      return response;
    }).catch(function () {
      return caches.match(request, ANY).then(function (hit) { return hit || fallback(url); });
    }));
  }
});
