"use strict";
// The operators' Statistics page: each camera's numbers per day (as cww stats counts them) drawn with charts.js —
// cases, confirmed and rejected as bars, the validity rate as a line against review.minValidity, the hours streaming
// as bars — the cameras to re-tune with their most common rejection reasons, and the CSV of the same days. The period
// and camera are in the address (?from=&to=&camera=), so a reload or a shared link shows the same numbers.
const stats = {
  query() {
    const q = new URLSearchParams(location.search);
    const out = new URLSearchParams();
    for (const key of ["from", "to", "camera"]) {
      if (q.get(key)) { out.set(key, q.get(key)); }
    }
    return out;
  },

  percent(v) {
    return v === null || v === undefined ? "–" : `${Math.round(v * 100)}%`;
  },

  // A rejection reason in the page's words (the police texts name them), the reason itself where none does.
  reason(r) {
    const key = `police.rejectReason.${r}`;
    const text = cww.t(key);
    return text === key ? r : text;
  },

  reasons(list) {
    return list.map(r => `${stats.reason(r.reason)} (${r.count})`).join(cww.lang === "en" ? ", " : "、");
  },

  // Every day from first to last (yyyy-MM-dd), both included.
  everyDay(first, last) {
    const days = [];
    for (let d = new Date(`${first}T00:00:00Z`); d <= new Date(`${last}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      days.push(d.toISOString().slice(0, 10));
    }
    return days;
  },

  sum(days, key) {
    return days.reduce((total, d) => total + (d[key] ?? 0), 0);
  },

  // One camera's card: its totals, then the three charts.
  camera(id, rows, days, data) {
    const card = cww.el("section", { class: "card camera-stats", "data-camera": id }, cww.el("h2", {}, id));
    if (rows.length === 0) {
      card.append(cww.el("p", { class: "muted" }, cww.t("operator.stats.camera.none")));
      return card;
    }
    const confirmed = stats.sum(rows, "confirmed");
    const rejected = stats.sum(rows, "rejected");
    card.append(cww.el("p", { class: "totals" }, cww.t("operator.stats.camera.totals", {
      cases: stats.sum(rows, "candidates"), confirmed, rejected,
      validity: stats.percent(confirmed + rejected === 0 ? null : confirmed / (confirmed + rejected)),
      hours: stats.sum(rows, "hoursStreaming").toFixed(1),
    })));
    // A series of the rows' field, on the days where it is known (the validity rate needs a decision, the hours a record).
    const series = (key, field = key) => ({
      key, label: cww.t(`operator.stats.series.${key}`),
      values: Object.fromEntries(rows.filter(r => r[field] !== null && r[field] !== undefined).map(r => [r.day, r[field]])),
    });
    const title = (day, label, value) => cww.t("operator.stats.point", { day, series: label, value });

    const cases = ["candidates", "confirmed", "rejected"].map(key => series(key));
    const most = Math.max(1, ...rows.map(r => r.candidates));
    const casesChart = charts.draw(days, cases, { kind: "bars", max: most, format: v => String(Math.round(v * 10) / 10), label: cww.t("operator.stats.chart.cases"), title });
    casesChart.classList.add("cases");

    const validity = [series("validity")];
    const validityChart = charts.draw(days, validity, {
      kind: "line", max: 1, format: stats.percent, label: cww.t("operator.stats.chart.validity"), title,
      threshold: { value: data.minValidity, label: cww.t("operator.stats.threshold", { min: stats.percent(data.minValidity) }) },
    });
    validityChart.classList.add("validity");

    const hours = [series("hours", "hoursStreaming")];
    const hoursChart = charts.draw(days, hours, { kind: "bars", max: 24, format: v => String(Math.round(v * 10) / 10), label: cww.t("operator.stats.chart.hours"), title });
    hoursChart.classList.add("hours");

    card.append(cww.el("div", { class: "charts" },
      cww.el("div", {}, cww.el("h3", {}, cww.t("operator.stats.chart.cases")), charts.legend(cases), casesChart),
      cww.el("div", {}, cww.el("h3", {}, cww.t("operator.stats.chart.validity")), charts.legend(validity), validityChart),
      cww.el("div", {}, cww.el("h3", {}, cww.t("operator.stats.chart.hours")), charts.legend(hours), hoursChart)));
    return card;
  },
};

async function loadStats() {
  const query = stats.query();
  const data = await cww.api("GET", `/api/stats?${query}`);
  document.getElementById("from").value = data.from;
  document.getElementById("to").value = data.to;
  const select = document.getElementById("camera");
  select.replaceChildren(select.options[0], ...data.cameras.map(id => cww.el("option", { value: id }, id)));
  select.value = query.get("camera") ?? "";
  const csv = new URLSearchParams({ from: data.from, to: data.to });
  if (query.get("camera")) { csv.set("camera", query.get("camera")); }
  document.getElementById("csv").href = `/api/stats.csv?${csv}`;

  document.getElementById("summary").textContent = cww.t("operator.stats.summary", {
    from: data.from, to: data.to, zone: data.zone,
    cases: stats.sum(data.days, "candidates"), confirmed: stats.sum(data.days, "confirmed"), rejected: stats.sum(data.days, "rejected"), waiting: stats.sum(data.days, "waiting"),
  });
  const min = stats.percent(data.minValidity);
  document.querySelector("#flags ul").replaceChildren(...(data.flags.length
    ? data.flags.map(f => cww.el("li", { class: "flag", "data-camera": f.camera }, cww.t("operator.stats.flags.flag", {
      camera: f.camera, validity: stats.percent(f.validity), decided: f.decided, to: data.to, min, reasons: stats.reasons(f.topReasons),
    })))
    : [cww.el("li", { class: "muted" }, cww.t("operator.stats.flags.none", { min, to: data.to, decided: data.minDecided }))]));

  const days = stats.everyDay(data.from, data.to);
  const shown = query.get("camera") ? [query.get("camera")] : data.cameras;
  document.getElementById("cameras").replaceChildren(...shown.map(id => stats.camera(id, data.days.filter(d => d.camera === id), days, data)));
}

document.addEventListener("DOMContentLoaded", () => cww.guard(loadStats));
