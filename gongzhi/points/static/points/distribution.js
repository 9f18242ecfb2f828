/* The rankings' distribution chart: a bar per 10-point band, drawn with the vendored ECharts
   from the page's json_script data (#points-distribution-data). Without ECharts the table in
   the container stays as it is. */
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("points-distribution");
    var source = document.getElementById("points-distribution-data");
    if (!box || !source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    box.innerHTML = "";
    box.classList.add("drawn");
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 24, bottom: 32, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.labels, axisTick: { alignWithLabel: true }, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{
        name: box.getAttribute("data-series") || "", type: "bar", data: data.counts, barMaxWidth: 48,
        itemStyle: { color: "#b3261e", borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: "top", color: "#374151" }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
