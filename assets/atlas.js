/* Browser-side pieces of Sister City Atlas: playback, the settled view, the table loaded when near,
   PNG export, printing and the keyboard (the map itself is drawn by atlas-map.js).
   Served from /assets like everything else; nothing here reaches beyond this machine. */
(function () {
  "use strict";
  var noUpdate = function () { return window.dash_clientside.no_update; };
  var PLAY = "\u25B6";
  var PAUSE = "\u275A\u275A";

  // The PNG export: Plotly draws the map as SVG, which becomes an image drawn on a canvas. An SVG
  // image cannot use the page's web fonts, so Atlas Sans travels inside it: without it, a machine
  // with no Chinese system font exports boxes for every Chinese character.
  var EXPORT_WIDTH = 1920;
  var EXPORT_HEIGHT = 1080;
  var EXPORT_SCALE = 2;
  var FONT_FILES = [["atlas-sans-sc-regular.woff2", 400], ["atlas-sans-sc-bold.woff2", 700]];
  var fontFacesOnce = null;

  // The statistics, table, story and address follow the view once its controls have been still
  // this long and playback has stopped: a slider step or a year of playback waits on none of them.
  var SETTLE_MS = 300;
  var SETTLE_IDLE_MS = 1000;
  var settleCalls = 0;
  // The grid is made when the table is this close to the screen.
  var TABLE_MARGIN = "300px";

  function svgText(svgUrl) {
    return decodeURIComponent(svgUrl.slice(svgUrl.indexOf(",") + 1));
  }

  function dataUrl(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = reject;
      reader.readAsDataURL(blob);
    });
  }

  // The font files sit beside the stylesheet that Dash serves from the assets folder.
  function fontFaces() {
    if (!fontFacesOnce) {
      var sheet = document.querySelector("link[href*='fonts.css']");
      var base = sheet ? sheet.href : window.location.href;
      fontFacesOnce = Promise.all(FONT_FILES.map(function (file) {
        return fetch(new URL("fonts/" + file[0], base))
          .then(function (response) { return response.blob(); })
          .then(function (blob) { return dataUrl(new Blob([blob], { type: "font/woff2" })); })
          .then(function (url) {
            return "@font-face{font-family:\"Atlas Sans\";font-weight:" + file[1] +
              ";src:url(" + url + ") format(\"woff2\");}";
          });
      })).then(function (faces) { return faces.join(""); });
      fontFacesOnce.catch(function () { fontFacesOnce = null; });
    }
    return fontFacesOnce;
  }

  function withStyle(svg, css) {
    var opened = svg.indexOf(">", svg.indexOf("<svg")) + 1;
    return svg.slice(0, opened) + "<defs><style>" + css + "</style></defs>" + svg.slice(opened);
  }

  function rasterize(svg, width, height, scale) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = width * scale;
        canvas.height = height * scale;
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(resolve, "image/png");
      };
      image.onerror = function (error) {
        URL.revokeObjectURL(url);
        reject(error);
      };
      image.src = url;
    });
  }

  // The table's grid as Dash holds it, or undefined before the table has come near the screen.
  function grid() {
    return window.dash_component_api.getLayout("table");
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // The video export (atlas-video.js) draws its frames the way the PNG export does.
  window.atlasDrawing = {
    svgText: svgText, fontFaces: fontFaces, withStyle: withStyle, rasterize: rasterize, save: save
  };

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      togglePlay: function (clicks, timerDisabled, year, min, max) {
        if (!timerDisabled) {
          return [true, noUpdate(), PLAY];
        }
        // Starting from the end replays the whole growth from the first year.
        return [false, year >= max ? min : noUpdate(), PAUSE];
      },

      showYear: function (year) {
        return [String(year), String(year)];
      },

      settle: function (source, home, year, sectors, lang, contrast, unconfirmed, timerDisabled, activity, compare) {
        var call = ++settleCalls;
        // Before the map's first links, and while playing, nothing settles: the map comes first.
        if (!source || timerDisabled === false) {
          return noUpdate();
        }
        var view = {
          home: home, year: year, sectors: sectors, lang: lang, contrast: contrast, unconfirmed: unconfirmed,
          activity: activity, compare: compare
        };
        return new Promise(function (resolve) {
          // Still for a moment, then once the browser is idle: the map's drawing goes first.
          setTimeout(function () {
            window.requestIdleCallback(function () {
              resolve(call === settleCalls ? view : noUpdate());
            }, { timeout: SETTLE_IDLE_MS });
          }, SETTLE_MS);
        });
      },

      // Resolves once the table is near the screen and AG Grid's script has loaded from `url`.
      loadTableWhenNear: function (url) {
        var slot = document.getElementById("table-slot");
        return new Promise(function (resolve, reject) {
          var observer = new IntersectionObserver(function (entries) {
            if (!entries.some(function (entry) { return entry.isIntersecting; })) {
              return;
            }
            observer.disconnect();
            var script = document.createElement("script");
            script.src = url;
            script.onload = function () { resolve(true); };
            script.onerror = reject;
            document.head.appendChild(script);
          }, { rootMargin: TABLE_MARGIN });
          observer.observe(slot);
        });
      },

      // Hands the server's rows (or the rows that come and go) to the grid; says what it now holds.
      applyTable: function (update) {
        if (!update || !grid()) {
          return null;
        }
        window.dash_clientside.set_props("table", update.rows
          ? { rowData: update.rows, columnDefs: update.columns }
          : { rowTransaction: update.transaction });
        return update.shown;
      },

      // The ties gone quiet (atlas.views.QuietView as data), each a button that opens its story.
      // Text goes in as text: names come from the tables.
      drawQuiet: function (view) {
        var box = document.getElementById("gone-quiet");
        if (!box || !view) {
          return noUpdate();
        }
        function element(tag, className, content) {
          var made = document.createElement(tag);
          if (className) {
            made.className = className;
          }
          if (content !== undefined) {
            made.textContent = content;
          }
          return made;
        }
        var children = [element("p", "hint", view.hint), element("p", "hint rule", view.rule)];
        if (!view.ties.length) {
          children.push(element("p", "muted", view.empty));
        } else {
          var list = element("ol", "quiet-list");
          view.ties.forEach(function (tie) {
            var button = element("button", "quiet-tie");
            button.type = "button";
            button.append(
              element("span", "quiet-name", tie.partner),
              element("span", "muted", tie.home),
              element("span", "quiet-silent", tie.silent),
              element("span", "quiet-status activity-" + tie.status, tie.status_label + " · " + tie.last)
            );
            button.addEventListener("click", function () {
              window.dash_clientside.set_props("quiet-open", { data: { id: tie.id, at: Date.now() } });
            });
            var item = element("li");
            item.append(button);
            list.append(item);
          });
          children.push(list);
          if (view.more) {
            children.push(element("p", "muted", view.more));
          }
        }
        box.replaceChildren.apply(box, children);
        return noUpdate();
      },

      searchTable: function (text) {
        var table = grid();
        if (table) {
          var options = Object.assign({}, table.props.dashGridOptions, { quickFilterText: text || "" });
          window.dash_clientside.set_props("table", { dashGridOptions: options });
        }
        return noUpdate();
      },

      exportCsv: function (clicks, meta) {
        var table = grid();
        if (table) {
          var name = meta && typeof meta.file === "string" && meta.file ? meta.file : "sister-city-atlas";
          var params = Object.assign({}, table.props.csvExportParams, { fileName: name + ".csv" });
          window.dash_clientside.set_props("table", { csvExportParams: params, exportDataAsCsv: true });
        }
        return noUpdate();
      },

      nextYear: function (ticks, year, max, timerDisabled) {
        // A tick already on its way when Pause was pressed must not start playback again.
        if (timerDisabled) {
          return [noUpdate(), noUpdate(), noUpdate()];
        }
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
        layout.legend.title = Object.assign({}, layout.legend.title, { font: { size: 18 } });
        layout.legend2 = Object.assign({}, layout.legend2, { font: { size: 18 } });
        layout.width = EXPORT_WIDTH;
        layout.height = EXPORT_HEIGHT;
        var holder = document.createElement("div");
        holder.style.cssText = "position:fixed;left:-30000px;top:0;width:1920px;height:1080px;";
        document.body.appendChild(holder);
        var config = { topojsonURL: graph._context.topojsonURL, staticPlot: true };
        window.Plotly.newPlot(holder, graph.data, layout, config)
          .then(function () {
            return window.Plotly.toImage(holder, { format: "svg", width: EXPORT_WIDTH, height: EXPORT_HEIGHT });
          })
          .then(function (svgUrl) {
            return Promise.all([svgText(svgUrl), fontFaces()]);
          })
          .then(function (parts) {
            return rasterize(withStyle(parts[0], parts[1]), EXPORT_WIDTH, EXPORT_HEIGHT, EXPORT_SCALE);
          })
          .then(function (png) {
            save(png, (meta.file || "sister-city-atlas") + ".png");
          })
          .finally(function () {
            window.Plotly.purge(holder);
            holder.remove();
          });
        return "exported";
      },

      // The server's address for the slider's year (atlas.filters.year_queries), or for any other.
      writeQuery: function (queries, year, timerDisabled) {
        if (!queries || !queries.years) {
          return noUpdate();
        }
        var query = Number.isInteger(year) && queries.years.hasOwnProperty(year) ? queries.years[year] : queries.other;
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
