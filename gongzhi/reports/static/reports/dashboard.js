/* 数据看板 charts, drawn with the vendored ECharts from the page's json_script data:
   #dash-sections-data (every rate, this period against the previous one) and
   #dash-children-data (the key figures across the child units; buttons switch the figure,
   a click on a bar opens that unit's dashboard). The wall display (.screen) uses the dark theme. */
(function () {
  "use strict";
  var charts = [];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function palette(dark) {
    return dark
      ? { text: "#cbd5e1", axis: "#475569", split: "rgba(148,163,184,.15)", now: "#f2c265", before: "#64748b", bar: "#ef4444", good: "#34d399" }
      : { text: "#374151", axis: "#c9ced6", split: "#eef0f3", now: "#b3261e", before: "#c9ced6", bar: "#b3261e", good: "#1a7f45" };
  }

  function init(box, dark) {
    box.innerHTML = "";
    box.classList.add("drawn");
    var chart = window.echarts.init(box, dark ? "dark" : null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }

  function sections(dark, big) {
    var box = document.getElementById("dash-sections");
    var d = data("dash-sections-data");
    if (!box || !d) return;
    var c = palette(dark);
    var font = big ? 16 : 12;
    var narrow = box.clientWidth < 500;
    if (!dark) box.style.height = Math.max(260, d.labels.length * 26 + (narrow ? 100 : 80)) + "px";
    init(box, dark).setOption({
      backgroundColor: "transparent", animation: false,
      textStyle: { fontSize: font },
      legend: { top: 0, itemGap: narrow ? 8 : 16, textStyle: { color: c.text, fontSize: font } },
      grid: { left: 8, right: 48, top: narrow ? 56 : 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      xAxis: { type: "value", max: 100, interval: 25, axisLabel: { formatter: "{value}%", color: c.text, fontSize: font }, splitLine: { lineStyle: { color: c.split } } },
      yAxis: { type: "category", inverse: true, data: d.labels, axisLabel: { color: c.text, fontSize: font, width: big ? 200 : (box.clientWidth < 500 ? 110 : 170), overflow: "truncate" }, axisLine: { lineStyle: { color: c.axis } } },
      series: [
        { name: d.previous_name, type: "bar", data: d.previous, barMaxWidth: big ? 18 : 12, itemStyle: { color: c.before, borderRadius: [0, 3, 3, 0] } },
        { name: d.current_name, type: "bar", data: d.current, barMaxWidth: big ? 18 : 12, itemStyle: { color: c.now, borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: "right", color: c.text, fontSize: font, formatter: function (p) { return p.value == null ? "—" : p.value + "%"; } } }
      ]
    });
  }

  function children(dark, big) {
    var box = document.getElementById("dash-children-chart");
    var d = data("dash-children-data");
    if (!box || !d || !d.series.length) return;
    var c = palette(dark);
    var font = big ? 16 : 12;
    var chart = init(box, dark);
    function show(index) {
      var s = d.series[index];
      chart.setOption({
        backgroundColor: "transparent", animation: false,
        grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v == null ? "—" : v + s.unit; } },
        xAxis: { type: "category", data: d.labels, axisLabel: { color: c.text, fontSize: font, interval: 0, rotate: d.labels.length > 6 ? 30 : 0, width: 96, overflow: "truncate" }, axisLine: { lineStyle: { color: c.axis } } },
        yAxis: { type: "value", max: s.rate ? 100 : null, minInterval: s.rate ? 0 : 1, axisLabel: { color: c.text, fontSize: font, formatter: s.rate ? "{value}%" : "{value}" }, splitLine: { lineStyle: { color: c.split } } },
        series: [{ name: s.name, type: "bar", data: s.values, barMaxWidth: big ? 56 : 40, cursor: "pointer",
          itemStyle: { color: c.bar, borderRadius: [3, 3, 0, 0] },
          label: { show: true, position: "top", color: c.text, fontSize: font, formatter: function (p) { return p.value == null ? "—" : p.value + s.unit; } } }]
      }, true);
    }
    show(0);
    chart.on("click", function (p) { if (d.links && d.links[p.dataIndex]) window.location.href = d.links[p.dataIndex]; });
    var buttons = document.querySelectorAll(".chart-switch button");
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        Array.prototype.forEach.call(buttons, function (o) { o.classList.remove("active"); o.setAttribute("aria-pressed", "false"); });
        b.classList.add("active");
        b.setAttribute("aria-pressed", "true");
        show(parseInt(b.getAttribute("data-index"), 10));
      });
    });
  }

  function draw() {
    if (typeof window.echarts === "undefined") return;
    var dark = !!document.querySelector(".screen[data-theme=dark]");
    var big = dark && window.innerWidth >= 1600;
    sections(dark, big);
    children(dark, big);
    window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
