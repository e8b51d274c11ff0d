/* Search result counts with the page's number forms and digits.

   Material's translations have only "one" and "other", and print Latin
   digits. Each language has the forms its plural rules name (Intl.PluralRules
   of the page language; see data/ui.yml). Arabic needs four forms (1: نتيجة واحدة, 2: نتيجتان, 3-10: ٣ نتائج,
   11 and up: ١١ نتيجة) and Arabic-Indic digits. The forms come from
   data/ui.yml through overrides/partials/search-counts.html; this rewrites
   the count line and each "more on this page" line whenever Material
   writes one with a number in it. */
(function () {
  var forms = document.getElementById("guide-search-counts");
  if (!forms || !window.MutationObserver) return;
  // The page language's digits (mkdocs.yml: the language's `digits`).
  var arabic = forms.getAttribute("data-digits") === "arabic-indic";

  // The page language's plural category (CLDR, through Intl) names the
  // form: one, two, few, or many for any other (zero, many, other).
  var plural = null;
  try {
    plural = new Intl.PluralRules(forms.getAttribute("data-lang") || undefined);
  } catch (e) {}

  function form(n) {
    var category = plural ? plural.select(n) : (n === 1 ? "one" : "other");
    return category === "one" || category === "two" || category === "few" ? category : "many";
  }

  function digits(n) {
    var text = String(n);
    return arabic ? text.replace(/[0-9]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩"[d]; }) : text;
  }

  // The count Material wrote, or null when the line has no Latin number.
  function count(text) {
    var match = /[0-9][0-9,.]*/.exec(text);
    return match ? parseInt(match[0].replace(/[,.]/g, ""), 10) : null;
  }

  function rewrite(el, kind) {
    var n = count(el.textContent);
    if (n === null) return;
    var template = forms.getAttribute("data-" + kind + "-" + form(n));
    var text = template && template.replace("{n}", digits(n));
    // Only on change: English lines keep their digits and must not re-trigger.
    if (text && text !== el.textContent) el.textContent = text;
  }

  function update(root) {
    var meta = root.querySelector(".md-search-result__meta");
    if (meta) rewrite(meta, "count");
    var more = root.querySelectorAll(".md-search-result__more > summary > div");
    for (var i = 0; i < more.length; i++) rewrite(more[i], "more");
  }

  var result = document.querySelector(".md-search-result");
  if (!result) return;
  new MutationObserver(function () {
    update(result);
  }).observe(result, { childList: true, subtree: true, characterData: true });
  // Loaded when search opens (partials/search-counts.html): rewrite any
  // count already written.
  update(result);
})();
