"use strict";
// Small SVG charts drawn in the page (no library, nothing from another host): bars per day, one group of bars per
// day with one bar per series, or a line per series, over every day of a period; an optional dashed threshold.
// Each bar is <rect class="bar SERIES" data-day data-value>, each point <circle class="point SERIES">, each with a
// <title> that says its day and value; colours come from the page's stylesheet (classes), not from here.
const charts = {
  width: 760,
  height: 190,
  margin: { top: 12, right: 12, bottom: 34, left: 46 },

  svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== undefined && v !== null) { node.setAttribute(k, v); }
    }
    node.append(...children);
    return node;
  },

  // days: every day of the period (yyyy-MM-dd); series: [{ key, label, values: { day: number } }] (a day missing from
  // values has no bar or point); options: { kind: "bars" | "line", max, format(value), threshold: { value, label }, title(day, series, value) }.
  draw(days, series, options) {
    const { width, height, margin } = charts;
    const plotWidth = width - margin.left - margin.right;
    const plotHeight = height - margin.top - margin.bottom;
    const format = options.format ?? String;
    const max = options.max || 1;
    const band = plotWidth / Math.max(days.length, 1);
    const x = i => margin.left + i * band;
    const y = v => margin.top + plotHeight - (Math.min(v, max) / max) * plotHeight;
    const chart = charts.svg("svg", { class: `chart ${options.kind}`, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": options.label });

    // The value axis: 0, half and the top, with grid lines.
    for (const v of [0, max / 2, max]) {
      chart.append(charts.svg("line", { class: "grid", x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v) }),
        charts.svg("text", { class: "axis", x: margin.left - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)));
    }
    // The days, as yyyy-MM-dd, as many as fit.
    const every = Math.ceil(78 / band);
    days.forEach((day, i) => {
      if (i % every === 0) {
        chart.append(charts.svg("text", { class: "axis", x: x(i) + band / 2, y: height - margin.bottom + 16, "text-anchor": "middle" }, day));
      }
    });

    if (options.kind === "bars") {
      const width1 = (band * 0.8) / series.length;
      series.forEach((s, n) => days.forEach((day, i) => {
        if (!(day in s.values)) { return; }
        const v = s.values[day];
        chart.append(charts.svg("rect", { class: `bar ${s.key}`, "data-day": day, "data-value": v, x: x(i) + band * 0.1 + n * width1, y: y(v), width: Math.max(width1 - 1, 1), height: y(0) - y(v) },
          charts.svg("title", {}, options.title(day, s.label, format(v)))));
      }));
    } else {
      for (const s of series) {
        const points = days.map((day, i) => [day, i]).filter(([day]) => day in s.values);
        chart.append(charts.svg("polyline", { class: `line ${s.key}`, points: points.map(([day, i]) => `${x(i) + band / 2},${y(s.values[day])}`).join(" ") }));
        for (const [day, i] of points) {
          chart.append(charts.svg("circle", { class: `point ${s.key}`, "data-day": day, "data-value": s.values[day], cx: x(i) + band / 2, cy: y(s.values[day]), r: 3.5 },
            charts.svg("title", {}, options.title(day, s.label, format(s.values[day])))));
        }
      }
    }

    if (options.threshold) {
      const t = options.threshold;
      chart.append(charts.svg("line", { class: "threshold", x1: margin.left, x2: width - margin.right, y1: y(t.value), y2: y(t.value) }),
        charts.svg("text", { class: "threshold-label", x: width - margin.right - 4, y: y(t.value) - 4, "text-anchor": "end" }, t.label));
    }
    return chart;
  },

  // The legend of series: a swatch of each series' class and its label.
  legend(series) {
    return cww.el("ul", { class: "chart-legend" }, ...series.map(s => cww.el("li", {}, cww.el("span", { class: `swatch ${s.key}` }), s.label)));
  },
};
