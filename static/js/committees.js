// The conditions of an investment committee (governance): after a condition is ticked or
// reopened (htmx swaps the checklist), the focus goes back to its button.
document.addEventListener("htmx:afterSettle", function () {
  "use strict";
  var button = document.querySelector("#conditions [data-focus-after-swap]");
  if (button) button.focus();
});
