/* The counter: the redemption form's running total (quantity × points), and the code field focused
   after a lookup so that a scanner's next code goes straight in. No dependencies. */
(function () {
  "use strict";
  function total(form) {
    var sum = 0;
    form.querySelectorAll("input.qty").forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (n > 0) sum += n * parseInt(input.getAttribute("data-points"), 10);
    });
    var out = form.querySelector("[data-total]");
    if (out) out.textContent = String(sum);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input.qty")) total(event.target.form);
  });
  function init() {
    document.querySelectorAll("form.redeem-form").forEach(total);
  }
  document.addEventListener("DOMContentLoaded", function () {
    init();
    /* a counter that only redeems: the code field takes the scanner's input at once */
    var code = document.querySelector("#redeem input.code-input");
    if (code && !document.getElementById("weigh")) code.focus();
  });
  var lookingUp = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    lookingUp = !!(event.detail.elt.closest && event.detail.elt.closest("#redeem"));
  });
  document.addEventListener("htmx:afterSettle", function () {
    init();
    var panel = document.getElementById("redeem");
    if (!lookingUp || !panel) return;
    lookingUp = false;
    var target = panel.querySelector(".code-field.has-error input") || panel.querySelector("input.qty") || panel.querySelector("input.code-input");
    if (target) target.focus();
  });
})();
