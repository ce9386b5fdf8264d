// The inbox without a mouse: a "select all" box for the page's rows, and j / k to move between
// rows, x to tick the current one, Enter to open it. Without JavaScript each row's box still works.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("form[data-inbox]");
    if (!form) return;
    var all = form.querySelector("[data-select-all]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="selected"]'));
    if (all && boxes.length) {
      all.hidden = false;
      var label = form.querySelector("[data-select-all-label]");
      if (label) label.remove();
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
      });
      boxes.forEach(function (box) {
        box.addEventListener("change", function () {
          var ticked = boxes.filter(function (b) { return b.checked; }).length;
          all.checked = ticked === boxes.length;
          all.indeterminate = ticked > 0 && ticked < boxes.length;
        });
      });
    }
    var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-row]"));
    var current = -1;
    function focusRow(index) {
      if (!rows.length) return;
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach(function (row, i) { row.classList.toggle("is-current", i === current); });
      var link = rows[current].querySelector("a");
      if (link) link.focus();
    }
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (target.matches("input:not([type=checkbox]), select, textarea")) return;
      if (event.key === "j") { focusRow(current + 1); event.preventDefault(); }
      else if (event.key === "k") { focusRow(current - 1); event.preventDefault(); }
      else if (event.key === "x" && current >= 0) {
        var box = rows[current].querySelector('input[name="selected"]');
        if (box) { box.click(); }
        event.preventDefault();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
