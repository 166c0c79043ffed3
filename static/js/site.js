// Small site-wide behaviours; every page works without them.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Profile: show only the chosen region's services.
  var region = document.querySelector("[data-region-select]");
  if (region) {
    var sync = function () {
      document.querySelectorAll("[data-region-group]").forEach(function (group) {
        var off = group.getAttribute("data-region-group") !== region.value;
        group.hidden = off;
        group.querySelectorAll("input").forEach(function (i) { i.disabled = off; });
      });
    };
    region.addEventListener("change", sync);
    sync();
  }
})();
