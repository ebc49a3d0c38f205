// Hulpvragen: search, sort and page without reloading the page. Progressive enhancement: every
// link and the search form work without this script; with it, the same URL is fetched with the
// header "HX-Request: true" (htmx's convention), the server answers only the results, and they
// replace #resultaten in place. The address bar follows, so reload and back keep working.
(function () {
  "use strict";
  var doel = document.getElementById("resultaten");
  if (!doel || !window.fetch || !window.history || !window.URLSearchParams) {
    return;
  }

  function laad(url, vastleggen) {
    doel.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (antwoord) {
        if (!antwoord.ok || antwoord.redirected) {
          throw new Error("volledige pagina nodig");
        }
        return antwoord.text();
      })
      .then(function (html) {
        doel.innerHTML = html;
        doel.removeAttribute("aria-busy");
        if (vastleggen) {
          window.history.pushState({ hulpvragen: true }, "", url);
        }
      })
      .catch(function () {
        window.location.assign(url);
      });
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("#resultaten thead a, #resultaten .paginering a") : null;
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    laad(a.href, true);
  });

  var zoek = document.querySelector("form.zoeken");
  if (zoek) {
    zoek.addEventListener("submit", function (e) {
      e.preventDefault();
      var params = new URLSearchParams(new FormData(zoek));
      laad(zoek.action + "?" + params.toString(), true);
    });
  }

  window.addEventListener("popstate", function () {
    laad(window.location.href, false);
  });
})();
