/* The partner brief's small map, drawn with the app's own plotly.js from the figure in the page's
   data block (the Content-Security-Policy runs no inline script), and the page fitted to one sheet.
   Served, not put on the app's page. */
(function () {
  "use strict";
  // The A4 sheet's printed area (brief.css: @page margins of 10 mm), in CSS pixels.
  var MM = 96 / 25.4;
  var PRINTED_HEIGHT = (297 - 20) * MM;
  // Type set smaller does not shrink exactly in proportion (sizes round, lines break anew): a margin.
  var FIT_MARGIN = 0.96;

  // On screen the brief is laid out as wide as on paper; one that is taller than the sheet prints
  // smaller (brief.css reads --print-scale), so that every brief is one page.
  function fitToSheet(brief) {
    var style = getComputedStyle(brief);
    var height = brief.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    if (height > PRINTED_HEIGHT * FIT_MARGIN) {
      var scale = Math.floor((PRINTED_HEIGHT * FIT_MARGIN / height) * 1000) / 1000;
      brief.style.setProperty("--print-scale", String(scale));
    }
  }

  function draw() {
    var holder = document.getElementById("brief-map");
    var data = document.getElementById("brief-map-figure");
    if (!holder || !data || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(data.textContent);
    var config = { staticPlot: true, displayModeBar: false, topojsonURL: holder.dataset.topojson };
    var brief = document.getElementById("brief");
    Promise.all([window.Plotly.newPlot(holder, figure.data, figure.layout, config), document.fonts.ready])
      .then(function () {
        fitToSheet(brief);
        brief.classList.add("map-drawn");
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
