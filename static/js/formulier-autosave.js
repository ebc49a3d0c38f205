/* Autosave for the form page: every 30 s when something changed, and when leaving a field.
   The page works without this script (the school then uses Opslaan). The draft goes to the
   server, so the security timeout never loses more than those seconds. */
(function () {
  "use strict";
  var form = document.getElementById("formulier");
  if (!form || !window.fetch) { return; }
  var url = form.dataset.autosaveUrl;
  var seconden = parseInt(form.dataset.autosaveSeconden || "30", 10);
  var status = document.getElementById("autosave-status");
  var revisie = form.querySelector("input[name=revisie]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var gewijzigd = false;
  var bezig = false;
  var gestopt = false;
  // The messages come from the template (gettext), like every other text on the page.

  function antwoorden() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "revisie" || el.name === "csrfmiddlewaretoken" || el.disabled) { return; }
      if (el.type === "checkbox") {
        if (!(el.name in data)) { data[el.name] = []; }
        if (el.checked) { data[el.name].push(el.value); }
      } else if (el.type === "radio") {
        if (el.checked) { data[el.name] = el.value; }
      } else if (el.value !== "") {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function meld(tekst) { if (status) { status.textContent = tekst; } }

  function bewaar(opVertrek) {
    if (!gewijzigd || bezig || gestopt) { return; }
    bezig = true;
    gewijzigd = false;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      // After the security timeout the server sends the login page as a redirect: do not follow
      // it, say so instead.
      redirect: "manual",
      keepalive: !!opVertrek,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ revisie: parseInt(revisie.value, 10), antwoorden: antwoorden() })
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401) {
        gestopt = true;
        gewijzigd = true;
        meld(form.dataset.meldingAfgemeld);
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          revisie.value = body.revisie;
        } else {
          gewijzigd = true;
          if (response.status === 409 || response.status === 401) { gestopt = true; }
        }
        meld(body.melding || form.dataset.meldingMislukt);
      });
    }).catch(function () {
      gewijzigd = true;
      meld(form.dataset.meldingOffline);
    }).then(function () { bezig = false; });
  }

  form.addEventListener("input", function () { gewijzigd = true; });
  form.addEventListener("change", function () { gewijzigd = true; });
  form.addEventListener("focusout", function () { bewaar(false); });
  form.addEventListener("submit", function () { gestopt = true; });
  window.setInterval(function () { bewaar(false); }, seconden * 1000);
  window.addEventListener("pagehide", function () { bewaar(true); });
})();
