"use strict";
// The operator's cameras: each configured camera with its health, refreshed every 5 s; a row opens the camera.
async function loadCameras() {
  const data = await cww.api("GET", "/api/cameras");
  operatorHealth.source(data.health, document.getElementById("health-source"));
  const rows = data.cameras.map(c => {
    const h = c.health ?? {};
    const link = cww.el("a", { href: `/operator/cameras/${encodeURIComponent(c.id)}` }, c.id);
    return cww.el("tr", { "data-camera": c.id, class: h.stale ? "stale" : undefined },
      cww.el("th", { scope: "row" }, link),
      cww.el("td", {}, c.place || "", c.direction ? cww.el("div", { class: "muted" }, c.direction) : ""),
      // The camera's state, and under it a fault of its view (moved and blocked cameras produce no candidates).
      cww.el("td", { class: "state-cell" }, operatorHealth.badge(c),
        ["moved", "blocked", "blurred", "exposure"].includes(h.view) ? cww.el("div", {}, operatorHealth.viewBadge(h.view, h.viewDetail)) : ""),
      cww.el("td", { class: "number fps" }, c.health ? h.fps.toFixed(1) : "–"),
      cww.el("td", { class: "number" }, c.health ? String(h.frames) : "–"),
      cww.el("td", { class: "number" }, c.health ? String(h.drops) : "–"),
      cww.el("td", { class: "number" }, c.health ? String(h.reconnects) : "–"),
      cww.el("td", {}, c.health ? operatorHealth.ago(h.lastFrameAt) : "–"),
      cww.el("td", { class: "error-text" }, h.lastError ? [h.lastError, cww.el("div", { class: "muted" }, operatorHealth.ago(h.lastErrorAt))] : ""),
      cww.el("td", {}, c.sceneName ?? cww.el("span", { class: "muted" }, cww.t("operator.none"))));
  });
  const body = document.querySelector("#cameras tbody");
  body.replaceChildren(...(rows.length ? rows : [cww.el("tr", {}, cww.el("td", { colspan: "10", class: "muted" }, cww.t("operator.cameras.none")))]));
}

// The push of confirmed cases (push.url): shown only when it is configured; each dead letter with its reason.
async function loadPush() {
  const push = await cww.api("GET", "/api/push");
  const section = document.getElementById("push");
  section.hidden = !push.on;
  if (!push.on) { return; }
  const dead = push.dead.length;
  document.getElementById("push-summary").textContent = cww.t(
    dead === 0 ? "operator.push.summary.none" : dead === 1 ? "operator.push.summary.one" : "operator.push.summary.many",
    { endpoint: push.endpoint, delivered: push.delivered, waiting: push.waiting, dead });
  document.getElementById("push-dead").replaceChildren(...push.dead.map(d =>
    cww.el("li", { "data-case": d.caseId }, cww.t("operator.push.dead", { caseId: d.caseId, time: d.deadAt, attempts: d.attempts, error: d.error }))));
}

document.addEventListener("DOMContentLoaded", () => {
  cww.guard(loadCameras);
  cww.guard(loadPush);
  setInterval(() => { cww.guard(loadCameras); cww.guard(loadPush); }, 5000);
});
