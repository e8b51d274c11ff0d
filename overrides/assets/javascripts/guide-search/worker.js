/*
 * The guide's search worker: Material's search interface, our pre-built index.
 *
 * Material starts a worker and talks to it in four messages, named in MESSAGE
 * below (setup, ready, query, result: Material's SearchMessageType, whose
 * numbers guide/search/searchindex.py MESSAGES writes in at build time; a
 * message is {type: MESSAGE.<name>, data}). Material's own worker receives
 * every section's text and builds a lunr index in the browser; this one receives nothing but where its
 * files are (overrides/partials/search-lazy.js starts it in Material's place)
 * and loads, with importScripts (which also works from file:// through the
 * iframe-worker shim), only what a query needs from the index written at build
 * time by guide/search/prebuilt.py:
 *   meta.js      entries (location, title, page), the separator, word facts;
 *   k/<n>.js     the shard holding a key (its first two letters decide);
 *   b/<n>.js     which entries have two keys standing together (multi-word);
 *   s/<n>.js     a piece of an entry's text (whole blocks), for the entries a
 *                result shows with a teaser: the pieces where its words first
 *                occur (the postings say which), so a long section costs no more;
 *   words.js     the vocabulary, only when a word is in no shard (typos).
 *
 * The analysis of a query word is the build's analysis of a page word
 * (guide/search/analysis.py), in JavaScript: the same steps, and the same
 * tables, which are only in guide/search/analysis.json (written into T below
 * at build time); tests/test_search_parity.py runs every word of the site
 * through both.
 *
 * Ranking (as the lunr version measured in BENCHMARKS.md): a word matches its
 * stem (weight 10; as a prefix, weight 1, for the word being typed), its root
 * key (2), or its nearest indexed words (3) when it is in no shard; entries
 * containing every word come first (tiers ten times apart), then by their own
 * score, their page's (the page is about the words) and nothing else.
 */
