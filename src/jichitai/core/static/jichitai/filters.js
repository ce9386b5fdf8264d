// On a phone a staff list's filters would fill the first screen before the list: a form marked
// data-fold-on-phone folds behind one button named as the form is, and starts open when one of
// its filters is set. Without this script (or on a wider screen) the filters simply stay visible.
(function () {
  "use strict";
  function isSet(element) {
    if (element.type === "hidden" || element.type === "submit" || element.tagName === "BUTTON") return false;
    if (element.type === "checkbox" || element.type === "radio") return element.checked;
    return element.value !== "";
  }
  function enhance() {
    var forms = document.querySelectorAll("form[data-fold-on-phone][aria-label]");
    Array.prototype.forEach.call(forms, function (form, index) {
      if (!form.id) form.id = "filters-" + (index + 1);
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "filters__toggle";
      toggle.textContent = form.getAttribute("aria-label");
      toggle.setAttribute("aria-controls", form.id);
      toggle.setAttribute("aria-expanded", String(Array.prototype.some.call(form.elements, isSet)));
      toggle.addEventListener("click", function () {
        toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
      });
      form.parentNode.insertBefore(toggle, form);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
