"use strict";
// Every edge box as the central site last heard it, refreshed every 5 s: silent ones marked, cameras not streaming named.
const disks = { writing: cww.t("operator.boxes.disk.writing"), diskFull: cww.t("operator.boxes.disk.diskFull"), clockHeld: cww.t("operator.boxes.disk.clockHeld") };

// The box's clock offset against its NTP servers; above its limit (clock.maxOffsetMs) marked as an error.
function clockCell(clock) {
  if (!clock) { return cww.el("td", {}, "–"); }
  if (clock.offsetMs === null || clock.offsetMs === undefined || clock.state === "unknown" || clock.state === "notChecked") {
    return cww.el("td", { class: "muted", "data-clock": clock.state }, cww.t(clock.state === "notChecked" ? "operator.boxes.clock.notChecked" : "operator.boxes.clock.unknown"));
  }
  const offset = (clock.offsetMs > 0 ? "+" : "") + clock.offsetMs;
  return cww.el("td", { "data-clock": clock.state }, clock.error
    ? cww.el("span", { class: "state bad", title: cww.t("operator.boxes.clock.errorTitle", { max: clock.maxOffsetMs }) },
      cww.t(clock.state === "holding" ? "operator.boxes.clock.holding" : "operator.boxes.clock.off", { offset }))
    : cww.t("operator.boxes.clock.ok", { offset }));
}

// The detector's load: the detection fps achieved over the box's judged cameras against the configured, overloaded marked.
function detectorCell(detector) {
  if (!detector) { return cww.el("td", { class: "muted" }, "–"); }
  const fps = cww.t("operator.boxes.detectorFps", { achieved: detector.achievedFps.toFixed(1), configured: detector.configuredFps.toFixed(1), cameras: detector.cameras });
  return cww.el("td", { "data-detector": detector.overloaded ? "overloaded" : "ok" }, detector.overloaded
    ? [cww.el("span", { class: "state bad", title: cww.t("operator.boxes.overloadedTitle") }, cww.t("operator.boxes.overloaded")), " ", fps]
    : fps);
}

async function loadBoxes() {
  const data = await cww.api("GET", "/api/boxes");
  const silent = data.boxes.filter(b => b.silent).length;
  document.getElementById("boxes-summary").textContent = cww.t("operator.boxes.summary", { count: data.boxes.length, silent });
  const rows = data.boxes.map(b => cww.el("tr", { "data-box": b.site, class: b.silent ? "stale" : undefined },
    cww.el("th", { scope: "row" }, b.site),
    cww.el("td", {}, cww.t("operator.boxes.ago", { time: b.lastHeard, seconds: b.secondsAgo })),
    cww.el("td", { class: "state-cell" }, b.silent
      ? cww.el("span", { class: "state bad", title: cww.t("operator.boxes.silentTitle", { seconds: data.silentSeconds }) }, cww.t("operator.boxes.silent"))
      : cww.el("span", { class: "state good" }, cww.t("operator.boxes.ok"))),
    cww.el("td", {}, cww.t("operator.boxes.streaming", { streaming: b.streaming, all: b.cameras.length }),
      ...b.cameras.filter(c => c.state !== "streaming").map(c => cww.el("div", { class: "muted", "data-camera": c.id }, `${c.id}: ${operatorHealth.state(c.state)}`)),
      // Cameras whose view check finds a fault: moved and blocked ones produce no candidates.
      ...(b.views ?? []).map(v => cww.el("div", { "data-view": v.id }, `${v.id}: `, operatorHealth.viewBadge(v.view, v.detail)))),
    detectorCell(b.detector),
    cww.el("td", {}, b.evidenceState ? cww.t("operator.boxes.diskFree", { state: disks[b.evidenceState] ?? b.evidenceState, free: b.freeMegabytes }) : "–",
      b.backlog ? cww.el("div", { class: "muted", "data-backlog": b.backlog }, cww.t("operator.boxes.backlog", { count: b.backlog })) : ""),
    clockCell(b.clock),
    cww.el("td", {}, b.version ?? "–")));
  document.querySelector("#boxes tbody").replaceChildren(...(rows.length ? rows : [cww.el("tr", {}, cww.el("td", { colspan: "8", class: "muted" }, cww.t("operator.boxes.none")))]));
}

document.addEventListener("DOMContentLoaded", () => {
  cww.guard(loadBoxes);
  setInterval(() => cww.guard(loadBoxes), 5000);
});
