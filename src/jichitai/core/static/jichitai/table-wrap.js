// A table wider than the screen scrolls sideways inside its .table-wrap. Whenever it does, the wrap
// becomes a named region that takes keyboard focus, so the arrow keys can scroll it (Safari does
// not focus scrollers by itself); a table that fits is left alone, with no extra tab stop.
// A list (.stacked-table) has each cell, its totals too, labelled with its column's heading first;
// on a phone the stylesheet then shows each row as a block of labelled lines, whose last column
// stays in view.
(function () {
  "use strict";
  function label(table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.colSpan === 1 && headings[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headings[column]);
        }
        column += cell.colSpan;
      });
    });
    table.setAttribute("data-labelled", "");
  }
  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) return node.textContent.trim();
    }
    var section = wrap.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }
  function update() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-labelledby")) wrap.setAttribute("aria-label", nameOf(wrap));
      } else if (!wrap.hasAttribute("aria-labelledby")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  function start() {
    document.querySelectorAll("table.stacked-table").forEach(label);
    update();
    window.addEventListener("resize", update);
    document.body.addEventListener("htmx:afterSettle", update);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
