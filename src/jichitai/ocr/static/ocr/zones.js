// Drawing a field zone on the blank page: drag on the image and the numeric inputs of the zone
// form (which stay the keyboard way of doing the same) are filled with the box in image pixels.
(function () {
  "use strict";
  var svg = document.getElementById("ocr-zones");
  var box = document.getElementById("ocr-drawing");
  if (!svg || !box) { return; }
  var inputs = {
    x: document.getElementById("id_zone-x"),
    y: document.getElementById("id_zone-y"),
    width: document.getElementById("id_zone-width"),
    height: document.getElementById("id_zone-height")
  };
  var start = null;

  function point(event) {
    var p = svg.createSVGPoint();
    p.x = event.clientX;
    p.y = event.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }

  function show(a, b) {
    var x = Math.round(Math.min(a.x, b.x));
    var y = Math.round(Math.min(a.y, b.y));
    var w = Math.round(Math.abs(a.x - b.x));
    var h = Math.round(Math.abs(a.y - b.y));
    box.setAttribute("x", x);
    box.setAttribute("y", y);
    box.setAttribute("width", w);
    box.setAttribute("height", h);
    return { x: x, y: y, width: w, height: h };
  }

  svg.addEventListener("pointerdown", function (event) {
    start = point(event);
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", function (event) {
    if (start) { show(start, point(event)); }
  });
  svg.addEventListener("pointerup", function (event) {
    if (!start) { return; }
    var drawn = show(start, point(event));
    start = null;
    if (drawn.width < 8 || drawn.height < 8) { return; }
    Object.keys(inputs).forEach(function (key) {
      if (inputs[key]) { inputs[key].value = drawn[key]; }
    });
    var name = document.getElementById("id_zone-name");
    if (name) { name.focus(); }
  });

  // Typing coordinates shows the box too.
  Object.keys(inputs).forEach(function (key) {
    if (!inputs[key]) { return; }
    inputs[key].addEventListener("input", function () {
      var v = {};
      Object.keys(inputs).forEach(function (k) { v[k] = parseInt(inputs[k].value, 10) || 0; });
      show({ x: v.x, y: v.y }, { x: v.x + v.width, y: v.y + v.height });
    });
  });
})();
