/* The partner brief's small map, drawn with the app's own plotly.js from the figure in the page's
   data block (the Content-Security-Policy runs no inline script). Served, not put on the app's page. */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("brief-map");
    var data = document.getElementById("brief-map-figure");
    if (!holder || !data || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(data.textContent);
    var config = { staticPlot: true, displayModeBar: false, topojsonURL: holder.dataset.topojson };
    window.Plotly.newPlot(holder, figure.data, figure.layout, config).then(function () {
      document.getElementById("brief").classList.add("map-drawn");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
