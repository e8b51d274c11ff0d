/* The worker side of shim.js: runs inside frame.html, in a hidden iframe of an
   offline (file://) page. It starts only in a frame, from file://, for a worker
   of the archive named in its URL fragment (the guide's search worker or
   Material's), and only once the page that framed it has handed over its
   MessagePort. Then it gives the worker what a worker scope has:
   postMessage (to the page), "message" events (from the page) and
   importScripts (scripts of the archive, one after the other; it returns a
   promise, as the guide's worker expects here). */
(function () {
  "use strict";
  if (location.protocol !== "file:" || window.parent === window) return;
  var root = location.href.replace(/assets\/vendor\/iframe-worker\/frame\.html(#.*)?$/, "");
  var WORKER = /^assets\/javascripts\/(guide-search\/worker\.js|workers\/search\.[0-9a-f]{8}\.min\.js)(\?[\w.=&-]*)?$/;
  var url;
  try { url = new URL(decodeURIComponent(location.hash.slice(1))).href; } catch (e) { return; }
  if (root === location.href || url.indexOf(root) !== 0 || !WORKER.test(url.slice(root.length))) return;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.body.appendChild(script);
    });
  }

  window.addEventListener("message", function setup(ev) {
    if (ev.source !== window.parent || ev.data !== "guide-frame-worker" || !ev.ports || !ev.ports.length) return;
    window.removeEventListener("message", setup);
    var port = ev.ports[0];
    window.postMessage = function (data) { port.postMessage({ kind: "message", data: data }); };
    window.importScripts = function () {
      var urls = Array.prototype.map.call(arguments, function (u) { return new URL(String(u), url).href; });
      return urls.reduce(function (done, src) {
        return done.then(function () {
          if (src.indexOf(root) !== 0 || !/\.js(\?[^#]*)?$/.test(src)) throw new Error("not a script of the archive: " + src);
          return load(src);
        });
      }, Promise.resolve());
    };
    window.guideFrameWorker = true;  // the guide's worker answers messages only in a worker or here
    window.addEventListener("error", function (e) {
      port.postMessage({ kind: "error", message: String(e.message || e) });
    });
    // The page's messages wait in the port until the worker listens, as a
    // worker's wait until its script has run.
    load(url).then(function () {
      port.onmessage = function (m) {
        var msg = m.data || {};
        if (msg.kind === "message") window.dispatchEvent(new MessageEvent("message", { data: msg.data }));
      };
    }, function (e) { port.postMessage({ kind: "error", message: e.message }); });
  });
})();
