// Intrapreneur's behaviour: no inline script anywhere (CSP), everything lives here.
(function () {
  "use strict";

  // A tag suggestion appends its name to the tags input placed before it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tag-suggestion]");
    if (!button) return;
    var group = button.closest(".tag-suggestions");
    var input = group && group.parentElement.querySelector("[data-tags-input]");
    if (!input) return;
    var names = input.value.split(",").map(function (n) { return n.trim(); });
    names[names.length - 1] = button.dataset.tagSuggestion;
    input.value = names.filter(Boolean).join(", ") + ", ";
    group.innerHTML = "";
    input.focus();
  });

  // After a list is filtered or paged, move the focus to the results' heading.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "list-results") return;
    var heading = event.detail.target.querySelector("h2, caption, table");
    if (heading && !event.detail.requestConfig.elt.matches("input[type=search]")) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
