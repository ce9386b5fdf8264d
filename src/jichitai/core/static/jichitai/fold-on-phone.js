// On a phone the staff menu's dozen links would wrap over half the first screen: they fold behind
// one button naming the current page. Without this script the links simply stay visible.
(function () {
  "use strict";
  function enhance() {
    var nav = document.querySelector(".staff-nav");
    var toggle = nav && nav.querySelector(".staff-nav__toggle");
    if (!toggle) return;
    nav.classList.add("staff-nav--foldable");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
