/* The 积分卡: the redemption code's countdown. The seconds left come from the server; the phone's
   own clock only measures time since the code appeared (no clock skew). At 0 the code is shown
   as expired. No dependencies. */
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (!el.hasAttribute("data-started")) el.setAttribute("data-started", String(Date.now()));
      var elapsed = (Date.now() - Number(el.getAttribute("data-started"))) / 1000;
      var left = Math.max(0, Math.ceil(Number(el.getAttribute("data-countdown")) - elapsed));
      var out = el.querySelector(".countdown-time");
      if (out) out.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      if (left === 0) el.classList.add("expired");
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  window.setInterval(tick, 1000);
})();
