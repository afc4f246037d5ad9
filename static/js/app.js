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
})();

// A print button (data-print): shown only with JavaScript, it opens the browser's print.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = false; });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();

// The feedback inbox: "select all on this page", shown only with JavaScript (without it,
// each row's own box is the way to select).
(function () {
  "use strict";
  function reveal(root) {
    root.querySelectorAll("[data-select-all-group]").forEach(function (g) { g.hidden = false; });
  }
  reveal(document);
  document.addEventListener("htmx:load", function (event) { reveal(event.detail.elt); });
  document.addEventListener("change", function (event) {
    var box = event.target, form = box.form;
    if (!form) return;
    var all = form.querySelector("[data-select-all]");
    var rows = form.querySelectorAll("input[name=ids]");
    if (!all || !rows.length) return;
    if (box === all) {
      rows.forEach(function (row) { row.checked = all.checked; });
    } else if (box.name === "ids") {
      var checked = form.querySelectorAll("input[name=ids]:checked").length;
      all.checked = checked === rows.length;
      all.indeterminate = checked > 0 && checked < rows.length;
    }
  });
})();

// htmx copies the "style" of an element onto its replacement with the same id while it
// settles; DSFR's script leaves style="" on form controls, and CSP (style-src 'self')
// refuses that copy. Settle classes and sizes only.
if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];

// A comment published inline (htmx swaps the discussion): the focus goes to the new
// comment; after an error, to the comment field.
document.addEventListener("commentAdded", function (event) {
  "use strict";
  var comment = document.getElementById(event.detail.value);
  if (comment) comment.focus();
});
document.addEventListener("htmx:afterSwap", function (event) {
  "use strict";
  var target = event.detail.target;
  if (!target || target.id !== "comments") return;
  var section = document.getElementById("comments");
  var invalid = section && section.querySelector("[aria-invalid=true], .fr-input-group--error textarea");
  if (invalid) invalid.focus();
});
