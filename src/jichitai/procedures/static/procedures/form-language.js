// A language chosen on a form's page, from the links under its title or the menu at the top,
// sends the page's answers with it (``_action`` "language:<code>"), so what was typed there is kept.
// Without JavaScript the links and the menu open the page in that language; the answers of
// earlier pages are kept either way.
(function () {
  "use strict";

  function switchTo(form, code, event) {
    if (!code) { return; }
    event.preventDefault();
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "_action";
    action.value = "language:" + code;
    form.appendChild(action);
    form.submit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.application-form");
    if (!form) { return; }
    document.querySelectorAll(".form-languages a[hreflang]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        switchTo(form, new URL(link.href).searchParams.get("lang"), event);
      });
    });
    var menu = document.querySelector("form.language-form[method=get]");
    if (menu) {
      menu.addEventListener("submit", function (event) {
        switchTo(form, new FormData(menu).get("lang"), event);
      });
    }
  });
})();
