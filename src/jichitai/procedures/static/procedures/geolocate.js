// Offers a 「現在地を入力」 button next to each 位置情報 question when the browser can tell where it
// is; it fills the latitude and longitude inputs, which the person can still correct. Without
// JavaScript (or without permission) the two numbers are typed as they are.
(function () {
  "use strict";

  function locate(holder) {
    var name = holder.getAttribute("data-geolocate");
    var status = holder.querySelector("[role=status]");
    status.textContent = holder.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("field-" + name + "-latitude").value =
          position.coords.latitude.toFixed(6);
        document.getElementById("field-" + name + "-longitude").value =
          position.coords.longitude.toFixed(6);
        status.textContent = "";
      },
      function () { status.textContent = holder.getAttribute("data-failed"); },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  }

  // Revealed on every holder in the page, again when repeats.js adds a row from its <template>
  // (which querySelectorAll does not see into), and one click handler serves every row.
  function reveal() {
    document.querySelectorAll("[data-geolocate][hidden]").forEach(function (holder) {
      holder.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!("geolocation" in navigator)) {
      return;
    }
    reveal();
    document.addEventListener("jichitai:repeat-rows", reveal);
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-geolocate] button");
      if (button) {
        locate(button.closest("[data-geolocate]"));
      }
    });
  });
})();
