/* The guide's service worker (issue 22). The build writes it to the site's
   root (sw.js: its scope is the whole site) from this reviewed source; it is
   registered only when a reader taps "Save this guide for offline reading"
   (save.js), and stores nothing else.

   - Save: the language's list (offline/<lang>.json: files, sizes, hashes, a
     version and the build's date) is fetched and every file stored in one
     cache per language and build, "guide-offline-<lang>-<version>". Each file
     is checked against its hash: a file from another build (a deploy during
     the download) stops the save, so a cache only ever holds one build.
   - Reading: a page of a saved language, and everything it loads, comes from
     that language's cache, online or not; the reader's copy never mixes two
     builds. Anything else goes to the network; a page that cannot be fetched
     gets the saved language's short offline page (offline/<lang>.html).
   - Updates: when a page asks (save.js, on each visit, at most once a
     minute), the list is fetched again; a new version is downloaded in the
     background into a new cache (unchanged files copied from the old one)
     and offered to the reader. Only when the reader accepts does the new
     cache replace the old one.
   - Removal deletes the language's caches; with none left, save.js
     unregisters the worker.
   State (which version of which language is saved, and a waiting update) is
   one JSON entry in the cache "guide-offline-state". */
"use strict";

var LANGUAGES = /*LANGUAGES*/{};
var ROOT = new URL("./", self.location.href).href;
var PREFIX = "guide-offline-";
var STATE_CACHE = PREFIX + "state";
var STATE_KEY = ROOT + "offline/state.json";
var CHECK_EVERY_MS = 60 * 1000;
var lastCheck = {};
var queue = Promise.resolve();

// One change of the state at a time (saves, checks, removals run in turn).
function serial(task) {
  var run = queue.then(task, task);
  queue = run.catch(function () {});
  return run;
}

function readState() {
  return caches.open(STATE_CACHE).then(function (cache) {
    return cache.match(STATE_KEY);
  }).then(function (response) {
    return response ? response.json() : { langs: {} };
  });
}

function writeState(state) {
  return caches.open(STATE_CACHE).then(function (cache) {
    return cache.put(STATE_KEY, new Response(JSON.stringify(state), { headers: { "Content-Type": "application/json" } }));
  });
}

function cacheName(lang, version) {
  return PREFIX + lang + "-" + version;
}

function listUrl(lang) {
  return ROOT + "offline/" + lang + ".json";
}

// The language of a site path ("en/strategy/", "search/ar/b/1.js", "strategy/").
function languageOfPath(path) {
  // A code as the registry spells it: "fr", "pt-BR" (guide/editorial/newlang.py).
  var m = /^search\/([a-z]+(?:-[A-Z]{2})?)\/|^search\/search_index\.([a-z]+(?:-[A-Z]{2})?)\.json$|^offline\/([a-z]+(?:-[A-Z]{2})?)\./.exec(path);
  if (m) return m[1] || m[2] || m[3];
  for (var lang in LANGUAGES.prefixes) {
    var prefix = LANGUAGES.prefixes[lang];
    if (prefix && path.indexOf(prefix) === 0) return lang;
  }
  return null;
}

function isPage(path) {
  return path === "" || /\/$/.test(path) || /\.html$/.test(path);
}

function relative(url) {
  return url.indexOf(ROOT) === 0 ? url.slice(ROOT.length).split(/[?#]/)[0] : null;
}

function broadcast(message) {
  return self.clients.matchAll({ includeUncontrolled: true }).then(function (list) {
    list.forEach(function (client) { client.postMessage(message); });
  });
}

function hex(buffer) {
  return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
    return ("0" + b.toString(16)).slice(-2);
  }).join("");
}

function fetchList(lang) {
  return fetch(listUrl(lang), { cache: "no-store" }).then(function (response) {
    if (!response.ok) throw new Error("HTTP " + response.status + " offline/" + lang + ".json");
    return response.json();
  });
}

// The file as the list describes it (its hash), or an error.
function fetchChecked(url, file, mode) {
  return fetch(url, { cache: mode, credentials: "same-origin" }).then(function (response) {
    if (!response.ok) throw new Error("HTTP " + response.status + " " + file.path);
    var type = response.headers.get("Content-Type") || "";
    return response.arrayBuffer().then(function (body) {
      return crypto.subtle.digest("SHA-256", body).then(function (digest) {
        if (hex(digest).slice(0, 16) !== file.hash) throw new Error("changed during the download: " + file.path);
        return new Response(body, { headers: { "Content-Type": type } });
      });
    });
  });
}

