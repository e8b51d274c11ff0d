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
