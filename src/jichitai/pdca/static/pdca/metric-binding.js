// The binding form lists every metric's conditions, each under the metric's name; where this script
// runs, only the conditions of the metric chosen are shown (none for 手入力). Hidden fields are still
// sent, and the server keeps only the chosen metric's.
(function () {
  "use strict";
  function enhance() {
    var choice = document.getElementById("id_metric_name");
    if (!choice) return;
    var groups = document.querySelectorAll("form.metric-binding fieldset[data-metric]");
    function show() {
      Array.prototype.forEach.call(groups, function (group) {
        group.hidden = group.getAttribute("data-metric") !== choice.value;
      });
    }
    choice.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
