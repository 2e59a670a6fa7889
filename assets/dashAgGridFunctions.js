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

  // The table's last column: a link opening the row's partnership on the editing page
  // (atlas.views.table_columns gives the address and the word, in the language shown).
  var components = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
  components.EditLink = function (props) {
    var partner = props.data && props.data.partner ? " " + props.data.partner : "";
    return window.React.createElement(
      "a",
      { href: props.href + encodeURIComponent(props.value), className: "edit-link", "aria-label": props.label + partner },
      props.label
    );
  };
})();
