"use strict";
// Camera health as both operator pages show it: a state badge, "how long ago", and where the health comes from.
const operatorHealth = {
  // streaming is good; connecting, stalled and reconnecting are trouble; failed is bad; the rest is quiet.
  badge(camera) {
    const h = camera.health;
    if (!camera.enabled) { return cww.el("span", { class: "state quiet" }, "disabled"); }
    if (!h) { return cww.el("span", { class: "state quiet", title: "the edge box says nothing of this camera" }, "no health"); }
    const tone = h.stale ? "quiet"
      : h.state === "streaming" ? "good"
      : ["connecting", "stalled", "reconnecting"].includes(h.state) ? "trouble"
      : h.state === "failed" ? "bad" : "quiet";
    return cww.el("span", { class: `state ${tone}`, title: h.stale ? "the last known state: the health is stale" : `since ${cww.local(h.stateSince)}` },
      h.stale ? `${h.state} (stale)` : h.state);
  },

  ago(iso, now = Date.now()) {
    if (!iso) { return "never"; }
    const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
    const text = seconds < 90 ? `${seconds} s ago` : seconds < 5400 ? `${Math.round(seconds / 60)} min ago` : `${Math.round(seconds / 3600)} h ago`;
    return cww.el("time", { datetime: iso, title: cww.local(iso) }, text);
  },

  // Where the health comes from, and a warning when it is stale or missing.
  source(report, box) {
    box.classList.toggle("stale", !!report.stale);
    box.classList.toggle("muted", !report.stale);
    const when = report.writtenAt ? ` (as of ${new Date(report.writtenAt).toLocaleTimeString()})` : "";
    const text = report.problem ? `Health: ${report.problem}` : `Health: ${report.source}${when}`;
    box.textContent = /[.?!]$/.test(text) ? text : `${text}.`;
  },
};
