/* MotCua charts: draws every <canvas data-chart="ID"> from the JSON embedded in
   the page with Django's json_script (element #ID: {type, labels, datasets, unit}).
   Chart.js is vendored by tools/vendor-js.sh; without it the canvas is hidden and
   the data table beside each chart remains the whole story. */
(function () {
  "use strict";
  var PALETTE = ["#b3261e", "#0b57d0", "#1e7b34", "#8a5a00", "#6b3fa0", "#00727a"];

  function config(spec) {
    var single = spec.type === "doughnut" || spec.type === "pie";
    var datasets = (spec.datasets || []).map(function (d, i) {
      var colour = PALETTE[i % PALETTE.length];
      return {
        label: d.label,
        data: d.data,
        backgroundColor: single ? PALETTE.slice(0, d.data.length) : colour,
        borderColor: single ? "#ffffff" : colour,
        borderWidth: spec.type === "line" ? 2 : 1,
        spanGaps: true,
        tension: 0.2
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
      plugins: { legend: { position: "bottom" } }
    };
    if (!single) {
      options.scales = { y: { beginAtZero: true } };
      if (spec.unit === "%") { options.scales.y.max = 100; }
    }
    return { type: spec.type || "bar", data: { labels: spec.labels || [], datasets: datasets }, options: options };
  }

  function draw() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!window.Chart || !source) {
        canvas.parentNode.hidden = true;
        return;
      }
      try {
        canvas.parentNode.style.height = "20rem";
        new window.Chart(canvas, config(JSON.parse(source.textContent)));
      } catch (err) {
        canvas.parentNode.hidden = true;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
