/* Sorting by status. Without scripts the tables keep the catalogue's order and the button stays hidden. */
(function () {
  "use strict";
  var button = document.getElementById("sort");
  if (!button || !document.querySelectorAll) { return; }
  var byStatus = false;
  function apply() {
    var bodies = document.querySelectorAll("table.scores tbody");
    for (var b = 0; b < bodies.length; b++) {
      var rows = Array.prototype.slice.call(bodies[b].rows);
      rows.sort(function (x, y) {
        var rank = byStatus ? Number(x.getAttribute("data-rank")) - Number(y.getAttribute("data-rank")) : 0;
        return rank || Number(x.getAttribute("data-order")) - Number(y.getAttribute("data-order"));
      });
      for (var r = 0; r < rows.length; r++) { bodies[b].appendChild(rows[r]); }
    }
    button.setAttribute("aria-pressed", byStatus ? "true" : "false");
    var heads = document.querySelectorAll("th.status-col");
    for (var h = 0; h < heads.length; h++) { heads[h].setAttribute("aria-sort", byStatus ? "ascending" : "none"); }
  }
  function toggle() { byStatus = !byStatus; apply(); }
  button.hidden = false;
  // The hint names the clickable header, which exists only once this script has run.
  var hints = document.querySelectorAll(".sort-hint");
  for (var k = 0; k < hints.length; k++) { hints[k].hidden = false; }
  button.addEventListener("click", toggle);
  var headers = document.querySelectorAll("th.status-col");
  for (var i = 0; i < headers.length; i++) {
    headers[i].addEventListener("click", toggle);
    headers[i].classList.add("clickable");
  }
}());
