/* The map follows the year slider and the sector filter in the browser, without asking the server.

   The server sends a hub's links once (atlas/map_source.py): every link with its year, the first
   year it had an exchange in each sector, its place, style and hover text, plus the templates and
   rules of the map's traces. `draw` keeps the links the year and sectors show and builds the same
   figure `atlas.figures.map_figure` builds on the server (tests/test_browser_map.py compares the
   two): links, partner markers by decade with crowded cells counted as clusters, the busiest hubs
   starred and labelled, and the focused partnership on top. dcc.Graph hands it to Plotly.react.
   The milestone caption of the year shown comes with the source too.

   To filter by another per-link value, decode it with the links and AND one more mask in `shown`. */
(function () {
  "use strict";
  // atlas.activity's statuses by name.
  var DORMANT = "dormant";
  var UNKNOWN = "unknown";

  // --- Arrays as the server sends them: plotly.js typed-array specs, or plain lists when empty ---

  var TYPED = {
    i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
    i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array
  };

  function decodeArray(value) {
    if (!value || Array.isArray(value) || typeof value.bdata !== "string") {
      return value;
    }
    var binary = atob(value.bdata);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return new TYPED[value.dtype](bytes.buffer);
  }

  function decodeAll(columns) {
    var decoded = {};
    Object.keys(columns).forEach(function (name) { decoded[name] = decodeArray(columns[name]); });
    return decoded;
  }

  // A source is decoded once, however many steps draw from it.
  var decodedSources = new WeakMap();

  function decoded(source) {
    var found = decodedSources.get(source);
    if (!found) {
      var links = decodeAll(source.links);
      var count = links.id.length;
      var sectors = {};
      // Dense per sector: the year a link first had an exchange in it, or never.
      Object.keys(source.sectors).forEach(function (name) {
        var reach = decodeAll(source.sectors[name]);
        var years = new Int16Array(count).fill(32767);
        for (var i = 0; i < reach.link.length; i++) {
          years[reach.link[i]] = reach.year[i];
        }
        sectors[name] = years;
      });
      // One layout for every step of a source: Plotly.react redraws the whole map, world and all,
      // when handed a new layout object (a copy costs a full redraw), and only the traces for the
      // same one. The focused partnership's traces do not change with the year either.
      found = {
        links: links, count: count, homes: decodeAll(source.homes), sectors: sectors,
        layout: copy(source.layout), focus: copy(source.focus),
        status: decodeArray(source.activity.status), years: source.years[1] - source.years[0] + 1
      };
      decodedSources.set(source, found);
    }
    return found;
  }

  // --- Which links show: the same rules as atlas.filters.filter_partnerships ---

  // The year and sectors as the server reads untrusted controls: a year outside the data is the
  // latest; unknown sectors are dropped, and none left means no sector filter.
  // The activity as the server reads it: one of the statuses a person can choose, or none.
  function viewOf(source, year, sectors, activity) {
    var first = source.years[0];
    var last = source.years[1];
    var wanted = Array.isArray(sectors) ? sectors : [];
    var status = source.activity.statuses.indexOf(activity);
    year = Number.isInteger(year) && year >= first && year <= last ? year : last;
    return {
      year: year,
      column: year - first,
      sectors: source.sectorNames.filter(function (name) { return wanted.indexOf(name) >= 0; }),
      activity: status >= 0 && activity !== UNKNOWN ? status : -1
    };
  }

  // A link's status at the view's year: its number in the source's `activity.statuses`.
  function statusOf(data, view, row) {
    return data.status[row * data.years + view.column];
  }

  // The indices of the links shown, in the server's order.
  function shown(data, view) {
    var years = data.links.year;
    var reaches = view.sectors.map(function (name) { return data.sectors[name]; })
      .filter(function (reach) { return reach; });
    var rows = [];
    for (var i = 0; i < data.count; i++) {
      if (years[i] > view.year) {
        continue;
      }
      if (view.sectors.length) {
        var reached = false;
        for (var s = 0; s < reaches.length && !reached; s++) {
          reached = reaches[s][i] <= view.year;
        }
        if (!reached) {
          continue;
        }
      }
      if (view.activity >= 0 && statusOf(data, view, i) !== view.activity) {
        continue;
      }
      rows.push(i);
    }
    return rows;
  }

  // --- Traces, as atlas/figures.py builds them ---

  function copy(template) {
    return JSON.parse(JSON.stringify(template));
  }

  function pick(values, rows, Type) {
    var picked = new Type(rows.length);
    for (var i = 0; i < rows.length; i++) {
      picked[i] = values[rows[i]];
    }
    return picked;
  }

  function pickList(values, rows) {
    return rows.map(function (row) { return values[row]; });
  }

  function round(value, digits) {
    var scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  function linkStyle(count, rules) {
    if (count <= rules.denseLinks) {
      return [rules.linkWidth, 1.0];
    }
    var scale = Math.sqrt(rules.denseLinks / count);
    return [round(Math.max(rules.minLinkWidth, rules.linkWidth * scale), 2),
      round(Math.max(rules.minLinkOpacity, scale), 2)];
  }

  // Each link's kind, numbered as the templates (atlas.figures.link_kinds): unconfirmed apart; by
  // activity when some confirmed link's can be told, else all of one kind.
  function linkKinds(source, data, view, rows) {
    var unconfirmed = source.templates.links.length - 1;  // the last kind (atlas.figures.LINK_KINDS)
    var unknown = source.activity.statuses.indexOf(UNKNOWN);
    var told = rows.some(function (row) {
      return !data.links.unconfirmed[row] && statusOf(data, view, row) !== unknown;
    });
    var kinds = new Map();
    rows.forEach(function (row) {
      kinds.set(row, data.links.unconfirmed[row] ? unconfirmed : told ? statusOf(data, view, row) + 1 : 0);
    });
    return kinds;
  }

  // Two endpoints and a gap per link: plotly.js draws each segment as a great circle.
  function linkTraces(source, data, view, rows) {
    var links = data.links;
    var homes = data.homes;
    var style = linkStyle(rows.length, source.rules);
    var kinds = linkKinds(source, data, view, rows);
    var traces = [];
    source.templates.links.forEach(function (template, kind) {
      var chosen = rows.filter(function (row) { return kinds.get(row) === kind; });
      if (!chosen.length) {
        return;
      }
      var lon = new Float32Array(chosen.length * 3).fill(NaN);
      var lat = new Float32Array(chosen.length * 3).fill(NaN);
      chosen.forEach(function (row, i) {
        lon[3 * i] = homes.lon[links.home[row]];
        lon[3 * i + 1] = links.lon[row];
        lat[3 * i] = homes.lat[links.home[row]];
        lat[3 * i + 1] = links.lat[row];
      });
      var trace = copy(template);
      trace.line.width = style[0];
      trace.legendrank = source.rules.linkLegendRank + traces.length;
      trace.lon = lon;
      trace.lat = lat;
      trace.opacity = style[1] * source.rules.linkFades[kind];
      traces.push(trace);
    });
    return traces;
  }

  // One integer per map cell for each row, with the smallest cells that keep the markers few.
  function clusterCells(links, rows, rules) {
    var cells;
    for (var d = 0; d < rules.cellDegrees.length; d++) {
      var degrees = rules.cellDegrees[d];
      cells = rows.map(function (row) {
        return Math.floor(links.lat[row] / degrees) * 1000 + Math.floor(links.lon[row] / degrees);
      });
      if (new Set(cells).size <= rules.maxCells) {
        break;
      }
    }
    return cells;
  }

  function partnerTraces(source, data, view, rows) {
    var links = data.links;
    var rules = source.rules;
    var dormantStatus = source.activity.statuses.indexOf(DORMANT);
    var dormant = function (row) { return statusOf(data, view, row) === dormantStatus; };
    var crowded = rows.map(function () { return false; });
    var cells = null;
    if (rows.length > rules.clusterThreshold) {
      cells = clusterCells(links, rows, rules);
      var perCell = new Map();
      cells.forEach(function (cell) { perCell.set(cell, (perCell.get(cell) || 0) + 1); });
      crowded = cells.map(function (cell) { return perCell.get(cell) > 1; });
    }
    var singles = rows.filter(function (row, i) { return !crowded[i]; });
    var traces = [];
    source.templates.decades.forEach(function (template, decade) {
      var inDecade = singles.filter(function (row) { return links.decade[row] === decade; });
      // Dormant partners are a trace of their own, faded and out of the key unless they are all.
      var awake = inDecade.filter(function (row) { return !dormant(row); });
      [awake, inDecade.filter(dormant)].forEach(function (chosen, faded) {
        if (chosen.length) {
          traces.push(decadeTrace(template, links, chosen, rules, traces.length, faded && awake.length > 0, faded));
        }
      });
    });
    if (cells && crowded.some(function (value) { return value; })) {
      traces.push(clusterTrace(source, links, rows.filter(function (row, i) { return crowded[i]; }),
        cells.filter(function (cell, i) { return crowded[i]; })));
    }
    return traces;
  }

  function decadeTrace(template, links, chosen, rules, rank, outOfKey, faded) {
    var low = pick(links.unconfirmed, chosen, Int8Array);
    var anyLow = low.some(function (value) { return value; });
    var trace = copy(template);
    trace.marker.size = pick(links.size, chosen, Float64Array);
    trace.marker.symbol = anyLow ? low.map(function (value) { return rules.symbols[value]; }) : "circle";
    trace.marker.line.width = anyLow
      ? Float32Array.from(low, function (value) { return rules.outlineWidths[value]; })
      : rules.outlineWidths[0];
    trace.marker.line.color = anyLow ? low : rules.paper;
    if (faded) {
      trace.marker.opacity = rules.dormantOpacity;
      trace.showlegend = !outOfKey;
    }
    trace.legendrank = rank + 1;
    trace.lon = pick(links.lon, chosen, Float32Array);
    trace.lat = pick(links.lat, chosen, Float32Array);
    trace.customdata = pickList(links.id, chosen);
    trace.hovertext = pickList(links.hover, chosen);
    return trace;
  }

  // A partner's name, escaped, as its hover text starts (atlas.figures.hover_texts: <b>name</b> …).
  function hoverName(hover) {
    return hover.slice(3, hover.indexOf("</b>"));
  }

  // One counted marker per crowded cell, at its partners' mean position, naming the first few.
  function clusterTrace(source, links, rows, cells) {
    var rules = source.rules;
    var order = rows.map(function (row, i) { return i; });
    order.sort(function (a, b) { return cells[a] - cells[b] || a - b; });
    var groups = [];
    order.forEach(function (i) {
      var group = groups[groups.length - 1];
      if (!group || group.cell !== cells[i]) {
        group = { cell: cells[i], members: [] };
        groups.push(group);
      }
      group.members.push(rows[i]);
    });
    var mean = function (values, members) {
      return members.reduce(function (sum, row) { return sum + values[row]; }, 0) / members.length;
    };
    var trace = copy(source.templates.cluster);
    trace.marker.size = Float64Array.from(groups, function (group) {
      var size = Math.min(rules.clusterSize[0] + rules.clusterSize[1] * Math.sqrt(group.members.length),
        rules.clusterSize[2]);
      return round(size * rules.markerScale, 1);
    });
    trace.lon = Float32Array.from(groups, function (group) { return mean(links.lon, group.members); });
    trace.lat = Float32Array.from(groups, function (group) { return mean(links.lat, group.members); });
    trace.text = Int32Array.from(groups, function (group) { return group.members.length; });
    trace.hovertext = groups.map(function (group) {
      var count = group.members.length;
      var names = group.members.slice(0, rules.maxNames).map(function (row) { return hoverName(links.hover[row]); });
      var more = count > rules.maxNames ? " +" + (count - rules.maxNames) : "";
      return "<b>" + count + " " + rules.clusterTitle + "</b><br>" + names.join(", ") + more;
    });
    return trace;
  }

  // Where each starred home's label goes, busiest first (atlas.figures.label_positions).
  function labelPositions(lat, lon, counts, rules) {
    var positions = counts.map(function () { return null; });
    var paired = new Set();
    var total = counts.reduce(function (sum, count) { return sum + count; }, 0);
    for (var home = 0; home < counts.length; home++) {
      if (counts[home] < rules.labelMinShare * total && home) {
        break;
      }
      var near = [];
      for (var other = 0; other < home; other++) {
        if (positions[other] && Math.abs(lon[home] - lon[other]) < rules.labelSpan[0] &&
            Math.abs(lat[home] - lat[other]) < rules.labelSpan[1]) {
          near.push(other);
        }
      }
      if (!near.length) {
        positions[home] = rules.below;
      } else if (near.length === 1 && !paired.has(near[0])) {
        var north = lat[home] > lat[near[0]];
        positions[home] = north ? rules.above : rules.below;
        positions[near[0]] = north ? rules.below : rules.above;
        paired.add(home);
        paired.add(near[0]);
      }
    }
    return positions;
  }

  // A star for each home shown (the busiest few when there are many), the busiest labelled.
  function hubTrace(source, data, rows) {
    var rules = source.rules;
    var codes = new Map();
    var counts = [];
    var homes = [];
    rows.forEach(function (row) {
      var home = data.links.home[row];
      if (!codes.has(home)) {
        codes.set(home, counts.length);
        counts.push(0);
        homes.push(home);
      }
      counts[codes.get(home)] += 1;
    });
    var busiest = counts.map(function (count, code) { return code; });
    busiest.sort(function (a, b) { return counts[b] - counts[a] || a - b; });
    busiest = busiest.slice(0, rules.maxHubs).map(function (code) { return homes[code]; });
    var lon = pick(data.homes.lon, busiest, Float32Array);
    var lat = pick(data.homes.lat, busiest, Float32Array);
    var names = pickList(data.homes.name, busiest);
    var positions = labelPositions(lat, lon, busiest.map(function (home) {
      return counts[codes.get(home)];
    }), rules);
    var trace = copy(source.templates.hub);
    trace.lon = lon;
    trace.lat = lat;
    trace.text = names.map(function (name, i) { return positions[i] ? name : ""; });
    trace.textposition = positions.map(function (position) { return position || rules.below; });
    trace.hovertext = names;
    return trace;
  }

  // --- The summary line and the export's title, as atlas.filters.summary_text and views.map_view ---

  function summaryText(source, links, rows, year) {
    var words = source.words;
    // As atlas.filters.summary_text: sister-city ties first, then lesser agreements, then unconfirmed.
    var doubtful = rows.filter(function (row) { return links.unconfirmed[row]; }).length;
    rows = rows.filter(function (row) { return !links.unconfirmed[row]; });
    var lesser = rows.filter(function (row) { return links.lesser[row]; }).length;
    rows = rows.filter(function (row) { return !links.lesser[row]; });
    var countries = new Set(rows.map(function (row) { return links.country[row]; })).size;
    var dated = rows.filter(function (row) { return !links.undated[row]; });
    var count = rows.length;
    var known = source.official.filter(function (official) { return official[0] <= year; });
    var official = known.length ? known[known.length - 1] : null;
    var parts = words.zh
      ? [count + words.partnerships, countries + words.countries]
      : [count + " " + (count === 1 && !official ? words.partnership : words.partnerships),
        countries + " " + (countries === 1 ? words.country : words.countries)];
    if (official) {
      parts[0] = words.officialCount.replace("{count}", count).replace("{value}", official[1])
        .replace("{date}", official[2]);
    }
    if (dated.length) {
      var years = dated.map(function (row) { return links.year[row]; });
      var first = Math.min.apply(null, years);
      var last = Math.max.apply(null, years);
      parts.push(first !== last ? first + "\u2013" + last : String(first));
    }
    if (dated.length < count) {
      parts.push(words.undatedPrefix + (count - dated.length) + words.undatedSuffix);
    }
    if (lesser) {
      parts.push(lesser === 1 ? words.lesserCountOne : words.lesserCount.replace("{count}", lesser));
    }
    if (doubtful) {
      parts.push(words.unconfirmedCount.replace("{count}", doubtful));
    }
    return parts.join(" \u00b7 ");
  }

  // Plotly reads a few HTML tags in text: names are shown literally (atlas.figures.escape).
  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function figure(source, year, sectors, activity) {
    var data = decoded(source);
    var view = viewOf(source, year, sectors, activity);
    var rows = shown(data, view);
    var traces = linkTraces(source, data, view, rows).concat(partnerTraces(source, data, view, rows));
    if (rows.length) {
      traces.push(hubTrace(source, data, rows));
    }
    var summary = summaryText(source, data.links, rows, view.year);
    var title = source.export.title + " \u00b7 " + view.year + ": " + summary;
    return {
      figure: { data: traces.concat(data.focus), layout: data.layout },
      summary: summary,
      meta: { title: escapeText(title), source: source.export.source, file: source.export.file + "-" + view.year }
    };
  }

  // The latest source is kept here, and steps name it by a number: a callback's inputs are handled
  // by Dash on every step, and the hub's links (megabytes for a world list) need not be.
  var kept = { number: 0, source: null };
  // The second hub of `compare=`, kept the same way.
  var keptCompare = { number: 0, source: null };
  var COMPARE_COLUMN = "map-column compare-column";

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlasMap = {
    keep: function (source) {
      if (!source || !source.links) {
        return window.dash_clientside.no_update;
      }
      decoded(source);
      kept = { number: kept.number + 1, source: source };
      return kept.number;
    },

    draw: function (number, year, sectors, activity) {
      if (number !== kept.number || !kept.source) {
        return [window.dash_clientside.no_update, window.dash_clientside.no_update,
          window.dash_clientside.no_update];
      }
      var drawn = figure(kept.source, year, sectors, activity);
      return [drawn.figure, drawn.summary, drawn.meta];
    },

    // No source (no second hub): the column hides.
    keepCompare: function (source) {
      var usable = source && source.links;
      if (usable) {
        decoded(source);
      }
      keptCompare = { number: keptCompare.number + 1, source: usable ? source : null };
      return keptCompare.number;
    },

    // The second map, its summary and its column's class: the column shows in the same render as
    // its map, as a graph drawn while hidden has no size.
    drawCompare: function (number, year, sectors, activity) {
      var noUpdate = window.dash_clientside.no_update;
      if (number !== keptCompare.number) {
        return [noUpdate, noUpdate, noUpdate];
      }
      if (!keptCompare.source) {
        return [noUpdate, "", COMPARE_COLUMN];
      }
      var drawn = figure(keptCompare.source, year, sectors, activity);
      return [drawn.figure, drawn.summary, COMPARE_COLUMN + " shown"];
    },

    // Presentation mode's milestone caption of the year shown (atlas.views.caption_texts).
    caption: function (number, year) {
      if (number !== kept.number || !kept.source) {
        return window.dash_clientside.no_update;
      }
      return kept.source.captions[viewOf(kept.source, year, []).year] || "";
    }
  };
})();
