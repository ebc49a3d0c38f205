/* Warns a few minutes before the automatic logout and offers "Blijf ingelogd".
 * The server decides: when the time is up, the page asks /sessie/status/ how long is left (another
 * tab may have kept the session alive) and reloads only when nothing is; the reload then lands on
 * the login page, which returns here after logging in. */
(function () {
  "use strict";
  var box = document.getElementById("sessie-waarschuwing");
  if (!box || !window.fetch) { return; }
  var form = box.querySelector("form");
  var teller = box.querySelector("[data-sessie-teller]");
  var waarschuwing = parseInt(box.dataset.waarschuwing, 10);
  var statusUrl = box.dataset.statusUrl;
  var timer = null;
  var einde = 0;

  function mmss(s) {
    s = Math.max(0, Math.round(s));
    var m = Math.floor(s / 60), r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function opEinde() {
    // Pages with unsaved input (the form's autosave) save it now, before the page may leave;
    // wait for them, at most a few seconds.
    var wachten = [];
    document.dispatchEvent(new CustomEvent("kindkans:sessie-einde", {
      detail: { wacht: function (belofte) { wachten.push(belofte); } }
    }));
    if (!wachten.length) { vraag(); return; }
    var uiterlijk = new Promise(function (klaar) { setTimeout(klaar, 5000); });
    Promise.race([Promise.all(wachten), uiterlijk]).then(vraag, vraag);
  }

  function tik() {
    var rest = (einde - Date.now()) / 1000;
    if (rest <= 0) { opEinde(); return; }
    if (rest <= waarschuwing) {
      box.hidden = false;
      teller.textContent = mmss(rest);
      timer = setTimeout(tik, 1000);
    } else {
      box.hidden = true;
      timer = setTimeout(tik, (rest - waarschuwing) * 1000);
    }
  }

  function plan(resterend) {
    clearTimeout(timer);
    if (resterend <= 0) { window.location.reload(); return; }
    einde = Date.now() + resterend * 1000;
    tik();
  }

  function vraag() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) { plan(d.resterend); })
      .catch(function () { window.location.reload(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (r) { return r.json(); })
      .then(function (d) { box.hidden = true; plan(d.resterend); })
      .catch(function () { form.submit(); });
  });

  plan(parseInt(box.dataset.resterend, 10));
})();
