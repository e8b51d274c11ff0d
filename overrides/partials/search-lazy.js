/* Search costs nothing until the reader opens it, and searches the page's language.
   Runs before Material's bundle, which at start-up creates the search worker and
   requests the index. We wrap both:
   - XMLHttpRequest: the index request is sent only once the reader focuses the
     search box (or opens search), and asks for this language's index
     (search/search_index.<lang>.json, written by guide/search/searchindex.py:
     only Material's config and the name of the pre-built index's directory);
   - Worker: the guide's own worker (assets/javascripts/guide-search/worker.js)
     starts in place of Material's when search is opened; it loads the
     pre-built index of guide/search/prebuilt.py a piece at a time. Material's
     setup message (its type: scope.setup, guide/search/searchindex.py
     MESSAGES) gets the site's address and the page's language added.
   Reads window.__searchScope = {lang, defaultLang, prefixes: {lang: "en/", ...},
   worker: the worker's version, setup: the setup message's type}.

   Why wrap globals and not use an extension point: Material 9.x has none for
   the worker. Its changelog (9.0.0) says "Removed support for custom search
   workers"; what is left is the worker URL in the app config ("search" in the
   __config block of base.html, a documented overridable block). Overriding
   that block would restate Material's whole app config (its translation keys,
   features, hashed worker name) in our template, and Material then starts the
   worker and requests search/search_index.json (one file for every language,
   at config.base) as soon as a page loads: every page would fetch the worker
   and an index before any reader searches, which this file exists to avoid,
   and the language could not be chosen without rewriting the request. So Worker and
   XMLHttpRequest's open/send are wrapped here, for this one worker URL and
   this one request only; hooks/material_theme.py RE_VERIFY lists this file. */
(function (scope) {
  "use strict";
  if (!scope) return;
  // A page opened from a search result (?h=terms) highlights those terms, and
  // Material needs the index for that: load it at once there.
  var opened = /[?&]h=/.test(location.search), waiting = [];
  function open() {
    if (opened) return;
    opened = true;
    while (waiting.length) waiting.shift()();
  }
  document.addEventListener("focusin", function (ev) {
    if (ev.target && ev.target.name === "query") open();
  });
  // A tap on the search button or box starts loading at the press, before
  // the click opens search or focuses the box (tens of ms on a phone).
  document.addEventListener("pointerdown", function (ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest("label[for=__search], input[name=query]") : null;
    if (el) open();
  }, { passive: true });
  // Material searches on "keyup" only; text that arrives without a key
  // (paste, IME composition, voice input, autofill) fires "input" alone.
  // Passing it on as a keyup lets Material search whatever way the text came.
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!el || el.name !== "query") return;
    open();
    el.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  });
  document.addEventListener("change", function (ev) {
    if (ev.target && ev.target.id === "__search" && ev.target.checked) open();
  });

  var INDEX = /(^|\/)search\/search_index\.json(\?.*)?$/;
  var xhrOpen = XMLHttpRequest.prototype.open, xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    if (INDEX.test(String(url))) {
      this.__searchIndex = true;
      args[1] = String(url).replace(/search_index\.json/, "search_index." + scope.lang + ".json");
    }
    return xhrOpen.apply(this, args);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (xhr.__searchIndex && !opened) {
      waiting.push(function () { xhrSend.apply(xhr, args); });
      return;
    }
    return xhrSend.apply(xhr, args);
  };

  var NativeWorker = window.Worker;
  if (!NativeWorker) return;
  window.Worker = function (url, options) {
    if (!/\/workers\/search\.[^\/]*\.js$/.test(String(url))) return new NativeWorker(url, options);
    var real = null, listeners = [];
    // The site's root: Material's worker lives at assets/javascripts/workers/.
    var root = new URL(String(url), location.href).href.replace(/assets\/javascripts\/workers\/[^\/]*$/, "");
    var script = root + "assets/javascripts/guide-search/worker.js?v=" + scope.worker;
    function start() {
      if (!real) {
        real = new NativeWorker(script, options);
        listeners.forEach(function (l) { real.addEventListener.apply(real, l); });
      }
      return real;
    }
    // The worker starts when search is opened, not when the index has
    // arrived: its script downloads and compiles while the index downloads.
    if (opened) start(); else waiting.push(start);
    return {
      addEventListener: function () {
        listeners.push(arguments);
        if (real) real.addEventListener.apply(real, arguments);
      },
      removeEventListener: function (type, fn) {
        listeners = listeners.filter(function (l) { return !(l[0] === type && l[1] === fn); });
        if (real) real.removeEventListener.apply(real, arguments);
      },
      postMessage: function (message) {
        // Material's setup message carries {config, docs, options}.
        if (message && message.type === scope.setup && message.data) {
          var data = {};
          for (var key in message.data) data[key] = message.data[key];
          data.guide = { root: root, lang: scope.lang };
          message = { type: message.type, data: data };
        }
        start().postMessage(message);
      },
      terminate: function () { if (real) real.terminate(); }
    };
  };
})(window.__searchScope);
