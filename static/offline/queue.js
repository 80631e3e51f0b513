/* Cabildo offline outbox. Forms marked data-offline="kind" are kept in IndexedDB
   (photos included, as Blobs) when the connection is down, listed as pending, and
   sent when it returns. Each carries a key made on this device (the field named by
   data-offline-key), so the server stores it once however often it arrives. A send
   counts as done only when the server answers with the page named by
   data-offline-done. Kiosk forms (data-kiosk, staff pages only) are emptied for the
   next person and list no one's details. Without JavaScript the forms post as usual. */
(function () {
  "use strict";
  var sw = navigator.serviceWorker;
  if (sw) {
    sw.register("/sw.js", { scope: "/" }).then(function () { return sw.ready; }).then(function (reg) {
      var urls = [].map.call(document.querySelectorAll("a[data-offline-cache]"), function (a) { return a.href; });
      if (urls.length && reg.active) { reg.active.postMessage({ cache: urls }); }
    }).catch(function () {});
  }
  if (!window.indexedDB || !window.fetch || !window.FormData || !window.Promise) { return; }
  var STORE = "items", SENT = "cabildo-sent", TOKEN = "/sin-conexion/token";
  var panel = document.getElementById("outbox");
  var text = panel ? panel.dataset : {};
  var kiosk = !!document.querySelector("form[data-kiosk]");

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return [].map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  var opened;
  function run(mode, work) {
    opened = opened || new Promise(function (resolve, reject) {  /* one connection per page */
      var open = indexedDB.open("cabildo-outbox", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "id" }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { opened = null; reject(open.error); };
    });
    return opened.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function save(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function remove(id) { return run("readwrite", function (s) { return s.delete(id); }); }
  function sentList() { try { return JSON.parse(localStorage.getItem(SENT) || "[]"); } catch (e) { return []; } }
  function line(cls, words) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = words;
    panel.appendChild(p);
    return p;
  }
  function freshKey(form) {
    var input = form.elements[form.getAttribute("data-offline-key") || "idempotency_key"];
    if (input) { input.value = uuid(); }
  }
  function clear(form) {  /* kiosk: nothing of the last person stays, whatever the page's defaults */
    [].forEach.call(form.elements, function (el) {
      if (el.type === "hidden" || el.type === "submit" || el.tagName === "BUTTON") { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.selectedIndex = 0; } else { el.value = ""; }
    });
  }

  function render() {
    if (!panel) { return Promise.resolve(); }
    return all().then(function (items) {
      panel.textContent = "";
      var waiting = items.filter(function (i) { return !i.error; }).length;
      if (kiosk && waiting) { line("pending", (text.pending || "Pending") + ": " + waiting); }
      items.forEach(function (item) {
        if (kiosk && !item.error) { return; }  /* a kiosk names no one: a count, and the time of any problem */
        var when = kiosk ? " " + new Date(item.created).toTimeString().slice(0, 5) : "";
        var p = line("pending", (text.pending || "Pending") + ": " + item.title + when +
          (item.error ? " (" + (item.error === "login" ? text.login : text.error + " " + item.error) + ")" : ""));
        if (item.error && item.error !== "login") {
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "link";
          drop.textContent = text.discard || "Discard";
          drop.addEventListener("click", function () { remove(item.id).then(render); });
          p.appendChild(document.createTextNode(" "));
          p.appendChild(drop);
        }
      });
      if (!kiosk) {
        sentList().slice(-3).forEach(function (sent) {
          var p = line("sent", (text.sent || "Sent") + ": " + sent.title + " ");
          var a = document.createElement("a");
          a.href = sent.url;
          a.textContent = sent.code || text.view || "View";
          p.appendChild(a);
        });
      }
      var note = document.getElementById("outbox-note");
      if (note && !kiosk && !items.length) { note.remove(); }  /* "kept on this phone" no longer holds */
      panel.hidden = !panel.firstChild;
    });
  }
  function formData(fields) {
    var data = new FormData();
    fields.forEach(function (pair) {
      var value = pair[1];
      if (value instanceof Blob) {
        if (value.size) { data.append(pair[0], value, value.name || "foto"); }
      } else { data.append(pair[0], value); }
    });
    return data;
  }
  function stored(item, response) {
    var path = new URL(response.url).pathname;
    if (!response.ok || !response.redirected || path.indexOf(item.done) !== 0) { return false; }
    if (!kiosk) {
      var list = sentList();
      list.push({ title: item.title, url: response.url, code: path.slice(item.done.length).replace(/\/$/, "") });
      localStorage.setItem(SENT, JSON.stringify(list.slice(-10)));
    }
    return true;
  }
  function send(item, csrf) {
    var fields = item.fields.map(function (p) { return p[0] === "csrf_token" ? [p[0], csrf] : p; });
    return fetch(item.action, { method: "POST", body: formData(fields), credentials: "same-origin" })
      .then(function (response) {
        if (stored(item, response)) { return remove(item.id); }
        /* busy or down: try again later; a sign-in page: wait for the person; else the form has a problem */
        item.error = response.status === 429 || response.status >= 500 ? "" :
          /\/entrar\/?$/.test(new URL(response.url).pathname) ? "login" : String(response.status);
        return save(item);
      });
  }
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    return all().then(function (items) {
      items = items.filter(function (i) { return !i.error || i.error === "login"; });
      if (!items.length) { return; }
      return fetch(TOKEN, { credentials: "same-origin", cache: "no-store" }).then(function (r) { return r.json(); })
        .then(function (data) {
          return items.reduce(function (chain, item) {
            return chain.then(function () { return send(item, data.csrf_token); });
          }, Promise.resolve());
        });
    }).catch(function () {}).then(function () { flushing = false; return render(); });
  }
  function next(form, words) {
    if (kiosk) { clear(form); } else { form.reset(); }
    freshKey(form);
    var old = document.getElementById("outbox-note");
    if (old) { old.remove(); }
    var note = document.createElement("p");
    note.id = "outbox-note";
    note.className = "flash success";
    note.setAttribute("role", "status");
    note.textContent = words;
    form.parentNode.insertBefore(note, form);
    window.scrollTo(0, 0);
  }
  function show(response) {
    if (response.redirected) { location.assign(response.url); return; }
    return response.text().then(function (html) {
      document.open();
      document.write(html);
      document.close();
    });
  }
  function queue(form, item) {
    return save(item).then(function () {
      next(form, kiosk ? text.next : text.saved);
      return render().then(flush);
    });
  }

  document.querySelectorAll("form[data-offline]").forEach(freshKey);
  document.addEventListener("submit", function (event) {
    var form = event.target, fallback = form.getAttribute("data-offline-fallback");
    if (fallback && !navigator.onLine) { event.preventDefault(); location.assign(fallback); return; }
    if (!form.hasAttribute("data-offline")) { return; }
    event.preventDefault();
    var fields = [], set = (form.getAttribute("data-offline-set") || "").split("=");
    new FormData(form).forEach(function (value, name) { fields.push([name, name === set[0] ? set[1] : value]); });
    var item = { id: uuid(), kind: form.getAttribute("data-offline"), action: form.action, fields: fields,
                 created: Date.now(), title: form.getAttribute("data-offline-title") || document.title,
                 done: new URL(form.getAttribute("data-offline-done") || form.action, location.href).pathname };
    if (!navigator.onLine) { queue(form, item); return; }
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        /* stored: the kiosk is ready for the next person, a resident sees where it landed;
           anything else (errors to fix, an expired form shown again): show the answer the
           server gave. Posting again would send it twice: only a failed network is retried. */
        if (!stored(item, response)) { return show(response); }
        if (!kiosk) { location.assign(response.url); return; }
        return response.text().then(function (html) {  /* the server's own words, e.g. a ballot's receipt */
          var said = new DOMParser().parseFromString(html, "text/html").querySelector(".flashes");
          next(form, said ? said.textContent.trim() : text.done);
        });
      }, function () { queue(form, item); });
  });
  window.addEventListener("online", flush);
  render().then(flush);
})();
