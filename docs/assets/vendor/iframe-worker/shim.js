/* Search in the offline archive (file://), with no inline script.
   Browsers refuse to start a Web Worker from a file:// page, so Material's
   search would never start there. Under file:// this replaces window.Worker
   with a stand-in that runs the worker's script in a hidden iframe: frame.html,
   next to this file, whose only script is the file frame.js (the pages'
   Content-Security-Policy allows no inline script, guide/pages/csp.py). The
   worker's address travels in the frame's URL fragment; messages go both ways
   over a MessageChannel whose second port the page hands to the frame once it
   has loaded. Same interface as a Worker: postMessage, terminate, "message"
   and "error" events (and onmessage/onerror). Online it does nothing. */
(function () {
  "use strict";
  if (location.protocol !== "file:" || !document.currentScript) return;
  var FRAME = new URL("frame.html", document.currentScript.src).href;

  function emit(target, event, handler) {
    target.dispatchEvent(event);
    if (typeof handler === "function") handler.call(target, event);
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      var channel = new MessageChannel(), frame = document.createElement("iframe"), self = this;
      this.port = channel.port1;
      this.port.onmessage = function (ev) {
        var m = ev.data || {};
        if (m.kind === "message") emit(self, new MessageEvent("message", { data: m.data }), self.onmessage);
        else if (m.kind === "error") emit(self, new ErrorEvent("error", { message: String(m.message) }), self.onerror);
      };
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.setAttribute("aria-hidden", "true");
      frame.addEventListener("load", function () {
        frame.contentWindow.postMessage("guide-frame-worker", "*", [channel.port2]);
      }, { once: true });
      frame.src = FRAME + "#" + encodeURIComponent(new URL(String(url), location.href).href);
      this.iframe = frame;
      document.body.appendChild(frame);
    }
    // Messages sent before the frame has its port wait in the channel.
    postMessage(data) { this.port.postMessage({ kind: "message", data: data }); }
    terminate() { this.port.close(); this.iframe.remove(); }
  }

  window.Worker = FrameWorker;
})();
