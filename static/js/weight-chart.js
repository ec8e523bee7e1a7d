// The weight chart: a tap (or click) on the chart reads out the point nearest to it
// under the chart. Delegated from the document, so a panel swapped in by htmx works
// too. Without JavaScript the table under the chart has every value.
(function () {
  "use strict";

  function nearestDot(svg, event) {
    var matrix = svg.getScreenCTM();
    if (!matrix) return null;
    var where = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    var best = null;
    var bestDistance = Infinity;
    svg.querySelectorAll("circle.chart-dot").forEach(function (dot) {
      var dx = dot.cx.baseVal.value - where.x;
      var dy = dot.cy.baseVal.value - where.y;
      // Across counts more than up and down: a finger is wide, a chart is wider.
      var distance = dx * dx + (dy * dy) / 9;
      if (distance < bestDistance) {
        best = dot;
        bestDistance = distance;
      }
    });
    return best;
  }

  function hint(root) {
    root.querySelectorAll(".chart-readout").forEach(function (readout) {
      if (!readout.textContent.trim()) readout.textContent = readout.dataset.hint;
      readout.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var svg = event.target.closest && event.target.closest(".weight-chart svg");
    if (!svg) return;
    var dot = nearestDot(svg, event);
    var readout = svg.closest(".weight-chart").querySelector(".chart-readout");
    if (!dot || !readout) return;
    svg.querySelectorAll(".chart-dot-picked").forEach(function (picked) {
      picked.classList.remove("chart-dot-picked");
    });
    dot.classList.add("chart-dot-picked");
    readout.textContent = dot.querySelector("title").textContent;
    readout.dataset.picked = "";
    readout.hidden = false;
  });

  document.addEventListener("DOMContentLoaded", function () { hint(document); });
  document.addEventListener("htmx:afterSettle", function (event) { hint(event.target); });
})();
