// Recommendation page: poll the build status, swap in the results when ready, and
// send feedback (rate / watchlist / not interested) with fetch. Every form also
// works as a plain POST without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("results");
  if (!box) { return; }
  var statusUrl = box.getAttribute("data-status-url");
  var resultsUrl = box.getAttribute("data-results-url");
  var started = Date.now();

  // "We are picking your movies" flash messages are stale once results are shown.
  function dropProgressMessages() {
    document.querySelectorAll("[data-progress-message]").forEach(function (item) {
      var list = item.parentNode;
      item.remove();
      if (list && !list.children.length) { list.remove(); }
    });
  }

  function loadResults() {
    return fetch(resultsUrl, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    });
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "ready" || data.status === "failed") {
          return loadResults().then(function (html) {
            box.innerHTML = html;
            box.setAttribute("data-status", data.status);
            dropProgressMessages();
            var heading = box.querySelector("h2, h3");
            if (heading) { heading.setAttribute("tabindex", "-1"); }
            pollAvailability();
          });
        }
        schedule();
      })
      .catch(function () { schedule(); });
  }

  function schedule() {
    var elapsed = Date.now() - started;
    if (elapsed > 60000) {
      var note = box.querySelector("[data-slow-note]");
      if (note) { note.hidden = false; }
    }
    if (elapsed > 15 * 60000) { return; }
    setTimeout(poll, elapsed > 60000 ? 5000 : 1000);
  }

  // Cards whose availability is still being looked up: re-read the results until
  // every card has an answer, then swap in the answered cards and the advice.
  var availabilityStarted = 0;
  function pollAvailability() {
    if (!box.querySelector('[data-availability="checking"]')) { return; }
    if (!availabilityStarted) { availabilityStarted = Date.now(); }
    if (Date.now() - availabilityStarted > 3 * 60000) { return; }
    setTimeout(function () {
      loadResults().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        box.querySelectorAll('[data-availability="checking"]').forEach(function (offers) {
          var card = offers.closest("[data-movie-id]");
          var fresh = doc.querySelector('[data-movie-id="' + card.getAttribute("data-movie-id") + '"] [data-availability]');
          if (fresh && fresh.getAttribute("data-availability") !== "checking") {
            offers.replaceWith(fresh);
          }
        });
        var advice = box.querySelector(".advice");
        var freshAdvice = doc.querySelector(".advice");
        if (advice && freshAdvice) { advice.replaceWith(freshAdvice); }
        pollAvailability();
      }).catch(function () { pollAvailability(); });
    }, 1500);
  }

  var state = box.getAttribute("data-status");
  if (state === "pending" || state === "running") { setTimeout(poll, 1000); }
  else { dropProgressMessages(); pollAvailability(); }

  box.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest("[data-feedback]")) { return; }
    event.preventDefault();
    var card = form.closest("[data-movie-id]");
    var movieId = card.getAttribute("data-movie-id");
    var submitter = event.submitter;
    var body = new FormData(form);
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    var action = form.getAttribute("action");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": body.get("csrfmiddlewaretoken") }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { throw new Error(result.data.error || "error"); }
      return loadResults().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector('[data-movie-id="' + movieId + '"]');
        if (!fresh) { return; }
        card.replaceWith(fresh);
        // "Not interested" (and its undo) changes the advice: swap it in too.
        ["[data-advice-summary]", "section.advice"].forEach(function (selector) {
          var now = box.querySelector(selector);
          var next = doc.querySelector(selector);
          if (now && next) { now.replaceWith(next); }
        });
        var status = fresh.querySelector(".feedback-status");
        // A dismissed card already says so next to its Undo button: one line only.
        if (status && !fresh.querySelector("[data-dismissed-line]")) {
          status.textContent = result.data.message;
        }
        var target = null;
        if (submitter) {
          var sameForm = fresh.querySelector('form[action="' + action + '"]');
          if (sameForm) {
            target = sameForm.querySelector('button[value="' + submitter.value + '"]') ||
              sameForm.querySelector("button");
          }
        }
        (target || fresh.querySelector("form button") || fresh.querySelector("a")).focus();
      });
    }).catch(function (error) {
      buttons.forEach(function (b) { b.disabled = false; });
      var status = card.querySelector(".feedback-status");
      if (status) { status.textContent = error.message; }
    });
  });
})();
