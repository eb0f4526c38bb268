"use strict";
// Every edge box as the central site last heard it, refreshed every 5 s: silent ones marked, cameras not streaming named.
const disks = { writing: cww.t("operator.boxes.disk.writing"), diskFull: cww.t("operator.boxes.disk.diskFull") };

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
      ...b.cameras.filter(c => c.state !== "streaming").map(c => cww.el("div", { class: "muted", "data-camera": c.id }, `${c.id}: ${operatorHealth.state(c.state)}`))),
    cww.el("td", {}, b.evidenceState ? cww.t("operator.boxes.diskFree", { state: disks[b.evidenceState] ?? b.evidenceState, free: b.freeMegabytes }) : "–"),
    cww.el("td", {}, b.version ?? "–")));
  document.querySelector("#boxes tbody").replaceChildren(...(rows.length ? rows : [cww.el("tr", {}, cww.el("td", { colspan: "6", class: "muted" }, cww.t("operator.boxes.none")))]));
}

document.addEventListener("DOMContentLoaded", () => {
  cww.guard(loadBoxes);
  setInterval(() => cww.guard(loadBoxes), 5000);
});
