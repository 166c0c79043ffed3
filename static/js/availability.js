// Movie page: while the "where to watch" section says "checking", re-read the page
// every 1.5 s and swap in the section once the look-up has answered (3 min at most).
(function () {
  "use strict";
  var started = Date.now();
  function poll() {
    var section = document.getElementById("where");
    if (!section || section.getAttribute("data-availability") !== "checking") { return; }
    if (Date.now() - started > 3 * 60000) { return; }
    setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("where");
          if (fresh && fresh.getAttribute("data-availability") !== "checking") {
            section.replaceWith(fresh);
          }
          poll();
        })
        .catch(poll);
    }, 1500);
  }
  poll();
})();