(function (root) {
  "use strict";
  // The analysis's tables (guide/search/analysis.json), written in at build
  // time by guide/search/searchindex.py; the placeholder keeps the shape.
  var T = /*TABLES*/{"root":"\u221A","arabic":{"letters":"[\u0600-\u06FF]","marks":"[\u064B-\u065F]","normalise":[],"digitZeros":[],"bareSeats":{},"stop":[],"articles":["ال"],"particles":"","suffixes":[],"pronouns":[],"irregular":{}},"english":{"stop":[],"spelling":{},"fold":{},"rules":[],"acronym":"(?!)","porter":{}}}/*END*/;
  var AR = T.arabic, EN = T.english, ROOT = T.root;
  var ARABIC = new RegExp(AR.letters);
  var MARKS = new RegExp(AR.marks, "g");
  var NORMALISE = AR.normalise.map(function (r) { return [new RegExp(r[0], "g"), r[1]]; });
  var DIGITS = AR.digitZeros.map(function (zero) {
    var z = zero.charCodeAt(0);
    return [new RegExp("[" + zero + "-" + String.fromCharCode(z + 9) + "]", "g"), z];
  });
  var SEATS = new RegExp("[" + Object.keys(AR.bareSeats).join("") + "]", "g");
  var ACRONYM = new RegExp(EN.acronym);
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$|(?<!\p{N})%+$/gu;
  function set(list) { var s = Object.create(null); list.forEach(function (w) { s[w] = true; }); return s; }
  var STOP_AR = set(AR.stop), STOP_EN = set(EN.stop);

  // --- analysis (guide/search/analysis.py, line for line) --------------------

  function normaliseArabic(word) {
    var w = word.normalize("NFKC").replace(MARKS, "");
    NORMALISE.forEach(function (r) { w = w.replace(r[0], r[1]); });
    DIGITS.forEach(function (d) {
      w = w.replace(d[0], function (c) { return String(c.charCodeAt(0) - d[1]); });
    });
    return w;
  }
  function bareSeat(original) {
    if (!new RegExp(SEATS.source).test(original)) return "";
    return normaliseArabic(original.replace(SEATS, function (c) { return AR.bareSeats[c]; }));
  }
  function stripPrefix(word) {
    for (var i = 0; i < AR.articles.length; i++) {
      var p = AR.articles[i];
      if (word.indexOf(p) === 0 && word.length - p.length >= 2) return word.slice(p.length);
    }
    if (word.length >= 5 && AR.particles.indexOf(word.charAt(0)) >= 0) return word.slice(1);
    return word;
  }
  function hasArticle(word) {
    for (var i = 0; i < AR.articles.length; i++) {
      if (word.indexOf(AR.articles[i]) === 0 && word.length - AR.articles[i].length >= 2) return true;
    }
    return false;
  }
  function stripSuffixes(word) {
    for (var j = 0; j < AR.suffixes.length; j++) {
      var s = AR.suffixes[j];
      if (word.length - s.length >= 3 && word.slice(-s.length) === s) {
        word = word.slice(0, -s.length);
        if (s === "\u064A\u0647") break; // ـية ends a noun: كراهية → كراه
      }
    }
    return word;
  }
  function stemArabic(word) { return word.length >= 4 ? stripSuffixes(word) : word; }
  function taMarbutaStem(word) {
    for (var i = 0; i < AR.pronouns.length; i++) {
      var s = AR.pronouns[i], rest = word.slice(0, -s.length);
      if (word.slice(-s.length) !== s || rest.length < 3 || rest.slice(-1) !== "\u062A") continue;
      if (rest.slice(-2, -1) === "\u0627") return "";
      return stemArabic(rest.slice(0, -1) + "\u0647");
    }
    return "";
  }
  // فُعَلاء → فعيل: خبراء → خبير (the root √خبر is shared by many words).
  function brokenSingular(stem) {
    if (stem.length === 5 && stem.slice(-2) === "\u0627\u0621" && stem.charAt(0) !== "\u0627" &&
        "\u0627\u0648\u064A".indexOf(stem.charAt(2)) < 0)
      return stemArabic(stem.slice(0, 2) + "\u064A" + stem.charAt(2));
    return "";
  }
  function stemsArabic(word) {
    var stems = [stemArabic(word)];
    [taMarbutaStem(word), brokenSingular(stems[0])].forEach(function (other) {
      if (other && stems.indexOf(other) < 0) stems.push(other);
    });
    return stems;
  }
  function dropInnerVowel(w) {
    if (w.length <= 3) return w;
    for (var i = w.length - 2; i >= 1; i--) {
      if ("\u0627\u0648\u064A".indexOf(w.charAt(i)) >= 0) return w.slice(0, i) + w.slice(i + 1);
    }
    return w;
  }
  function rootOf(stem) {
    if (Object.prototype.hasOwnProperty.call(AR.irregular, stem)) return ROOT + AR.irregular[stem];
    var w = stem;
    if (w.length >= 5 && w.slice(-2) === "\u0627\u0621") w = w.slice(0, -2);
    w = dropInnerVowel(w);
    if (w.length >= 6 && w.indexOf("\u0627\u0633\u062A") === 0) w = w.slice(3);
    for (var i = 0; i < 2 && w.length > 3 && "\u0627\u062A\u0646\u064A\u0645".indexOf(w.charAt(0)) >= 0; i++) w = w.slice(1);
    while (w.length > 3) {
      var shorter = dropInnerVowel(w);
      if (shorter === w) break;
      w = shorter;
    }
    if (w.length === 3 && "\u064A\u062A\u0646".indexOf(w.charAt(0)) >= 0 && /[\u064A\u0627]$/.test(w))
      w = "\u0648" + w.charAt(1) + "\u064A";
    else if (w.length === 3 && w.charAt(2) === "\u0627") w = w.slice(0, 2) + "\u064A";
    if (w.charAt(0) === "\u0621") w = "\u0627" + w.slice(1);
    return w.length === 3 || w.length === 4 ? ROOT + w : "";
  }
  // A query word's root keys: as a noun and, after an imperfect prefix (ي ت ن),
  // also without it: يمول → مول (التمويل).
  function queryRoots(stem) {
    if (stem.length < 3 || /[0-9]/.test(stem)) return [];
    var roots = [rootOf(stem)];
    if (stem.length >= 4 && "\u064A\u062A\u0646".indexOf(stem.charAt(0)) >= 0) roots.push(rootOf(stem.slice(1)));
    // A four-letter noun of the pattern مَفعِل/مَفعَل (مورد، مصدر، مجلس): its م is a
    // prefix, so the root is what follows (موارد reaches √ورد on the index side).
    if (stem.length === 4 && stem.charAt(0) === "\u0645") roots.push(rootOf(stem.slice(1)));
    return roots.filter(function (r, i) { return r && roots.indexOf(r) === i; });
  }
  function cleanArabic(word) {
    var n = normaliseArabic(word).replace(EDGES, "");
    return !n || STOP_AR[n] ? "" : n;
  }
  function arabicIndexKeys(original) {
    var forms = [cleanArabic(original)], bare = bareSeat(original);
    if (!forms[0]) return [];
    if (bare) forms.push(bare.replace(EDGES, ""));
    var keys = [];
    function add(k) { if (k && keys.indexOf(k) < 0) keys.push(k); }
    forms.forEach(function (word) {
      if (!/^[0-9%]+$/.test(word) && word.length < 2) return;
      var one = stripPrefix(word), two = stripPrefix(one);
      var stems = one === word || !hasArticle(word) ? stemsArabic(word) : [];
      stems.concat(stemsArabic(one), stemsArabic(two)).forEach(add);
    });
    var head = stripPrefix(forms[0]);
    if (head.length >= 3) stemsArabic(head).forEach(function (s) { add(rootOf(s)); });
    return keys;
  }
  var RULES = EN.rules.map(function (r) { return [new RegExp(r[0]), r[1]]; });
  function canonicalEnglish(word) {
    var w = word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036F]/g, "")
      .replace(/[\s\S]/g, function (c) { return Object.prototype.hasOwnProperty.call(EN.fold, c) ? EN.fold[c] : c; })
      .replace(/['\u2019]s$/, "").replace(/['\u2019]/g, "");
    if (Object.prototype.hasOwnProperty.call(EN.spelling, w)) return EN.spelling[w];
    for (var i = 0; i < RULES.length; i++) w = w.replace(RULES[i][0], RULES[i][1]);
    return w;
  }
  function cleanEnglish(word) {
    var w = canonicalEnglish(word.replace(EDGES, "")).replace(EDGES, "");
    return !w || STOP_EN[w] ? "" : w;
  }
  function stemEnglish(w) {
    return /^[0-9]/.test(w) || w.length < 3 ? w : root.guidePorter(w);
  }
  // A language without its own analysis (the index's config says "generic",
  // guide/search/analysis.py clean_generic): lower case, accents folded, no
  // stop words, spelling rules or stems.
  var latin = "english";
  function cleanGeneric(word) {
    var w = word.replace(EDGES, "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036F]/g, "")
      .replace(/[\s\S]/g, function (c) { return Object.prototype.hasOwnProperty.call(EN.fold, c) ? EN.fold[c] : c; })
      .replace(/['\u2019]/g, "");
    return w.replace(EDGES, "");
  }
  function indexKeys(word) {
    if (ARABIC.test(word)) return arabicIndexKeys(word);
    if (latin === "generic") { var g = cleanGeneric(word); return g ? [g] : []; }
    var w = cleanEnglish(word);
    return w ? [stemEnglish(w)] : [];
  }
  function surface(word) {
    if (ARABIC.test(word)) return cleanArabic(word);
    return latin === "generic" ? cleanGeneric(word) : cleanEnglish(word);
  }

  // --- the index ---------------------------------------------------------------

  var base = "", version = "", meta = null, keep = null, names = null, shards = Object.create(null), pairs = Object.create(null),
    texts = Object.create(null), words = null;

  // The registration calls the index files make (see guide/search/prebuilt.py).
  var guideSearch = {
    meta: function (m) { meta = m; keep = set(m.keep); names = set(m.names || []); },
    shard: function (n, data) { shards[n] = data; },
    pairs: function (n, data) { pairs[n] = data; },
    text: function (n, data) { texts[n] = data; },
    words: function (data) { words = data; }
  };

  // A file is one call, guideSearch.<kind>([n,]<JSON>). Over http the files a
  // query needs are fetched in parallel (importScripts fetches one after the
  // other: a round trip each on a phone network) and their JSON parsed; from
  // file:// (the offline archive, through the iframe shim) fetch cannot read
  // files, and importScripts runs them.
  var CALL = /^guideSearch\.(\w+)\((?:(\d+),)?([\s\S]*)\);\s*$/;
  function load(paths) {
    var urls = paths.filter(function (p, i) { return paths.indexOf(p) === i; })
      .map(function (p) { return base + p + "?v=" + version; });
    if (!urls.length) return Promise.resolve();
    if (!/^https?:/.test(base) || typeof fetch !== "function")
      return Promise.resolve(root.importScripts.apply(root, urls)); // a promise in the shim
    return Promise.all(urls.map(function (url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.text();
      }).then(function (text) {
        var m = CALL.exec(text);
        if (!m || !Object.prototype.hasOwnProperty.call(guideSearch, m[1])) throw new Error(url + ": not an index file");
        var data = JSON.parse(m[3]);
        if (m[2] === undefined) guideSearch[m[1]](data); else guideSearch[m[1]](+m[2], data);
      });
    }));
  }

  function shardOf(key, count) {
    var a = key.charCodeAt(0), b = key.length > 1 ? key.charCodeAt(1) : 0;
    return (a * 31 + b) % (count || meta.shards);
  }
  function loadShards(keys) {
    var need = [];
    keys.forEach(function (k) { var n = shardOf(k); if (!shards[n]) need.push("k/" + n + ".js"); });
    return load(need);
  }
  function postings(key) {
    var shard = shards[shardOf(key)];
    return shard && Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null;
  }

  // A lone first letter و ف ب ك ل is a particle unless the site has the whole
  // word and not the rest (its list is `keep`, computed at build time).
  function particleStripped(word) {
    var one = stripPrefix(word);
    return one !== word && !hasArticle(word) && keep && keep[word] ? word : one;
  }

  // A query word's analysis: its normalised form, main key, other stems, roots.
  function analyse(word) {
    if (ARABIC.test(word)) {
      var a = cleanArabic(word);
      if (!a) return null;
      var bare = particleStripped(a), stems = stemsArabic(bare), roots = [];
      // A name (نيوارك) has no Arabic root: its letters only look like one.
      if (!(names && (names[a] || names[bare]))) {
        stems.forEach(function (s) {
          queryRoots(s).forEach(function (r) { if (roots.indexOf(r) < 0) roots.push(r); });
        });
      }
      return { surface: a, key: stems[0], alts: stems.slice(1), roots: roots };
    }
    if (latin === "generic") {
      var g = cleanGeneric(word);
      return g ? { surface: g, key: g, alts: [], roots: [] } : null;
    }
    var e = cleanEnglish(word);
    return e ? { surface: e, key: stemEnglish(e), alts: [], roots: [] } : null;
  }

  // Edit distance with swaps of neighbours, or max + 1 as soon as it must exceed max.
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      var row = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1))
          d = Math.min(d, prev2[j - 2] + 1);
        row[j] = d;
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }
  // No typo below 5 letters, one up to 7, two from 8 (polarisaton).
  function typosAllowed(word) { return word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0; }
  function nearestKeys(surface) {
    var max = typosAllowed(surface), found = [], nearest = max + 1;
    if (!max) return found;
    for (var known in words) {
      var d = editDistance(surface, known, Math.min(max, nearest));
      if (d > max || d > nearest) continue;
      if (d < nearest) { nearest = d; found = []; }
      if (found.indexOf(words[known]) < 0) found.push(words[known]);
    }
    return found;
  }

  function splitWords(text) {
    return text.split(new RegExp(meta.separator)).filter(Boolean);
  }

  // The query's words, analysed, with the shards they need loaded.
  function parse(query) {
    var list = [];
    splitWords(query).forEach(function (raw) {
      var a = analyse(raw.toLowerCase());
      if (a) list.push({ key: a.key, alts: a.alts, roots: a.roots, surface: a.surface, fuzzy: [], typing: false,
        typed: raw.replace(EDGES, ""), also: alsoKeys(a.surface) });
    });
    if (list.length && !/[\s]$/.test(query)) list[list.length - 1].typing = true;
    var keys = [];
    // (A name typed in the other script: its page spelling's shard too, which
    // says where in an entry the page shows it.)
    list.forEach(function (w) { keys.push.apply(keys, [w.key].concat(w.alts, w.roots, w.also)); });
    var need = [];
    // Several words: which of their keys stand together, from the pair shards.
    list.slice(0, -1).forEach(function (w) {
      [w.key].concat(w.alts).forEach(function (x) {
        var n = shardOf(x + " ", meta.pairShards);
        if (!pairs[n]) need.push("b/" + n + ".js");
      });
    });
    return Promise.all([loadShards(keys), load(need)]).then(function () {
      // A word in no shard may be mistyped; the word being typed is not, as
      // long as some indexed key starts with it.
      var lost = list.filter(function (w) {
        return ![w.key].concat(w.alts, w.roots).some(postings) && typosAllowed(w.surface) &&
          !(w.typing && startsSome(w.key));
      });
      if (!lost.length) return list;
      return (words ? Promise.resolve() : load(["words.js"])).then(function () {
        var fuzzy = [];
        lost.forEach(function (w) { w.fuzzy = nearestKeys(w.surface); fuzzy.push.apply(fuzzy, w.fuzzy); });
        return loadShards(fuzzy).then(function () { return list; });
      });
    });
  }

  function startsSome(key) {
    var shard = shards[shardOf(key)] || {};
    for (var term in shard) if (term.indexOf(key) === 0) return true;
    return false;
  }

  // Do two words stand together in an entry? Their main keys, or other stems.
  function together(a, b, d) {
    return [a.key].concat(a.alts).some(function (x) {
      var shard = pairs[shardOf(x + " ", meta.pairShards)] || {};
      return [b.key].concat(b.alts).some(function (y) {
        var list = shard[x + " " + y];
        return list && list.indexOf(d) >= 0;
      });
    });
  }

  // The keys of this language's spelling of a name typed in the other script
  // (found through the hidden alias field; marked where the page shows it).
  function alsoKeys(surface) {
    var keys = [];
    ((meta && meta.also && Object.prototype.hasOwnProperty.call(meta.also, surface)) ? meta.also[surface] : [])
      .forEach(function (w) {
        indexKeys(w).forEach(function (k) { if (k.charAt(0) !== ROOT && keys.indexOf(k) < 0) keys.push(k); });
      });
    return keys;
  }

  function wordMatches(word, term) {
    return term === word.key || word.alts.indexOf(term) >= 0 || word.roots.indexOf(term) >= 0 ||
      word.fuzzy.indexOf(term) >= 0 ||
      (word.typing && term.charAt(0) !== ROOT && term.indexOf(word.key) === 0);
  }

  // Every (term, boost) a word is looked up under.
  function clauses(word) {
    var out = [];
    function add(term, boost) { if (postings(term)) out.push([term, boost]); }
    add(word.key, 10);
    word.alts.forEach(function (k) { add(k, 10); });
    if (word.key.length > 1) {
      var shard = shards[shardOf(word.key)] || {};
      for (var term in shard) if (term.indexOf(word.key) === 0) add(term, 1);
    }
    word.roots.forEach(function (r) { add(r, 2); });
    word.fuzzy.forEach(function (f) { add(f, 3); });
    return out;
  }

  function pageOf(location) { return location.split("#")[0]; }

  // The page's own forms of each query word in an entry, from the postings:
  // forms[d][i] = [level, form, ...], level 2 for the word's own keys, 1 for
  // its root only (a root's forms count only where the word's own are absent).
  function better(f, level, form) {
    if (!form) return f;
    if (!f || f[0] < level) f = [level];
    if (f[0] === level && f.indexOf(form, 1) < 0) f.push(form);
    return f;
  }
  function addForm(forms, d, i, level, form) {
    var at = forms[d] || (forms[d] = []);
    at[i] = better(at[i], level, form);
  }

  // A key's postings, each as {entry, weight, piece, form, word}: a shard
  // holds them flat after the key's forms, their fields in the order meta.js
  // names (meta.posting; guide/search/prebuilt.py POSTING). piece -1: the key
  // is not in the entry's text; word: the entry's own form of it (undefined:
  // only in the hidden alias).
  function eachPosting(row, fn) {
    var names = meta.posting, width = names.length;
    for (var j = 1; j < row.length; j += width) {
      var posting = {};
      for (var k = 0; k < width; k++) posting[names[k]] = row[j + k];
      posting.word = posting.form >= 0 ? row[0][posting.form] : undefined;
      fn(posting);
    }
  }

  // [{doc, score, hits: [bool per word], pieces: [piece of the entry's text
  // where each word found first occurs], forms: [[level, form, ...] per word]}],
  // best first.
  function rank(list) {
    var score = Object.create(null), matched = Object.create(null), where = Object.create(null),
      forms = Object.create(null);
    list.forEach(function (w, i) {
      clauses(w).forEach(function (c) {
        var hit = wordMatches(w, c[0]), level = c[0].charAt(0) === ROOT ? 1 : 2;
        eachPosting(postings(c[0]), function (x) {
          var d = x.entry;
          score[d] = (score[d] || 0) + c[1] * x.weight;
          if (!hit) return;
          (matched[d] || (matched[d] = []))[i] = true;
          addForm(forms, d, i, level, x.word);
          var at = where[d] || (where[d] = []);
          if (x.piece >= 0 && (at[i] === undefined || x.piece < at[i])) at[i] = x.piece;
        });
      });
    });
    // A page's score: its entries' scores summed, over the square root of how
    // many of them have the words (the page is about the words when several
    // of its sections are; dividing by all its sections, as before, put a
    // short page with one mention above a long chapter with the same one).
    var top = 0, pageScore = Object.create(null), topPage = 0, found = Object.create(null), d, p;
    for (d in score) {
      top = Math.max(top, score[d]);
      p = pageOf(meta.docs[d].location);
      pageScore[p] = (pageScore[p] || 0) + score[d];
      found[p] = (found[p] || 0) + 1;
    }
    for (p in pageScore) {
      pageScore[p] /= Math.sqrt(found[p]);
      topPage = Math.max(topPage, pageScore[p]);
    }
    var results = [];
    for (d in score) {
      var hits = list.map(function (w, i) { return !!(matched[d] && matched[d][i]); });
      var n = hits.filter(Boolean).length;
      var adjacent = 0;
      for (var i = 1; i < list.length; i++) if (hits[i - 1] && hits[i] && together(list[i - 1], list[i], +d)) adjacent++;
      // Within a tier: the entry's own score, its page's (the page is about
      // the words), and the words standing together.
      var within = score[d] / (top || 1) + 0.5 * pageScore[pageOf(meta.docs[d].location)] / (topPage || 1) +
        (list.length > 1 ? adjacent / (list.length - 1) : 0);
      // A word found through the hidden alias (a name typed in the other
      // script): the piece where the page shows its own spelling.
      list.forEach(function (w, i) {
        if (!(matched[d] && matched[d][i]) || (where[d] && where[d][i] !== undefined)) return;
        w.also.forEach(function (k) {
          eachPosting(postings(k) || [[]], function (x) {
            if (x.entry === +d) addForm(forms, d, i, 2, x.word);
            if (x.entry !== +d || x.piece < 0) return;
            var at = where[d] || (where[d] = []);
            if (at[i] === undefined || x.piece < at[i]) at[i] = x.piece;
          });
        });
      });
      var pieces = [];
      (where[d] || []).forEach(function (x) { if (x !== undefined && pieces.indexOf(x) < 0) pieces.push(x); });
      results.push({ doc: +d, score: Math.pow(10, n) * (1 + within), hits: hits, pieces: pieces.sort().slice(0, 3),
        forms: forms[d] || [] });
    }
    return results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }

  // --- results as Material renders them ------------------------------------------

  function escape(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Snippets repeat their words from query to query: analyse each once.
  var analysed = Object.create(null);
  function keysOf(word) {
    return analysed[word] || (analysed[word] = indexKeys(word));
  }

  // How a page word's keys meet a query word: 2 as the word itself (its
  // stem, another stem, the prefix being typed, a near spelling, its name in
  // the other script), 1 only through the root, 0 not at all.
  function strength(word, keys) {
    var best = 0;
    keys.forEach(function (k) {
      if (k.charAt(0) === ROOT) { if (best < 1 && word.roots.indexOf(k) >= 0) best = 1; }
      else if (wordMatches(word, k) || word.also.indexOf(k) >= 0) best = 2;
    });
    return best;
  }

  // Where a text has words meeting the query words: [[start, end, word, strength], ...],
  // each range without the punctuation the separator leaves on a word ("polarisation;").
  function matches(text, list) {
    var separator = new RegExp(meta.separator, "g"), found = [], last = 0, m;
    function word(until) {
      var piece = text.slice(last, until);
      if (!piece) return;
      var keys = keysOf(piece.toLowerCase());
      if (!keys.length) return;
      var lead = piece.length - piece.replace(/^[^\p{L}\p{N}]+/u, "").length;
      var tail = piece.replace(/[^\p{L}\p{N}%]+$/u, "").length;
      list.forEach(function (w, i) {
        var s = strength(w, keys);
        if (s) found.push([last + lead, last + Math.max(tail, lead), i, s]);
      });
    }
    while ((m = separator.exec(text))) {
      word(m.index);
      last = m.index + m[0].length;
      if (!m[0].length) separator.lastIndex++;
    }
    word(text.length);
    // An acronym typed plainly (PCVE) meets the page's P/CVE as a whole.
    var acronym = new RegExp(ACRONYM.source, "g");
    while ((m = acronym.exec(text))) {
      var start = m.index, end = start + m[0].length;
      if (found.some(function (r) { return r[0] < end && r[1] > start; })) continue;
      var keys = keysOf(m[0].replace(/[\/.]/g, "").toLowerCase());
      list.forEach(function (w, i) {
        var s = strength(w, keys);
        if (s) found.push([start, end, i, s]);
      });
    }
    return found.sort(function (a, b) { return a[0] - b[0]; });
  }

  // Ranges to mark: for each query word, its own forms where the texts have
  // them, else its root's (التطرف does not mark الأطراف when the page also
  // says التطرف); one range per place.
  function toMark(found, levels) {
    var out = [];
    found.forEach(function (r) {
      if (r[3] < levels[r[2]]) return;
      if (!out.length || out[out.length - 1][0] !== r[0]) out.push(r);
    });
    return out;
  }
  function levelsOf(founds, list) {
    return list.map(function (w, i) {
      var own = founds.some(function (f) { return f.some(function (r) { return r[2] === i && r[3] === 2; }); });
      return own ? 2 : 1;
    });
  }

  // Escaped text with the ranges marked; neighbours separated by spaces join.
  function marked(text, ranges) {
    var out = "", at = 0;
    ranges.forEach(function (r) {
      out += escape(text.slice(at, r[0])) + "<mark>" + escape(text.slice(r[0], r[1])) + "</mark>";
      at = r[1];
    });
    return (out + escape(text.slice(at))).replace(/<\/mark>(\s+)<mark>/g, "$1");
  }

  // A long block is cut to a window around its first match, at spaces.
  var WINDOW = 320;
  function excerpt(text, ranges) {
    if (text.length <= WINDOW + 40) return marked(text, ranges);
    var start = ranges.length ? Math.max(0, ranges[0][0] - 100) : 0;
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + WINDOW);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    var inside = ranges.filter(function (r) { return r[0] >= start && r[1] <= end; })
      .map(function (r) { return [r[0] - start, r[1] - start]; });
    return (start > 0 ? "\u2026" : "") + marked(text.slice(start, end), inside) + (end < text.length ? "\u2026" : "");
  }

  // The teaser of an entry: the blocks holding the reader's words (at most
  // three), or its first sentence-long block when the words are only in its title.
  function teaser(blocks, found, levels, shown) {
    var html = [];
    for (var i = 0; i < blocks.length && html.length < 3; i++) {
      var ranges = toMark(found[i], levels);
      if (ranges.length) { html.push(excerpt(blocks[i], ranges)); shown.push([blocks[i], ranges]); }
    }
    if (!html.length && blocks.length) {
      // No word in the text (found by its title): the first block that reads
      // as a sentence, not a box's heading («في هذا الفصل»).
      var first = blocks.filter(function (b) { return b.length >= 60; })[0] || blocks[0];
      html.push(excerpt(first, []));
    }
    return html.map(function (h) { return "<p>" + h + "</p>"; }).join("");
  }

  // Title, teaser and, per query word, the forms Material will put in the
  // result's link (?h=, to mark them on the page it opens): the forms the
  // result marked and the entry's own forms from the postings, all words the
  // page writes (never the word as typed, which the page may not hold:
  // «المجتمعي» found through «المجتمع»); false for a word the entry lacks.
  function finish(item, list) {
    var title = meta.docs[item.doc].title, blocks = [];
    if (item.teased) piecesOf(item).forEach(function (n) { blocks.push.apply(blocks, texts[n] || []); });
    var inTitle = matches(title, list), inBlocks = blocks.map(function (b) { return matches(b, list); });
    var levels = levelsOf([inTitle].concat(inBlocks), list), shown = [];
    var titleRanges = toMark(inTitle, levels);
    item.title = marked(title, titleRanges);
    if (item.teased) item.text = teaser(blocks, inBlocks, levels, shown);
    shown.push([title, titleRanges]);
    item.words = list.map(function (w, i) {
      if (!item.hits) return null; // the page's entry as its group's heading only
      if (!item.hits[i]) return false;
      var f, own = item.forms[i] || [];
      shown.forEach(function (s) {
        s[1].forEach(function (r) { if (r[2] === i) f = better(f, r[3], s[0].slice(r[0], r[1]).toLowerCase()); });
      });
      own.slice(1).forEach(function (form) { f = better(f, own[0], form); });
      return f || [0]; // found, but in no form the page shows (the hidden alias)
    });
    delete item.doc; delete item.hits; delete item.teased; delete item.pieces; delete item.forms;
    return item;
  }

  // Material builds every link's ?h= from its own entry's terms (the true
  // ones) and its "Missing" line from the false ones (the words as typed). A
  // section's are its own words; the page's entry, whose link opens and marks
  // the whole page, gets the words of every entry of its group (also when it
  // heads the group only because its sections matched), and misses only the
  // words no entry has.
  function pageTerms(group, list) {
    group.forEach(function (entry) {
      var whole = entry.location === pageOf(entry.location);
      list.forEach(function (w, i) {
        var forms, has = false;
        (whole ? group : [entry]).forEach(function (other) {
          var f = other.words[i];
          if (!f) return;
          has = true;
          f.slice(1).forEach(function (form) { forms = better(forms, f[0], form); });
        });
        (forms || []).slice(1).forEach(function (f) { entry.terms[f] = true; });
        if (!has && !(w.typed in entry.terms)) entry.terms[w.typed] = false;
      });
    });
    group.forEach(function (entry) { delete entry.words; delete entry.heading; });
  }

  var TEASED = 5;

  // The text files of an item's pieces (an entry's pieces are numbered from
  // its firstPiece; it has entry.pieces of them).
  function piecesOf(item) {
    var entry = meta.docs[item.doc];
    return item.pieces.filter(function (p) { return p < entry.pieces; }).map(function (p) { return entry.firstPiece + p; });
  }

  // Queries come at every keystroke; one that a newer query has overtaken
  // while its shards were loading is dropped before its teasers are fetched
  // (Material shows the newest); once fetched, its result is sent anyway.
  var latest = 0, current = 0;
  function stale() { return current !== latest; }

  function search(query) {
    return parse(query).then(function (list) {
      if (!list.length) return { items: [] };
      var groups = [], byPage = Object.create(null);
      function item(d, score, hits, pieces, forms) {
        return { doc: d, hits: hits, pieces: pieces && pieces.length ? pieces : [0], teased: false, forms: forms || [],
          location: meta.docs[d].location, title: "", text: "", score: score, terms: {} };
      }
      rank(list).forEach(function (r) {
        var page = pageOf(meta.docs[r.doc].location);
        if (!byPage[page]) groups.push(byPage[page] = []);
        byPage[page].push(item(r.doc, r.score, r.hits, r.pieces, r.forms));
      });
      // Every group has its page's own entry (Material draws it as the heading).
      groups.forEach(function (group) {
        var page = pageOf(group[0].location);
        if (group.some(function (i) { return i.location === page; })) return;
        for (var d = 0; d < meta.docs.length; d++) {
          if (meta.docs[d].location === page) { var head = item(d, 0, null); head.heading = true; group.push(head); break; }
        }
      });
      // Material gives each group a teaser for its best sections (those
      // scoring as high as the group's first; the page itself when it comes
      // first alone) and lists the others by title under "more on this page".
      // Teasers are loaded for the first TEASED groups, more than a screen
      // holds (two on a phone, four on a desktop); groups further down show
      // their page and section titles only.
      if (stale()) return null;
      var shown = [];
      groups.slice(0, TEASED).forEach(function (group) {
        var top = group[0].score;
        var best = group.filter(function (i) { return i.score >= top && i.location.indexOf("#") >= 0; });
        shown.push.apply(shown, best.length ? best : [group[0]]);
      });
      var need = [];
      shown.forEach(function (i) {
        piecesOf(i).forEach(function (n) { if (!texts[n]) need.push("s/" + n + ".js"); });
      });
      return load(need)
        .then(function () {
          shown.forEach(function (i) { i.teased = true; });
          groups.forEach(function (group) {
            group.forEach(function (i) { finish(i, list); });
            pageTerms(group, list);
          });
          return { items: groups };
        });
    });
  }

  // --- messages ------------------------------------------------------------------

  // Material's worker protocol (guide/search/searchindex.py MESSAGES, written
  // in at build time): setup {config, docs, options, guide: {root, lang}} →
  // ready; query "<text>" → result {items: [[item, ...] per page]}.
  var MESSAGE = /*MESSAGES*/{}/*END*/;

  // Queries are answered in the order they came (the iframe shim's
  // importScripts is asynchronous, so one query could otherwise overtake another).
  var queue = Promise.resolve();
  function handle(message) {
    if (message.type === MESSAGE.setup) {
      // search-lazy.js adds where the site is and which language this is;
      // the index's config (search/search_index.<lang>.json) names its directory.
      var data = message.data || {}, where = data.guide || {}, index = ((data.config || {}).guide || {})[where.lang];
      if (!where.root || !index) return Promise.reject(new Error("no pre-built index for this page"));
      base = where.root + "search/" + index.dir + "/";
      latin = index.analysis || "english";
      version = index.v;
      return load(["meta.js"]).then(function () { return { type: MESSAGE.ready }; });
    }
    if (message.type === MESSAGE.query) {
      if (stale()) return Promise.resolve(null);
      return search(String(message.data || "")).catch(function (err) {
        console.warn("guide search:", err);
        return { items: [] };
      }).then(function (data) { return data && { type: MESSAGE.result, data: data }; });
    }
    return Promise.reject(new TypeError("unknown message type"));
  }

  root.guideSearch = guideSearch;
  // For tests: the two analyses, and the ranking on loaded files.
  root.guideAnalysis = {
    indexKeys: indexKeys, surface: surface, editDistance: editDistance, shardOf: shardOf,
    latin: function (kind) { latin = kind || "english"; },
    queryKey: function (w) { var a = analyse(w); return a ? a.key : ""; },
    queryKeys: function (w) { var a = analyse(w); return a ? [a.key].concat(a.alts) : []; },
    rootKeys: function (w) { var a = analyse(w); return a ? a.roots : []; }
  };

  // A worker, or offline (file://) the iframe that stands in for one
  // (docs/assets/vendor/iframe-worker/frame.js marks it).
  var inWorker = typeof WorkerGlobalScope !== "undefined" || root.guideFrameWorker === true;
  if (inWorker) {
    root.addEventListener("message", function (ev) {
      var seq = ev.data && ev.data.type === MESSAGE.query ? ++latest : latest;
      queue = queue.then(function () { current = seq; return handle(ev.data); }).then(function (reply) {
        if (reply) root.postMessage(reply);
      }, function (err) { console.warn("guide search:", err); });
    });
  }
})(typeof self !== "undefined" ? self : this);
