/* Tree tables: a row's ▸ loads its children once through htmx (hx-trigger="click once");
   later clicks fold and unfold the loaded rows (every row whose data-path lies below). */
(function () {
  "use strict";
  function rowsBelow(row) {
    var path = row.getAttribute("data-path"), out = [], next = row.nextElementSibling;
    while (next && (next.getAttribute("data-path") || "").indexOf(path) === 0 && next.getAttribute("data-path") !== path) {
      out.push(next);
      next = next.nextElementSibling;
    }
    return out;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".twisty");
    if (!button) return;
    var row = button.closest("tr");
    if (!row.hasAttribute("data-loaded")) {
      button.setAttribute("aria-expanded", "true");
      return; /* htmx loads the rows */
    }
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    rowsBelow(row).forEach(function (r) {
      if (open) { r.hidden = true; }
      else {
        r.hidden = false;
        var t = r.querySelector(".twisty");
        if (t) t.setAttribute("aria-expanded", "true");
      }
    });
  });
  /* <select data-autosubmit> submits its form when changed (filters). */
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });
  /* <form data-confirm="…"> asks before it is submitted (deleting, voiding). */
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var row = event.detail.elt.closest && event.detail.elt.closest("tr");
    if (row && event.detail.elt.classList.contains("twisty")) {
      if (event.detail.successful) { row.setAttribute("data-loaded", ""); }
      else { event.detail.elt.setAttribute("aria-expanded", "false"); }
    }
  });
})();
