// Checklists ticked with htmx (governance): an investment committee's conditions, a coaching
// session's action items. After an item is ticked or reopened (htmx swaps the list), the
// focus goes back to its button.
document.addEventListener("htmx:afterSettle", function () {
  "use strict";
  var button = document.querySelector("[data-focus-after-swap]");
  if (button) button.focus();
});
