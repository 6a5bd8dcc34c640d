// The dashboard's sort and filter: the only script on the site, allowed by its hash in the index page's CSP.
// It never creates HTML from text: it reads data-* attributes and moves or hides existing rows.
(function () {
  "use strict";
  var table = document.getElementById("grades");
  if (!table) { return; }
  var body = table.tBodies[0];
  var headers = table.tHead.rows[table.tHead.rows.length - 1].cells;  // under the assignment row
  var filter = document.getElementById("filter");
  var show = document.getElementById("show");
  var count = document.getElementById("shown-count");

  function key(row, column, numeric) {
    var value = row.cells[column].getAttribute("data-sort") || "";
    if (!numeric) { return value.toLowerCase(); }
    var n = parseFloat(value);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(column) {
    var header = headers[column];
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, column, numeric), y = key(b, column, numeric);
      if (x < y) { return ascending ? -1 : 1; }
      if (x > y) { return ascending ? 1 : -1; }
      return key(a, 0, false) < key(b, 0, false) ? -1 : 1;
    });
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function applyFilter() {
    var text = filter.value.trim().toLowerCase();
    var flag = show.value;
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var who = (row.getAttribute("data-student") || "") + " " + (row.getAttribute("data-name") || "");
      var matches = (!text || who.toLowerCase().indexOf(text) !== -1) &&
        (!flag || (" " + (row.getAttribute("data-flags") || "") + " ").indexOf(" " + flag + " ") !== -1);
      row.hidden = !matches;
      shown += matches ? 1 : 0;
    });
    count.textContent = String(shown);
  }

  Array.prototype.forEach.call(headers, function (header, column) {
    var button = header.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(column); }); }
  });
  filter.addEventListener("input", applyFilter);
  show.addEventListener("change", applyFilter);
  document.getElementById("controls").hidden = false;
  applyFilter();
}());
