// Keep the reader's place when switching language. Heading IDs are identical in
// both languages, so the section anchor of the current page is valid on the
// counterpart page too. Works online and from file:// (no instant navigation).
// Capture phase + stopPropagation: Material's own alternate-link handler would
// otherwise send the reader to the counterpart page without the section.
window.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  event.stopPropagation();
  window.location.href = link.href.split("#")[0] + window.location.hash;
}, true);

/* "Save this guide for offline reading" (overrides/partials/save-offline.html):
   the part every page loads, a few hundred bytes, in this file to save a request. It shows the block only where
   service workers exist (http(s); never file://, the zip edition) and loads
   save.js, which does the work, when the reader taps a button, or after load
   when a saved copy already serves this page (to show its state and any new
   edition). It registers nothing and stores nothing itself. */
(function () {
  "use strict";
  var box = document.getElementById("guide-offline");
  if (!box || !/^https?:$/.test(location.protocol) || !("serviceWorker" in navigator) || !window.caches) return;
  var requested = false;
  function load() {
    if (requested) return;
    requested = true;
    var script = document.createElement("script");
    script.src = box.getAttribute("data-script");
    document.head.appendChild(script);
  }
  box.hidden = false;
  box.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button[data-action]");
    if (!button || box.getAttribute("data-ready")) return;
    box.setAttribute("data-pending", button.getAttribute("data-action"));
    load();
  });
  if (navigator.serviceWorker.controller) {
    if (document.readyState === "complete") load(); else window.addEventListener("load", load);
  }
})();
