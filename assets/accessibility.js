/* What Dash 4's own components leave out for screen readers and keyboards, put right in the page.
   Each repair is idempotent; a MutationObserver runs them again (once a frame at most) whenever
   React renders a component anew. */
(function () {
  "use strict";

  // Controls a Dash component gives no way to name: [selector, id of the element naming them].
  var NAMED_BY = [["#year-slider [role=slider]", "year-slider-name"]];
  // Checklists and radio items (dcc.Checklist, dcc.RadioItems): each inside a group the layout names,
  // or a single checkbox named by its own label.
  var OPTION_LISTS = ["#sector-filter", "#play-speed", "#unconfirmed-toggle", "#activity-filter"];

  function repair() {
    NAMED_BY.forEach(function (pair) {
      document.querySelectorAll(pair[0]).forEach(function (control) {
        if (control.getAttribute("aria-labelledby") !== pair[1]) {
          control.setAttribute("aria-labelledby", pair[1]);
        }
      });
    });
    // dcc.Checklist and dcc.RadioItems draw a listbox of options that each hold a checkbox or a radio
    // button: interactive controls nested in interactive controls. Plain labelled inputs are what
    // they are.
    OPTION_LISTS.forEach(function (selector) {
      document.querySelectorAll(selector).forEach(function (list) {
        list.removeAttribute("role");
        list.querySelectorAll("label[role], label[aria-selected]").forEach(function (option) {
          option.removeAttribute("role");
          option.removeAttribute("aria-selected");
        });
      });
    });
    // The list an open dcc.Dropdown shows is named after the dropdown's button.
    var opener = document.querySelector("button.dash-dropdown[aria-expanded=true]");
    document.querySelectorAll(".dash-dropdown-options[role=listbox]:not([aria-labelledby])").forEach(function (list) {
      if (opener && opener.id) {
        list.setAttribute("aria-labelledby", opener.id);
      }
    });
    // dcc.Dropdown is reached by Tab through a hidden input that passes focus on to its button: a
    // focusable element inside aria-hidden. The button itself takes the Tab stop instead.
    document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (target) {
      var button = target.parentElement && target.parentElement.querySelector("button.dash-dropdown");
      if (target.tabIndex !== -1) {
        target.tabIndex = -1;
      }
      if (button && !button.disabled && button.tabIndex !== 0) {
        button.tabIndex = 0;
      }
    });
  }

  var scheduled = false;
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(function () {
        scheduled = false;
        repair();
      });
    }
  }

  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["role", "aria-selected", "aria-labelledby", "tabindex"]
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    accessibility: {
      documentLanguage: function (lang) {
        if (lang) {
          document.documentElement.lang = lang;
        }
      }
    }
  });
})();
