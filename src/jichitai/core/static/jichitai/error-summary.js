// A page that comes back with errors moves the keyboard focus to its error summary, so a screen
// reader reads what went wrong and the links there lead to each field. Every form's summary has
// the class; a page holds at most one form that came back.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusSummary);
  else focusSummary();
})();
