// A long form post (the whole-class EDEXML import): on submit, show the form's progress line so
// the user sees the work is under way and does not post again. Without this script the page
// simply waits for the answer (a second post is recorded once anyway: accounts.eenmalig).
(function () {
  "use strict";
  document.querySelectorAll("form[data-voortgang]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var regel = form.querySelector(".voortgang");
      if (regel) {
        regel.hidden = false;
      }
      form.querySelectorAll("button[type=submit]").forEach(function (knop) {
        knop.disabled = true;
      });
    });
  });
})();