// Store every file of `list` in the cache of its version; files whose hash
// is unchanged are copied from `previous` (an earlier saved version).
function download(lang, list, previous, progress) {
  var name = cacheName(lang, list.version), cache, old = null, oldHashes = {};
  var files = list.files, next = 0, done = 0, bytes = 0;
  return caches.open(name).then(function (c) {
    cache = c;
    if (!previous) return null;
    return caches.open(cacheName(lang, previous.version)).then(function (o) {
      old = o;
      return o.match(listUrl(lang));
    }).then(function (response) {
      return response ? response.json() : { files: [] };
    }).then(function (oldList) {
      oldList.files.forEach(function (f) { oldHashes[f.path] = f.hash; });
    });
  }).then(function () {
    function one(file) {
      var url = ROOT + file.path;
      return cache.match(url).then(function (have) {
        if (have) return null; // an earlier, interrupted save of this same version
        var copy = old && oldHashes[file.path] === file.hash ? old.match(url) : Promise.resolve(null);
        return copy.then(function (response) {
          if (response) return cache.put(url, response);
          // Revalidated with the server; a copy that is not this build's (an
          // older one the HTTP cache kept, say) is fetched once more bypassing it.
          return fetchChecked(url, file, "no-cache").catch(function () {
            return fetchChecked(url, file, "reload");
          }).then(function (response) { return cache.put(url, response); });
        });
      }).then(function () {
        done += 1;
        bytes += file.transfer;
        if (progress) progress(done, files.length, bytes);
      });
    }
    function worker() {
      if (next >= files.length) return Promise.resolve();
      return one(files[next++]).then(worker);
    }
    return Promise.all([worker(), worker(), worker(), worker(), worker(), worker()]);
  }).then(function () {
    // The list last: a cache with its list is complete.
    return cache.put(listUrl(lang), new Response(JSON.stringify(list), { headers: { "Content-Type": "application/json" } }));
  });
}

function dropCaches(lang, keep) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      // This language's caches only: "guide-offline-pt-<version>", never pt-BR's.
      var start = PREFIX + lang + "-";
      return n.indexOf(start) === 0 && /^[0-9a-f]+$/.test(n.slice(start.length)) && keep.indexOf(n) < 0;
    }).map(function (n) { return caches.delete(n); }));
  });
}

function summary(list) {
  return { version: list.version, built: list.built, date: list.date, pages: list.pages, transfer: list.transfer,
           files: list.files.length };
}

function save(lang) {
  return serial(function () {
    return Promise.all([readState(), fetchList(lang)]).then(function (both) {
      var state = both[0], list = both[1], current = state.langs[lang] || null;
      return download(lang, list, current, function (done, total, bytes) {
        broadcast({ type: "progress", lang: lang, done: done, total: total, bytes: bytes });
      }).then(function () {
        state.langs[lang] = summary(list);
        return writeState(state);
      }).then(function () {
        return dropCaches(lang, [cacheName(lang, list.version)]);
      }).then(function () {
        return { type: "saved", lang: lang, state: state };
      });
    });
  });
}

function remove(lang) {
  return serial(function () {
    return readState().then(function (state) {
      delete state.langs[lang];
      // Nothing saved any more: no state either (save.js then unregisters the worker).
      var stored = Object.keys(state.langs).length ? writeState(state) : caches.delete(STATE_CACHE);
      return stored.then(function () { return dropCaches(lang, []); }).then(function () {
        return { type: "removed", lang: lang, state: state };
      });
    });
  });
}

// A new build on the server: fetch what changed into a new cache, then
// record it as waiting for the reader.
function check(lang, force) {
  var now = Date.now();
  if (!force && lastCheck[lang] && now - lastCheck[lang] < CHECK_EVERY_MS) return readState().then(status);
  return serial(function () {
    return readState().then(function (state) {
      var current = state.langs[lang];
      if (!current) return state;
      return fetchList(lang).then(function (list) {
        lastCheck[lang] = now; // a check that reached the server (offline ones are retried)
        if (list.version === current.version) {
          if (!current.next) return state;
          delete current.next; // the server went back to the saved build
          return writeState(state).then(function () { return dropCaches(lang, [cacheName(lang, current.version)]); })
            .then(function () { return state; });
        }
        if (current.next && current.next.version === list.version) return state;
        return download(lang, list, current, null).then(function () {
          current.next = summary(list);
          return writeState(state);
        }).then(function () {
          return dropCaches(lang, [cacheName(lang, current.version), cacheName(lang, list.version)]);
        }).then(function () {
          broadcast({ type: "update", lang: lang, state: state });
          return state;
        });
      }, function () { return state; }); // offline, or the server is down: nothing to learn now
    });
  }).then(status);
}

