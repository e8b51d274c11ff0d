/* The default language's "page not found" (/404.html) is what GitHub Pages
   and `mkdocs serve` return for every missing address, other languages' ones
   included. A reader who asked for a missing /en/... page gets that
   language's 404 instead (the page links each other language's home). */
(function () {
  var box = document.querySelector(".guide-not-found");
  if (!box || box.getAttribute("data-lang") !== box.getAttribute("data-default-lang")) return;
  var homes = document.querySelectorAll("[data-not-found-home]");
  for (var i = 0; i < homes.length; i++) {
    var home = new URL(homes[i].getAttribute("href"), location.href);
    if (location.pathname.indexOf(home.pathname) === 0 && location.pathname !== home.pathname) {
      location.replace(home.pathname + "404.html");
      return;
    }
  }
})();
