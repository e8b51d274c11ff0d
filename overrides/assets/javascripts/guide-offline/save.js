/* "Save this guide for offline reading": the page's side, loaded on demand by
   the part in language-switch.js (a tap on the block's button, or a page a saved copy serves).
   Registers the site's service worker (sw.js at the site's root) when the
   reader asks to save, and talks to it: save this language (with progress),
   show what is saved and of which date, offer a new edition the worker has
   fetched in the background, remove the saved copy. Every string comes from
   data/ui.yml through the language's list, offline/<lang>.json. */
(function () {
  "use strict";
  var box = document.getElementById("guide-offline");
  if (!box || !("serviceWorker" in navigator)) return;
  var sw = navigator.serviceWorker;
  var lang = box.getAttribute("data-lang");
  var root = new URL(box.getAttribute("data-script"), location.href).href
    .replace(/assets\/javascripts\/guide-offline\/save\.js.*$/, "");
  var actions = box.querySelector(".guide-offline__actions");
  var status = document.createElement("p");
  status.className = "guide-offline__status";
  status.setAttribute("role", "status");
  actions.parentNode.appendChild(status);
  var saveButton = box.querySelector("[data-action=save]");
  var sizeNote = saveButton.nextElementSibling;
  var progress = document.createElement("progress");
  progress.className = "guide-offline__progress";
  progress.hidden = true;
  actions.parentNode.insertBefore(progress, status);
  var removeButton = button("remove"), acceptButton = button("accept");
  var ui = null, busy = false, state = null;

  function button(action) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = "md-button guide-offline__button";
    el.setAttribute("data-action", action);
    el.hidden = true;
    actions.appendChild(el);
    return el;
  }

  function digits(text) {
    text = String(text);
    return box.getAttribute("data-digits") === "arabic-indic" ? text.replace(/[0-9]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩".charAt(+d); }).replace(".", "٫") : text;
  }

  function size(n) {
    return n >= 1e6 ? digits((n / 1e6).toFixed(1)) + " " + ui["downloads.mb"]
      : digits(Math.max(1, Math.round(n / 1e3))) + " " + ui["downloads.kb"];
  }

  function fill(key, values) {
    return ui[key].replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function strings() {
    if (ui) return Promise.resolve(ui);
    return fetch(root + "offline/" + lang + ".json").then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (list) {
      ui = list.ui;
      removeButton.textContent = ui["offline.remove"];
      acceptButton.textContent = ui["offline.update-accept"];
      return ui;
    });
  }

  function worker() {
    return sw.register(root + "sw.js", { scope: root }).then(function () { return sw.ready; })
      .then(function (registration) { return registration.active; });
  }

  function ask(message, register) {
    var target = sw.controller ? Promise.resolve(sw.controller) : register ? worker() : sw.ready.then(function (r) { return r.active; });
    return target.then(function (active) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (ev) {
          if (ev.data && ev.data.type === "error") reject(new Error(ev.data.message));
          else resolve(ev.data);
        };
        active.postMessage(message, [channel.port2]);
      });
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function render(next) {
    state = next || state || { langs: {} };
    var saved = state.langs[lang];
    saveButton.hidden = sizeNote.hidden = !!saved;
    removeButton.hidden = !saved;
    acceptButton.hidden = !(saved && saved.next);
    box.setAttribute("data-state", saved ? (saved.next ? "update" : "saved") : "none");
    if (!saved) return;
    var text = fill("offline.saved", { pages: digits(saved.pages), size: size(saved.transfer) }) + " " +
      fill("offline.saved-date", { date: saved.date });
    if (saved.next) text += " " + fill("offline.update", { date: saved.next.date });
    say(text);
  }

  function save() {
    busy = true;
    saveButton.disabled = saveButton.hidden = true;
    progress.hidden = false;
    progress.removeAttribute("value");
    return ask({ type: "save", lang: lang }, true).then(function (reply) {
      progress.hidden = true;
      render(reply.state);
    }, function (error) {
      progress.hidden = true;
      box.setAttribute("data-state", "failed");
      say(fill("offline.failed", { reason: error.message }));
    }).then(function () {
      busy = false;
      saveButton.disabled = false;
      saveButton.hidden = box.getAttribute("data-state") === "saved";
    });
  }

  function remove() {
    busy = true;
    return ask({ type: "remove", lang: lang }).then(function (reply) {
      render(reply.state);
      // Nothing saved any more: no service worker either.
      return Object.keys(reply.state.langs).length ? null
        : sw.getRegistration(root).then(function (r) { return r && r.unregister(); });
    }).then(function () {
      busy = false;
      say(ui["offline.removed"]);
      box.setAttribute("data-state", "removed");
    }, function (error) {
      busy = false;
      say(fill("offline.failed", { reason: error.message }));
    });
  }

  function accept() {
    return ask({ type: "accept", lang: lang }).then(function () { location.reload(); });
  }

  sw.addEventListener("message", function (ev) {
    var data = ev.data || {};
    if (data.lang !== lang) return;
    if (data.type === "progress" && busy) {
      progress.max = data.total;
      progress.value = data.done;
      say(fill("offline.saving", { done: digits(data.done), total: digits(data.total) }));
    } else if (data.type === "update") {
      render(data.state);
    }
  });

  box.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest("button[data-action]");
    if (!el || busy || !ui) return;
    run(el.getAttribute("data-action"));
  });

  function run(action) {
    if (action === "save") return save();
    if (action === "remove") return remove();
    if (action === "accept") return accept();
  }

  strings().then(function () {
    box.setAttribute("data-ready", "1");
    var pending = box.getAttribute("data-pending");
    box.removeAttribute("data-pending");
    if (pending) return run(pending);
    if (!sw.controller) return null;
    // A saved copy serves this page: show it, then ask whether a new build exists.
    return ask({ type: "status" }).then(function (reply) {
      render(reply.state);
      if (!reply.state.langs[lang]) return null;
      return ask({ type: "check", lang: lang }).then(function (r) { render(r.state); });
    });
  }).catch(function (error) {
    say(ui ? fill("offline.failed", { reason: error.message }) : String(error.message));
  });
})();
