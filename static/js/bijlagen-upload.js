// Bijlagen toevoegen: a "Soort document" per chosen file. Progressive enhancement: without this
// script the single select applies to all files of the upload (with the server's name rule, see
// bijlagen.forms.documentsoorten_bepalen); with it, every chosen file is listed with its own
// select, preselected from its name, and posted as "documentsoort_bestand" (one per file, in the
// order of the files). The keyword table is the server's (bijlagen.names.DOCUMENTSOORT_TREFWOORDEN,
// passed as JSON in #documentsoort-trefwoorden); `raden` below is documentsoort_raden's rule.
(function () {
  "use strict";
  var invoer = document.getElementById("id_bestanden");
  var enkel = document.getElementById("id_documentsoort");
  var lijst = document.getElementById("soort-per-bestand");
  var tabelEl = document.getElementById("documentsoort-trefwoorden");
  var voorAlle = document.getElementById("soort-voor-alle");
  if (!invoer || !enkel || !lijst || !tabelEl || !voorAlle) {
    return;
  }
  var tabel = JSON.parse(tabelEl.textContent); // [[soort, [trefwoord, ...]], ...]
  var ul = lijst.querySelector("ul");
  var antwoord = document.getElementById("id_beantwoordt_vragen");

  // The words of a name are its runs of a-z and 0-9 (lowercased, extension dropped); the first
  // kind in the table with a keyword that begins a word wins. Same as the server.
  function raden(naam) {
    var delen = naam.split(/[\/\\]/);
    var basis = delen[delen.length - 1];
    var punt = basis.lastIndexOf(".");
    var stam = (punt > 0 ? basis.slice(0, punt) : basis).toLowerCase();
    var woorden = stam.split(/[^a-z0-9]+/).filter(function (w) {
      return w !== "";
    });
    for (var i = 0; i < tabel.length; i++) {
      var trefwoorden = tabel[i][1];
      for (var j = 0; j < woorden.length; j++) {
        for (var k = 0; k < trefwoorden.length; k++) {
          if (woorden[j].indexOf(trefwoorden[k]) === 0) {
            return tabel[i][0];
          }
        }
      }
    }
    return null;
  }

  function vergrendel() {
    // A checked "beantwoording van de gestelde vragen" box makes every file that kind anyway.
    var uit = !!(antwoord && antwoord.checked);
    ul.querySelectorAll("select").forEach(function (s) {
      s.disabled = uit;
    });
  }

  function toon() {
    ul.textContent = "";
    var bestanden = invoer.files || [];
    for (var i = 0; i < bestanden.length; i++) {
      var naam = bestanden[i].name;
      var li = document.createElement("li");
      li.className = "veld";
      var label = document.createElement("label");
      label.htmlFor = "soort-bestand-" + i;
      label.textContent = lijst.getAttribute("data-label") + " " + naam;
      var select = document.createElement("select");
      select.name = "documentsoort_bestand";
      select.id = "soort-bestand-" + i;
      for (var j = 0; j < enkel.options.length; j++) {
        var o = enkel.options[j];
        select.appendChild(new Option(o.text, o.value));
      }
      select.value = raden(naam) || enkel.value;
      li.appendChild(label);
      li.appendChild(select);
      ul.appendChild(li);
    }
    // With files chosen, their own selects replace the one for all (it is still posted; the
    // server uses the per-file kinds when they are there).
    lijst.hidden = bestanden.length === 0;
    voorAlle.hidden = bestanden.length > 0;
    vergrendel();
  }

  invoer.addEventListener("change", toon);
  if (antwoord) {
    antwoord.addEventListener("change", vergrendel);
  }
  toon();
})();
