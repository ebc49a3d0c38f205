/* Autosave for the form page: every 30 s when something changed, when leaving a field, when the
   session countdown ends (sessie.js asks, and waits for this save before the page leaves) and
   on pagehide (navigator.sendBeacon, which the browser delivers after the page has gone). The
   server accepts these last saves for a short while after the idle timeout, so text typed in
   the last seconds is not lost. Without this script the page still works: Opslaan, and a post
   made after the timeout is kept for an hour (accounts/bewaren.py). */
(function () {
  "use strict";
  var form = document.getElementById("formulier");
  if (!form || !window.fetch) { return; }
  var url = form.dataset.autosaveUrl;
  var seconden = parseInt(form.dataset.autosaveSeconden || "30", 10);
  var status = document.getElementById("autosave-status");
  var revisie = form.querySelector("input[name=revisie]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  // What was typed before this script ran (a slow connection, a busy phone) counts as changed:
  // its input events came before the listeners below.
  var gewijzigd = Array.prototype.some.call(form.elements, function (el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return "defaultValue" in el && el.value !== el.defaultValue;
  });
  var lopend = null;
  var gestopt = false;
  // The messages come from the template (gettext), like every other text on the page.
  var uitleg = document.getElementById("bewaar-uitleg");
  if (uitleg && uitleg.dataset.metScript) { uitleg.textContent = uitleg.dataset.metScript; }

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

  function bewaar() {
    if (lopend) { return lopend; }
    if (!gewijzigd || gestopt) { return Promise.resolve(); }
    gewijzigd = false;
    lopend = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      // After the security timeout the server sends the login page as a redirect: do not follow
      // it, say so instead.
      redirect: "manual",
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
    }).then(function () { lopend = null; });
    return lopend;
  }

  function bakenVertrek() {
    // The page is going (reload at the timeout, another link, the tab closed): a fetch may be
    // cut off, a beacon is delivered. Form-encoded, so the CSRF token travels as a field.
    if (!gewijzigd || gestopt || !navigator.sendBeacon) { return; }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("revisie", revisie.value);
    data.append("antwoorden", JSON.stringify(antwoorden()));
    if (navigator.sendBeacon(url, data)) { gewijzigd = false; }
  }

  form.addEventListener("input", function () { gewijzigd = true; });
  form.addEventListener("change", function () { gewijzigd = true; });
  form.addEventListener("focusout", function () { bewaar(); });
  form.addEventListener("submit", function () { gestopt = true; });
  window.setInterval(bewaar, seconden * 1000);
  // sessie.js: the countdown has ended; it waits for this save before the page leaves.
  document.addEventListener("kindkans:sessie-einde", function (event) {
    event.detail.wacht(bewaar());
  });
  window.addEventListener("pagehide", bakenVertrek);
})();
