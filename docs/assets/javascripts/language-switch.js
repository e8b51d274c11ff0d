// Keep the reader's place when switching language. Heading IDs are identical in
// both languages, so the section anchor of the current page is valid on the
// counterpart page too. Works online and from file:// (no instant navigation).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
  if (!link || !window.location.hash) return;
  event.preventDefault();
  window.location.href = link.href.split("#")[0] + window.location.hash;
});
