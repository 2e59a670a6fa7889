/* Functions the table's AG Grid options name (dash-ag-grid looks them up in dashAgGridFunctions). */
(function () {
  "use strict";
  var functions = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

  // Download CSV: a text cell starting with one of `starts` (atlas/spreadsheet.py) would run as a
  // formula in a spreadsheet; prefixed with ' it shows as text. Numbers are left as they are.
  functions.spreadsheetSafe = function (params, starts) {
    var value = params.value;
    if (typeof value === "string" && value.length > 0 && starts.indexOf(value.charAt(0)) >= 0) {
      return "'" + value;
    }
    return value;
  };
})();
