/* The home page's filter: by status, group and monitoring unit, and a search by id or name.
   Without scripts the form stays hidden and the whole list shows. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var list = document.getElementById("list");
  var shown = document.getElementById("shown");
  if (!form || !list || !document.querySelectorAll) { return; }
  var rows = Array.prototype.slice.call(list.tBodies[0].rows);
  var controls = form.querySelectorAll("[data-filter]");
  // The same folding as plan57.output.site.search_key: lower case, no diacritics, đ as d.
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function value(name) {
    var control = form.querySelector('[data-filter="' + name + '"]');
    return control ? control.value : "";
  }
  function apply() {
    var status = value("status"), group = value("group"), monitor = value("monitor");
    var words = fold(value("search")).split(/\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var ok = (!status || d.status === status) && (!group || d.group === group) &&
        (!monitor || (" " + d.monitors + " ").indexOf(" " + monitor + " ") >= 0) &&
        words.every(function (w) { return d.key.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = form.getAttribute("data-shown").replace("{shown}", count).replace("{total}", rows.length);
  }
  for (var i = 0; i < controls.length; i++) {
    controls[i].addEventListener("input", apply);
    controls[i].addEventListener("change", apply);
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
}());
