// Where the focus goes after htmx swaps part of a page (RGAA 7.1, 12.8): one place for all.
//
// Once the new content has settled (htmx:afterSettle), in the swapped region:
// 1. a form that failed: the first invalid field (aria-invalid, or a DSFR error group);
// 2. an inline create: the new row, marked data-new-row by the server;
// 3. a filter, a sort or a page of a list: the region's heading (h2, caption, table), except
//    while the person types in a search box: the focus stays there;
// 4. a board's moved card (data-board-focus), or what a region names with
//    data-focus-after-swap (a ticked condition's button).
// A focused element that is not focusable by itself gets tabindex="-1" first.
(function () {
  "use strict";

  var INVALID = "[aria-invalid=true], .fr-input-group--error :is(input, select, textarea), " +
    ".fr-select-group--error select, .fr-fieldset--error input";
  var HEADING = "h1, h2, h3, caption, table";

  function focus(element) {
    if (!element) return false;
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return true;
  }

  function typing(detail) {
    var config = detail.requestConfig || {};
    var trigger = config.triggeringEvent && config.triggeringEvent.target;
    return !!(trigger && trigger.matches && trigger.matches("input[type=search]"));
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail;
    var region = detail.target;
    if (!region || !region.querySelector || !detail.xhr) return;
    // An outerHTML swap replaced the target: look for its successor.
    if (!region.isConnected && region.id) region = document.getElementById(region.id);
    if (!region) return;
    if (focus(region.querySelector(INVALID))) return;
    if (focus(region.querySelector("[data-new-row]"))) return;
    var named = region.querySelector("[data-board-focus], [data-focus-after-swap]");
    if (named) {
      focus(named);
      return;
    }
    if (region.id === "list-results" && !typing(detail)) {
      focus(region.querySelector(HEADING));
    }
  });
})();
