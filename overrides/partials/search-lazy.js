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
     setup message gets the site's address and the page's language added (and,
     offline, where Material inlines the combined index, its documents cut to
     this language, for the baselines that still use Material's worker).
   Reads window.__searchScope = {lang, defaultLang, prefixes: {lang: "en/", ...},
   prebuilt: true|false, worker: the worker's version}. */
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

  function languageOf(location) {
    for (var lang in scope.prefixes) {
      var prefix = scope.prefixes[lang];
      if (prefix && location.indexOf(prefix) === 0) return lang;
    }
    return scope.defaultLang;
  }

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
    var script = scope.prebuilt ? root + "assets/javascripts/guide-search/worker.js?v=" + scope.worker : url;
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
        // Material's setup message (type 0) carries {config, docs, options}.
        if (message && message.type === 0 && message.data && message.data.docs) {
          var data = {};
          for (var key in message.data) data[key] = message.data[key];
          data.docs = message.data.docs.filter(function (doc) {
            return languageOf(doc.location || "") === scope.lang;
          });
          data.guide = { root: root, lang: scope.lang };
          message = { type: message.type, data: data };
        }
        start().postMessage(message);
      },
      terminate: function () { if (real) real.terminate(); }
    };
  };
})(window.__searchScope);
