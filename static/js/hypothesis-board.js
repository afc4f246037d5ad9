// The hypotheses board (products): a status moved with htmx.
(function () {
  "use strict";

  function fromBoard(detail) {
    var elt = detail.requestConfig && detail.requestConfig.elt;
    return Boolean(elt && elt.closest && elt.closest("[data-hypothesis-board]"));
  }

  // A refused move answers 400 with the board and its error message: show it (htmx does
  // not swap error answers by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400 && fromBoard(event.detail)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a move, the focus follows the card (once the swap has settled, after the list's
  // own focus on its heading).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "list-results" || !target.hasAttribute("data-hypothesis-board")) return;
    var card = target.querySelector("[data-board-focus]");
    if (card) card.focus();
  });
})();
