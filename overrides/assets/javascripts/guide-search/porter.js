/* Porter's English stemmer, giving exactly what lunr.js 2.3.9's lunr.stemmer
   gives: the same steps as guide/search/porter.py, which stems the index at
   build time, with the tables of guide/search/analysis.json
   (tests/test_porter.py holds the three together). Where lunr
   differs from the 1980 paper is noted in porter.py. Defines self.guidePorter. */
(function () {
  var root = typeof self !== "undefined" ? self : this;
  var VOWELS = "aeiou";
  // The steps' tables: guide/search/analysis.json ("english" → "porter"),
  // written in at build time (guide/search/searchindex.py).
  var P = (/*TABLES*/{"english":{"porter":{"step2":{},"step3":{},"step4":[]}}}/*END*/).english.porter;
  var STEP2 = P.step2, STEP3 = P.step3, STEP4 = P.step4;

  function isVowel(ch) { return ch !== "" && VOWELS.indexOf(ch) >= 0; }

  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }

  /* "v"/"c" per character; y is a vowel after a consonant only. */
  function kinds(s) {
    var out = "", i, ch;
    for (i = 0; i < s.length; i++) {
      ch = s.charAt(i);
      out += isVowel(ch) || (ch === "y" && i > 0 && out.charAt(i - 1) === "c") ? "v" : "c";
    }
    return out;
  }

  /* Porter's m: vowel-run + consonant-run pairs. */
  function measure(s) {
    var k = kinds(s), m = 0, i;
    for (i = 1; i < k.length; i++) if (k.charAt(i - 1) === "v" && k.charAt(i) === "c") m++;
    return m;
  }

  /* m = 1 and ends consonant-vowel-consonant, the last not w, x or y. */
  function shortCvc(s) {
    var k = kinds(s);
    return s.length >= 3 && ends(k, "cvc") && k.slice(0, -3).indexOf("v") < 0 &&
      "wxy".indexOf(s.charAt(s.length - 1)) < 0;
  }

  /* The longest suffix w ends with, leaving at least one letter. */
  function longest(w, suffixes) {
    var best = "", i, s;
    for (i = 0; i < suffixes.length; i++) {
      s = suffixes[i];
      if (w.length > s.length && ends(w, s) && s.length > best.length) best = s;
    }
    return best;
  }

  function keys(o) { var k = [], p; for (p in o) if (o.hasOwnProperty(p)) k.push(p); return k; }
  var TABLES = [[STEP2, keys(STEP2)], [STEP3, keys(STEP3)]];

  function step1(w) {
    var suffix;
    if ((w.length > 4 && ends(w, "sses")) || (w.length > 3 && ends(w, "ies"))) w = w.slice(0, -2);
    else if (w.length > 2 && ends(w, "s") && w.charAt(w.length - 2) !== "s") w = w.slice(0, -1);
    if (w.length > 3 && ends(w, "eed")) {
      if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
    } else {
      suffix = w.length > 3 && ends(w, "ing") ? "ing" : w.length > 2 && ends(w, "ed") ? "ed" : "";
      if (suffix && kinds(w.slice(0, -suffix.length)).indexOf("v") >= 0) {
        w = w.slice(0, -suffix.length);
        if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) w += "e";
        else if (w.length > 1 && w.charAt(w.length - 1) === w.charAt(w.length - 2) &&
                 "aeiouylsz".indexOf(w.charAt(w.length - 1)) < 0) w = w.slice(0, -1);
        else if (shortCvc(w)) w += "e";
      }
    }
    if (w.length > 2 && ends(w, "y") && !isVowel(w.charAt(w.length - 2))) w = w.slice(0, -1) + "i";
    return w;
  }

  root.guidePorter = function (word) {
    var w, i, table, suffix, m;
    if (word.length < 3) return word;
    w = step1(word);
    for (i = 0; i < TABLES.length; i++) {
      table = TABLES[i];
      suffix = longest(w, table[1]);
      if (suffix && measure(w.slice(0, -suffix.length)) > 0) w = w.slice(0, -suffix.length) + table[0][suffix];
    }
    suffix = longest(w, STEP4);
    if (suffix) {
      if (measure(w.slice(0, -suffix.length)) > 1) w = w.slice(0, -suffix.length);
    } else if (w.length > 4 && (ends(w, "sion") || ends(w, "tion")) && measure(w.slice(0, -3)) > 1) {
      w = w.slice(0, -3);
    }
    if (w.length > 1 && ends(w, "e")) {
      m = measure(w.slice(0, -1));
      if (m > 1 || (m === 1 && !shortCvc(w.slice(0, -1)))) w = w.slice(0, -1);
    }
    if (ends(w, "ll") && measure(w) > 1) w = w.slice(0, -1);
    return w;
  };
})();
