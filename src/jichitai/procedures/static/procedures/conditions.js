// Hides questions whose "show if" condition is not met, as the person answers. Without
// JavaScript every question stays visible with its condition written out, and the server ignores
// the answers to questions whose condition is not met.
(function () {
  "use strict";

  function selectedValues(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function update(form) {
    form.querySelectorAll("[data-show-if-field]").forEach(function (question) {
      var wanted = question.getAttribute("data-show-if-values").split("|");
      var chosen = selectedValues(form, question.getAttribute("data-show-if-field"));
      var visible = chosen.some(function (value) { return wanted.indexOf(value) !== -1; });
      question.hidden = !visible;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      // A repeating group's row added in the page (repeats.js) may bring conditions of its
      // own, which its <template> holds out of reach of querySelector until then.
      var rowsWithConditions = Array.prototype.some.call(
        form.querySelectorAll("template[data-repeat-template]"),
        function (template) { return template.content.querySelector("[data-show-if-field]"); }
      );
      if (!form.querySelector("[data-show-if-field]") && !rowsWithConditions) {
        return;
      }
      update(form);
      form.addEventListener("change", function () { update(form); });
      form.addEventListener("jichitai:repeat-rows", function () { update(form); });
    });
  });
}());
