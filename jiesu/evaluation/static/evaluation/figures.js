// The figures pages' charts (ECharts from the npm build) and the period filter. The data comes from json_script
// blocks named by each chart's data-source; nothing inline (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  const FONT = getComputedStyle(document.body).fontFamily;
  const COLOURS = ["#1d4f91", "#1f7a4d", "#c2410c", "#7c3aed", "#9a6700"];

  function data(el) {
    const source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function trend(d) {
    const counts = d.series.filter((s) => s.kind === "count");
    const rates = d.series.filter((s) => s.kind === "rate");
    return {
      color: COLOURS,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 56, top: 48, bottom: 28 },
      xAxis: { type: "category", data: d.days },
      yAxis: [
        { type: "value", name: counts.length ? counts[0].name : "", minInterval: 1 },
        ...(rates.length ? [{ type: "value", name: "%", min: 0, max: 100, splitLine: { show: false } }] : []),
      ],
      series: [
        ...counts.map((s) => ({ name: s.name, type: "bar", data: s.data, barMaxWidth: 24 })),
        ...rates.map((s) => ({ name: s.name, type: "line", yAxisIndex: 1, data: s.data, connectNulls: false,
          symbolSize: 6, tooltip: { valueFormatter: (v) => (v == null ? "—" : v + "%") } })),
      ],
    };
  }

  function bars(d) {
    return {
      color: COLOURS,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.labels.slice().reverse(), axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ name: d.name, type: "bar", data: d.data.slice().reverse(), barMaxWidth: 18,
        label: { show: true, position: "right" } }],
    };
  }

  function draw() {
    if (!window.echarts) return;
    const charts = [];
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const d = data(el);
      if (!d) return;
      if (el.dataset.chart === "bars") el.classList.add("fig-rows-" + Math.min(d.labels.length, 12));
      const chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(el.dataset.chart === "trend" ? trend(d) : bars(d));
      charts.push(chart);
    });
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  }

  // The period filter: a day for month/week/day, from–to for a range of days.
  function periodFields() {
    const select = document.getElementById("fig-period");
    if (!select) return;
    const show = () => {
      const range = select.value === "range";
      document.querySelectorAll(".fig-range").forEach((el) => { el.hidden = !range; });
      document.querySelectorAll(".fig-on").forEach((el) => { el.hidden = range; });
    };
    select.addEventListener("change", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", () => { periodFields(); draw(); });
})();
