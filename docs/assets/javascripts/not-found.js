/* The Arabic "page not found" (/404.html) is what GitHub Pages and `mkdocs
   serve` return for every missing address, English ones included. A reader
   who asked for a missing /en/... page gets the English 404 instead. */
(function () {
  var box = document.querySelector(".guide-not-found");
  var english = document.querySelector("[data-not-found-home=en]");
  if (!box || !english || box.getAttribute("data-lang") === "en") return;
  var home = new URL(english.getAttribute("href"), location.href);
  if (location.pathname.indexOf(home.pathname) === 0 && location.pathname !== home.pathname) {
    location.replace(home.pathname + "404.html");
  }
})();
