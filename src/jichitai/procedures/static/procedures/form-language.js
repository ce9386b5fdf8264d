// The language menu at the top of a form's page sends the page's answers with it (``_action``
// "language:<code>", as the form's own language buttons under its title do), so what was typed
// there is kept. Without JavaScript the menu opens the page in that language; the answers of
// earlier pages are kept either way.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.application-form");
    var menu = document.querySelector("form.language-form[method=get]");
    if (!form || !menu) { return; }
    menu.addEventListener("submit", function (event) {
      var code = new FormData(menu).get("lang");
      if (!code) { return; }
      event.preventDefault();
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "_action";
      action.value = "language:" + code;
      form.appendChild(action);
      form.submit();
    });
  });
})();