function accept(lang) {
  return serial(function () {
    return readState().then(function (state) {
      var current = state.langs[lang];
      if (!current || !current.next) return { type: "status", state: state };
      state.langs[lang] = current.next;
      return writeState(state).then(function () {
        return dropCaches(lang, [cacheName(lang, state.langs[lang].version)]);
      }).then(function () { return { type: "accepted", lang: lang, state: state }; });
    });
  });
}

function status(state) {
  return { type: "status", state: state };
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", function (event) {
  var data = event.data || {}, port = event.ports && event.ports[0];
  var lang = data.lang;
  if (lang && !(lang in LANGUAGES.prefixes)) return;
  var work;
  if (data.type === "save") work = save(lang);
  else if (data.type === "remove") work = remove(lang);
  else if (data.type === "accept") work = accept(lang);
  else if (data.type === "check") work = check(lang, !!data.force);
  else work = readState().then(status);
  event.waitUntil(work.then(function (reply) {
    if (port) port.postMessage(reply);
  }, function (error) {
    if (port) port.postMessage({ type: "error", lang: lang, message: String(error && error.message || error) });
  }));
});

function languageOfRequest(event, path) {
  var lang = languageOfPath(path);
  if (lang) return Promise.resolve(lang);
  if (isPage(path) && event.request.mode === "navigate") return Promise.resolve(LANGUAGES.default);
  // An asset (stylesheet, script, font, image): the language of the page that asks.
  return (event.clientId ? self.clients.get(event.clientId) : Promise.resolve(null)).then(function (client) {
    var page = client && relative(client.url);
    if (page === null || page === undefined) return null;
    return languageOfPath(page) || (/^offline\//.test(page) ? null : LANGUAGES.default);
  });
}

function fromCache(lang, state, path) {
  var saved = lang && state.langs[lang];
  if (!saved) return Promise.resolve(null);
  return caches.open(cacheName(lang, saved.version)).then(function (cache) {
    var key = /\/index\.html$|^index\.html$/.test(path) ? path.replace(/index\.html$/, "") : path;
    return cache.match(ROOT + key, { ignoreSearch: true }).then(function (hit) {
      if (hit || !isPage(key) || /\/$/.test(key) || key === "") return hit;
      return cache.match(ROOT + key + "/", { ignoreSearch: true });
    });
  });
}

function fallback(state, lang) {
  var saved = Object.keys(state.langs);
  var shown = state.langs[lang] ? lang : saved[0];
  if (!shown) return Promise.resolve(Response.error());
  return caches.open(cacheName(shown, state.langs[shown].version)).then(function (cache) {
    return cache.match(ROOT + "offline/" + shown + ".html");
  }).then(function (page) {
    return page || Response.error();
  });
}

// A saved language's page, and everything it loads, comes from its cache
// (one build, online or not); anything else from the network, and only when
// that fails, a saved copy: the offline page for a page, any saved language's
// copy for an asset (the offline page's stylesheets, say).
function respond(event, path) {
  var request = event.request;
  return Promise.all([readState(), languageOfRequest(event, path)]).then(function (both) {
    var state = both[0], lang = both[1];
    if (lang && state.langs[lang]) {
      return fromCache(lang, state, path).then(function (hit) {
        return hit || fetch(request).catch(function (error) {
          if (request.mode === "navigate") return fallback(state, lang);
          throw error;
        });
      });
    }
    return fetch(request).catch(function (error) {
      if (request.mode === "navigate") return fallback(state, lang);
      var order = isPage(path) ? [] : Object.keys(state.langs);
      function tryNext(i) {
        if (i >= order.length) throw error;
        return fromCache(order[i], state, path).then(function (hit) { return hit || tryNext(i + 1); });
      }
      return tryNext(0);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var path = relative(request.url);
  if (path === null || path === "sw.js" || /^offline\/state\.json$/.test(path)) return;
  event.respondWith(respond(event, path));
});
