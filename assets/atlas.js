/* Browser-side pieces of Sister City Atlas: playback, PNG export, printing and the keyboard.
   Served from /assets like everything else; nothing here reaches beyond this machine. */
(function () {
  "use strict";
  var noUpdate = function () { return window.dash_clientside.no_update; };
  var PLAY = "\u25B6";
  var PAUSE = "\u275A\u275A";

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      togglePlay: function (clicks, timerDisabled, year, min, max) {
        if (!timerDisabled) {
          return [true, noUpdate(), PLAY];
        }
        // Starting from the end replays the whole growth from the first year.
        return [false, year >= max ? min : noUpdate(), PAUSE];
      },

      nextYear: function (ticks, year, max) {
        if (year >= max) {
          return [noUpdate(), true, PLAY];
        }
        var next = year + 1;
        return [next, next >= max, next >= max ? PLAY : PAUSE];
      },

      exportPng: function (clicks, meta) {
        var graph = document.querySelector("#map .js-plotly-plot");
        if (!graph || !window.Plotly) {
          return noUpdate();
        }
        meta = meta || {};
        var layout = JSON.parse(JSON.stringify(graph.layout));
        layout.title = { text: meta.title || "", x: 0.5, font: { size: 30 } };
        // The legend sits under the map; the source line goes below it, in the bottom margin.
        layout.margin = { l: 10, r: 10, t: 120, b: 130 };
        layout.annotations = (layout.annotations || []).concat([{
          text: meta.source || "", showarrow: false, xref: "paper", yref: "paper",
          x: 1, y: 0, xanchor: "right", yanchor: "top", yshift: -95, font: { size: 16 }
        }]);
        layout.legend = Object.assign({}, layout.legend, { font: { size: 18 } });
        layout.legend2 = Object.assign({}, layout.legend2, { font: { size: 18 } });
        layout.width = 1920;
        layout.height = 1080;
        var holder = document.createElement("div");
        holder.style.cssText = "position:fixed;left:-30000px;top:0;width:1920px;height:1080px;";
        document.body.appendChild(holder);
        var config = { topojsonURL: graph._context.topojsonURL, staticPlot: true };
        window.Plotly.newPlot(holder, graph.data, layout, config)
          .then(function () {
            return window.Plotly.downloadImage(holder, {
              format: "png", width: 1920, height: 1080, scale: 2, filename: meta.file || "sister-city-atlas"
            });
          })
          .finally(function () {
            window.Plotly.purge(holder);
            holder.remove();
          });
        return "exported";
      },

      writeQuery: function (query, timerDisabled) {
        var first = !window.atlasWroteQuery;
        window.atlasWroteQuery = true;
        if (typeof query !== "string" || query === window.location.search) {
          return noUpdate();
        }
        var url = window.location.pathname + query + window.location.hash;
        // Playback replaces the entry instead of adding one per year; so does the first
        // write, which only tidies the address the page was opened with.
        if (timerDisabled === false || first) {
          window.history.replaceState(window.history.state, "", url);
        } else {
          window.history.pushState(window.history.state, "", url);
        }
        return noUpdate();
      },

      print: function () {
        window.print();
        return noUpdate();
      }
    }
  });

  // Back and forward: the address the app wrote with the History API is read again.
  window.addEventListener("popstate", function () {
    if (window.dash_clientside.set_props) {
      window.dash_clientside.set_props("url-popstate", { data: { search: window.location.search, at: Date.now() } });
    }
  });

  function presenting() {
    var root = document.getElementById("app-root");
    return root && root.classList.contains("present");
  }

  // A quick second key press may come before the slider has re-rendered the first step.
  var pendingYear = null;
  var pendingSince = 0;

  function stepYear(delta) {
    var thumb = document.querySelector("#year-slider [role=slider]");
    if (!thumb || !window.dash_clientside.set_props) {
      return;
    }
    var value = Number(thumb.getAttribute("aria-valuenow"));
    if (pendingYear !== null && pendingYear !== value && Date.now() - pendingSince < 1000) {
      value = pendingYear;
    }
    var min = Number(thumb.getAttribute("aria-valuemin"));
    var max = Number(thumb.getAttribute("aria-valuemax"));
    var next = Math.min(max, Math.max(min, value + delta));
    if (next !== value) {
      pendingYear = next;
      pendingSince = Date.now();
      window.dash_clientside.set_props("year-slider", { value: next });
    }
  }

  // Presentation keys: space plays or pauses, arrows step a year, Esc leaves.
  document.addEventListener("keydown", function (event) {
    if (!presenting() || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable=true]")) {
      return;
    }
    if (event.key === " " || event.code === "Space") {
      event.preventDefault();
      if (target.blur) { target.blur(); }
      document.getElementById("play").click();
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      if (target.closest && target.closest("[role=slider]")) {
        return; // the focused slider steps by itself
      }
      event.preventDefault();
      stepYear(event.key === "ArrowRight" ? 1 : -1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      document.getElementById("present-exit").click();
    }
  });
})();
