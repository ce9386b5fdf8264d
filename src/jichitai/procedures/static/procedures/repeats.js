// Adds and removes the rows of a repeating group in place. Without JavaScript the 追加 and 削除
// buttons submit the form and the server sends the page back with one row more or less, keeping
// what was typed; here a row is copied from the group's <template> (its "__index__" replaced by an
// index no row uses) and rows are renumbered, so the server reads them in the order shown. The
// row's name (「子ども 2 人目」, "Filhos n.º 2") keeps its words, only its number changes.
(function () {
  "use strict";

  function rows(group) {
    return group.querySelector("[data-repeat-rows]").querySelectorAll(":scope > [data-repeat-row]");
  }

  function refresh(group) {
    var current = rows(group);
    var min = parseInt(group.getAttribute("data-repeat-min"), 10);
    var max = parseInt(group.getAttribute("data-repeat-max"), 10);
    current.forEach(function (row, position) {
      row.querySelectorAll("[data-row-number]").forEach(function (number) {
        number.textContent = String(position + 1);
      });
      row.querySelector("[data-repeat-remove]").disabled = current.length <= min;
    });
    group.querySelector("[data-repeat-add]").disabled = current.length >= max;
    // conditions.js hides the new row's questions whose condition is not met yet.
    group.dispatchEvent(new CustomEvent("jichitai:repeat-rows", { bubbles: true }));
  }

  function nextIndex(group) {
    var next = 0;
    group.querySelectorAll('input[type="hidden"][name="' + group.getAttribute("data-repeat") + '.row"]').forEach(function (input) {
      next = Math.max(next, parseInt(input.value, 10) + 1);
    });
    return next;
  }

  function add(group) {
    var template = group.querySelector("[data-repeat-template]");
    var html = template.innerHTML.split("__index__").join(String(nextIndex(group)));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.querySelector("[data-repeat-row]");
    group.querySelector("[data-repeat-rows]").appendChild(row);
    refresh(group);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-repeat-add], [data-repeat-remove]");
    if (!button) {
      return;
    }
    var group = button.closest("[data-repeat]");
    event.preventDefault();
    if (button.hasAttribute("data-repeat-add")) {
      add(group);
      return;
    }
    button.closest("[data-repeat-row]").remove();
    refresh(group);
    group.querySelector("[data-repeat-add]").focus();
  });
}());
