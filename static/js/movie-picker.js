// Survey step 3: search movies as you type (REST API) and keep picks as chips.
// Without JavaScript the form still works: the Search button and the add/remove
// buttons post to the server, which keeps the picks in the session.
(function () {
  "use strict";
  var form = document.getElementById("movies-form");
  if (!form) { return; }
  var input = document.getElementById("movie-search");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var chips = document.getElementById("chips");
  var empty = document.getElementById("chips-empty");
  var counter = document.getElementById("chosen-count");
  var searchUrl = form.getAttribute("data-search-url");
  var minimum = parseInt(form.getAttribute("data-min"), 10) || 10;
  var timer = null;
  var controller = null;
  var active = -1;
  var results = [];
  var HANGUL = /[\uac00-\ud7a3\u3131-\u318e]/;
  // Picks made here live only in the page until the form is posted; keep a copy in
  // sessionStorage so Back/Forward and reloads do not lose them.
  var draftKey = "ottsite:picks:" + (form.getAttribute("data-draft-key") || "");

  var korean = (document.documentElement.lang || "").indexOf("ko") === 0;

  function saveDraft() {
    try {
      var picks = Array.prototype.map.call(chips.querySelectorAll(".chip"), function (chip) {
        return {
          id: chip.getAttribute("data-id"),
          title: chip.getAttribute("data-title") || "",
          title_ko: chip.getAttribute("data-title-ko") || "",
          year: chip.getAttribute("data-year") || "",
          facts: chip.getAttribute("data-facts") || ""
        };
      });
      sessionStorage.setItem(draftKey, JSON.stringify(picks));
    } catch (e) { /* storage may be disabled: the server draft still works */ }
  }

  // "Series · 3 seasons" in the page's language (films: nothing, as on the server).
  function seriesFacts(movie) {
    if (movie.kind !== "series") { return ""; }
    var label = form.getAttribute("data-series");
    if (!movie.seasons) { return label; }
    var seasons = movie.seasons === 1 ? form.getAttribute("data-season-one")
      : form.getAttribute("data-seasons").replace("__N__", movie.seasons);
    return label + " · " + seasons;
  }

  // The title as catalog/_title.html shows it: the Korean one first on Korean pages.
  function appendTitle(parent, movie) {
    if (korean && movie.title_ko) {
      var ko = document.createElement("span");
      ko.lang = "ko"; ko.textContent = movie.title_ko;
      var en = document.createElement("span");
      en.lang = "en"; en.className = "original-title"; en.textContent = movie.title;
      parent.appendChild(ko);
      parent.appendChild(document.createTextNode(" "));
      parent.appendChild(en);
    } else {
      parent.appendChild(document.createTextNode(movie.title));
    }
  }

  function restoreDraft() {
    var picks;
    try { picks = JSON.parse(sessionStorage.getItem(draftKey)); } catch (e) { picks = null; }
    if (!Array.isArray(picks)) { return; }
    // The stored copy is newer than the server's draft (it is dropped on every post).
    var kept = picks.map(function (m) { return String(m && m.id); });
    chips.querySelectorAll(".chip").forEach(function (chip) {
      if (kept.indexOf(chip.getAttribute("data-id")) === -1) { chip.remove(); }
    });
    picks.forEach(function (movie) {
      if (movie && /^\d+$/.test(String(movie.id))) { addChip(movie); }
    });
  }

  form.querySelectorAll("[data-js-hide]").forEach(function (el) { el.hidden = true; });

  // Visible feedback under the box (no results, too long); screen readers hear it too.
  function say(text) {
    status.textContent = text;
    status.classList.toggle("visually-hidden", !text);
  }

  function chosenIds() {
    return Array.prototype.map.call(
      chips.querySelectorAll("input[name=movie]"), function (i) { return i.value; });
  }

  function updateCounter() {
    var n = chosenIds().length;
    counter.textContent = form.getAttribute("data-counter").replace("__GOT__", n);
    counter.classList.toggle("enough", n >= minimum);
    empty.hidden = n > 0;
  }

  function addChip(movie) {
    var id = String(movie.id);
    if (chosenIds().indexOf(id) !== -1) { return; }
    var li = document.createElement("li");
    li.className = "chip";
    li.setAttribute("data-id", id);
    li.setAttribute("data-title", movie.title || "");
    li.setAttribute("data-title-ko", movie.title_ko || "");
    li.setAttribute("data-year", movie.year || "");
    li.setAttribute("data-facts", movie.facts || "");
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "movie"; hidden.value = id;
    var label = document.createElement("span");
    label.className = "chip-label";
    appendTitle(label, movie);
    if (movie.year) {
      var year = document.createElement("span");
      year.className = "chip-year"; year.textContent = movie.year;
      label.appendChild(document.createTextNode(" "));
      label.appendChild(year);
    }
    if (movie.facts) {
      var facts = document.createElement("span");
      facts.className = "chip-year"; facts.textContent = "· " + movie.facts;
      label.appendChild(document.createTextNode(" "));
      label.appendChild(facts);
    }
    var remove = document.createElement("button");
    remove.type = "submit"; remove.name = "remove"; remove.value = id;
    remove.className = "chip-remove"; remove.textContent = "×";
    remove.setAttribute("aria-label", form.getAttribute("data-remove-label") + " " + movie.title);
    li.appendChild(hidden); li.appendChild(label); li.appendChild(remove);
    chips.appendChild(li);
    updateCounter();
    saveDraft();
  }

  chips.addEventListener("click", function (event) {
    var button = event.target.closest(".chip-remove");
    if (!button) { return; }
    event.preventDefault();
    var chip = button.closest(".chip");
    var next = chip.nextElementSibling || chip.previousElementSibling;
    chip.remove();
    updateCounter();
    saveDraft();
    (next ? next.querySelector(".chip-remove") : input).focus();
  });

  function closeList() {
    list.hidden = true;
    list.removeAttribute("role");
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    results = [];
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    active = (index + options.length) % options.length;
    options.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function choose(index) {
    var movie = results[index];
    if (!movie) { return; }
    addChip(movie);
    input.value = "";
    closeList();
    input.focus();
  }

  function render(items) {
    var taken = chosenIds();
    results = items.filter(function (m) { return taken.indexOf(String(m.id)) === -1; });
    list.innerHTML = "";
    active = -1;
    if (!results.length) {
      // Only options may sit in a listbox: say it below instead.
      closeList();
      // A Korean title nothing matched: the English title always works.
      say(form.getAttribute(HANGUL.test(input.value) ? "data-no-results-korean" : "data-no-results"));
      return;
    }
    results.forEach(function (movie, i) {
      var li = document.createElement("li");
      li.id = "search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "option";
      appendTitle(li, movie);
      if (movie.year) {
        var year = document.createElement("span");
        year.className = "muted"; year.textContent = "(" + movie.year + ")";
        li.appendChild(document.createTextNode(" "));
        li.appendChild(year);
      }
      if (movie.facts) {
        var facts = document.createElement("span");
        facts.className = "title-facts"; facts.textContent = movie.facts;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(facts);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function () { choose(i); });
      list.appendChild(li);
    });
    list.setAttribute("role", "listbox");
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    say("");
  }

  function search(query) {
    if (controller) { controller.abort(); }
    controller = new AbortController();
    var url = searchUrl + "?" + new URLSearchParams({ search: query, page_size: "10" });
    fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: controller.signal
    }).then(function (response) {
      if (response.status === 400) {
        return response.json().then(function (data) { return { tooLong: data.detail }; });
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      if (input.value.trim() !== query) { return; }
      if (data.tooLong) { closeList(); say(data.tooLong); return; }
      render((data.results || []).map(function (m) {
        return {
          id: m.id, title: m.display_title || m.title, title_ko: m.title_ko || "",
          year: m.year, facts: seriesFacts(m)
        };
      }));
    }).catch(function (error) {
      if (error.name === "AbortError") { return; }
      say(form.getAttribute("data-search-error"));
      // Fall back to the server-side search form.
      form.querySelectorAll("[data-js-hide]").forEach(function (el) { el.hidden = false; });
    });
  }

  var maxLength = parseInt(input.getAttribute("maxlength"), 10) || 100;

  function onInput() {
    var query = input.value.trim();
    clearTimeout(timer);
    if (query.length < 2) { closeList(); return; }
    // maxlength stops typing, not every paste or script: say so instead of searching.
    if (query.length > maxLength) {
      closeList();
      say(form.getAttribute("data-too-long"));
      return;
    }
    timer = setTimeout(function () { search(query); }, 200);
  }
  input.addEventListener("input", onInput);

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { closeList(); }
    else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && results.length) { choose(active >= 0 ? active : 0); }
    }
  });

  input.addEventListener("blur", function () { setTimeout(closeList, 150); });
  // Posting hands the picks to the server's draft, which then owns them.
  form.addEventListener("submit", function () {
    try { sessionStorage.removeItem(draftKey); } catch (e) { /* ignore */ }
  });
  restoreDraft();
  updateCounter();
  // The script is deferred: whatever was typed before it ran still gets searched.
  if (input.value.trim().length >= 2 && document.activeElement === input) { onInput(); }
  input.dataset.ready = "true";
})();
