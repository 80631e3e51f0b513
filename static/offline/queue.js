/* Cabildo offline outbox. Forms marked data-offline="kind" are kept in IndexedDB
   (photos included) when the connection is down, shown as pending, and sent when
   it returns, each with an idempotency key made on this device so the server
   stores it once. Kiosk mode (?kiosk=1) queues every submission and clears the
   form for the next person. Without JavaScript the forms post as usual. */
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  if (!("indexedDB" in window) || !window.fetch || !window.FormData) { return; }
  var DB = "cabildo-outbox", STORE = "items", SENT = "cabildo-sent";
  var panel = document.getElementById("outbox");
  var text = panel ? panel.dataset : {};
  var params = new URLSearchParams(location.search);
  if (params.has("kiosk")) { localStorage.setItem("cabildo-kiosk", params.get("kiosk") === "1" ? "1" : ""); }
  var kiosk = localStorage.getItem("cabildo-kiosk") === "1";

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function save(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function remove(id) { return run("readwrite", function (s) { return s.delete(id); }); }
  function sentList() { try { return JSON.parse(localStorage.getItem(SENT) || "[]"); } catch (e) { return []; } }

  function freshKey(form) {
    var key = form.querySelector("input[name=idempotency_key]");
    if (key) { key.value = uuid(); }
  }
  function render() {
    if (!panel) { return; }
    all().then(function (items) {
      panel.textContent = "";
      items.forEach(function (item) {
        var p = document.createElement("p");
        p.className = "pending";
        p.textContent = (text.pending || "Pending") + ": " + item.title + (item.error ? " (" + (text.error || "error") + " " + item.error + ")" : "");
        panel.appendChild(p);
      });
      sentList().slice(-3).forEach(function (sent) {
        var p = document.createElement("p");
        p.className = "sent";
        p.appendChild(document.createTextNode((text.sent || "Sent") + ": " + sent.title + " "));
        var a = document.createElement("a");
        a.href = sent.url;
        a.textContent = sent.code;
        p.appendChild(a);
        panel.appendChild(p);
      });
      panel.hidden = !panel.firstChild;
    });
  }
  function formData(fields) {
    var data = new FormData();
    fields.forEach(function (pair) {
      var value = pair[1];
      if (value instanceof Blob && value.size === 0) { return; }
      if (value instanceof File) { data.append(pair[0], value, value.name); } else { data.append(pair[0], value); }
    });
    return data;
  }
  function send(item) {
    return fetch(item.action, { method: "POST", body: formData(item.fields), credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected && response.ok) {
          var path = new URL(response.url).pathname.replace(/\/$/, "");
          var list = sentList();
          list.push({ title: item.title, url: response.url, code: path.slice(path.lastIndexOf("/") + 1) });
          localStorage.setItem(SENT, JSON.stringify(list.slice(-10)));
          return remove(item.id);
        }
        item.error = response.status;
        return save(item);
      });
  }
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    return all().then(function (items) {
      return items.filter(function (i) { return !i.error; }).reduce(function (chain, item) {
        return chain.then(function () { return send(item); });
      }, Promise.resolve());
    }).catch(function () {}).then(function () { flushing = false; render(); });
  }
  function queue(form, item) {
    return save(item).then(function () {
      form.reset();
      freshKey(form);
      if (panel) { panel.hidden = false; }
      var note = document.createElement("p");
      note.className = "flash success";
      note.setAttribute("role", "status");
      note.textContent = kiosk ? (text.next || "Saved. Ready for the next person.") : (text.saved || "Saved on this device.");
      form.parentNode.insertBefore(note, form);
      window.scrollTo(0, 0);
      render();
      return flush();
    });
  }

  document.querySelectorAll("form[data-offline]").forEach(freshKey);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline") || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
    var item = { id: uuid(), kind: form.getAttribute("data-offline"), action: form.action, fields: fields,
                 created: Date.now(), title: form.getAttribute("data-offline-title") || document.title };
    if (kiosk || !navigator.onLine) { queue(form, item); return; }
    fetch(form.action, { method: "POST", body: formData(fields), credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected) { location.assign(response.url); return; }
        return response.text().then(function (html) { document.open(); document.write(html); document.close(); });
      })
      .catch(function () { queue(form, item); });
  });
  window.addEventListener("online", flush);
  render();
  flush();
})();
