// The partners' board (products): after a card moves (htmx swaps the board), the focus
// follows the card to its new column. afterSettle runs after app.js's afterSwap handler,
// which puts the focus on the results' heading.
document.addEventListener("htmx:afterSettle", function (event) {
  "use strict";
  var target = event.detail.target;
  if (!target || target.id !== "list-results") return;
  var card = target.querySelector("[data-board-focus]");
  if (card) card.focus();
});
