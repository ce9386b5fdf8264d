// On a phone the staff menu's dozen links, and a staff list's filters, would fill the first screen:
// each folds behind one button below 40rem. The menu's button names the current page; a filter form
// marked data-fold-on-phone gets a button named as the form is, open when one of its filters is
// set. Without this script (or on a wider screen) both simply stay visible.
(function () {
  "use strict";
  function foldable(toggle) {
    toggle.classList.add("fold-toggle");
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
    });
  }
  function isSet(element) {
    if (element.type === "hidden" || element.type === "submit" || element.tagName === "BUTTON") return false;
    if (element.type === "checkbox" || element.type === "radio") return element.checked;
    return element.value !== "";
  }
  function enhance() {
    var nav = document.querySelector(".staff-nav");
    var menu = nav && nav.querySelector(".staff-nav__toggle");
    if (menu) {
      nav.classList.add("staff-nav--foldable");
      menu.hidden = false;
      foldable(menu);
    }
    var forms = document.querySelectorAll("form[data-fold-on-phone][aria-label]");
    Array.prototype.forEach.call(forms, function (form, index) {
      if (!form.id) form.id = "filters-" + (index + 1);
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "filters__toggle";
      toggle.textContent = form.getAttribute("aria-label");
      toggle.setAttribute("aria-controls", form.id);
      toggle.setAttribute("aria-expanded", String(Array.prototype.some.call(form.elements, isSet)));
      foldable(toggle);
      form.parentNode.insertBefore(toggle, form);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
