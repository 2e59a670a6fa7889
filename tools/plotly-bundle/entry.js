// The trace types Sister City Atlas draws: the map's scattergeo, the charts' bar and scatter.
// tests/test_plotly_bundle.py checks that every trace type of the app's figures is registered here.
var Plotly = require("plotly.js/lib/core");

Plotly.register([require("plotly.js/lib/scattergeo"), require("plotly.js/lib/bar"), require("plotly.js/lib/scatter")]);

module.exports = Plotly;
