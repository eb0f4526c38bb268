"use strict";
// Camera health as both operator pages show it: a state badge, "how long ago", and where the health comes from.
const operatorHealth = {
  // A camera's state (as the API names it) in the page's language.
  states: {
    idle: cww.t("operator.state.idle"),
    connecting: cww.t("operator.state.connecting"),
    streaming: cww.t("operator.state.streaming"),
    stalled: cww.t("operator.state.stalled"),
    reconnecting: cww.t("operator.state.reconnecting"),
    ended: cww.t("operator.state.ended"),
    failed: cww.t("operator.state.failed"),
    stopped: cww.t("operator.state.stopped"),
  },

  state(name) { return operatorHealth.states[name] ?? name; },

  // The view check's states (as the health names them): moved and blocked cameras produce no candidates.
  views: {
    ok: cww.t("operator.view.ok"),
    learning: cww.t("operator.view.learning"),
    moved: cww.t("operator.view.moved"),
    blocked: cww.t("operator.view.blocked"),
    blurred: cww.t("operator.view.blurred"),
    exposure: cww.t("operator.view.exposure"),
  },

  // A badge for a view state (null for a camera not checked), why it is so in its title.
  viewBadge(view, detail) {
    if (!view || view === "unchecked") { return null; }
    const tone = view === "moved" || view === "blocked" ? "bad" : view === "ok" ? "good" : view === "learning" ? "quiet" : "trouble";
    return cww.el("span", { class: `state ${tone}`, "data-view-state": view, title: detail ?? "" }, operatorHealth.views[view] ?? view);
  },

  // streaming is good; connecting, stalled and reconnecting are trouble; failed is bad; the rest is quiet.
  badge(camera) {
    const h = camera.health;
    if (!camera.enabled) { return cww.el("span", { class: "state quiet" }, cww.t("operator.state.disabled")); }
    if (!h) { return cww.el("span", { class: "state quiet", title: cww.t("operator.state.noHealthTitle") }, cww.t("operator.state.noHealth")); }
    const tone = h.stale ? "quiet"
      : h.state === "streaming" ? "good"
      : ["connecting", "stalled", "reconnecting"].includes(h.state) ? "trouble"
      : h.state === "failed" ? "bad" : "quiet";
    const state = operatorHealth.state(h.state);
    return cww.el("span", { class: `state ${tone}`, title: h.stale ? cww.t("operator.state.staleTitle") : cww.t("operator.state.since", { time: cww.local(h.stateSince) }) },
      h.stale ? cww.t("operator.state.stale", { state }) : state);
  },

  ago(iso, now = Date.now()) {
    if (!iso) { return cww.t("operator.ago.never"); }
    const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
    const text = seconds < 90 ? cww.t("operator.ago.seconds", { n: seconds })
      : seconds < 5400 ? cww.t("operator.ago.minutes", { n: Math.round(seconds / 60) })
      : cww.t("operator.ago.hours", { n: Math.round(seconds / 3600) });
    return cww.el("time", { datetime: iso, title: cww.local(iso) }, text);
  },

  // Where the health comes from, and a warning when it is stale or missing (the server says both in the page's language).
  source(report, box) {
    box.classList.toggle("stale", !!report.stale);
    box.classList.toggle("muted", !report.stale);
    const text = report.problem ? cww.t("operator.health.problem", { problem: report.problem })
      : report.writtenAt ? cww.t("operator.health.sourceAsOf", { source: report.source, time: cww.time(report.writtenAt) })
      : cww.t("operator.health.source", { source: report.source });
    box.textContent = /[.?!。？！]$/.test(text) ? text : text + cww.t("operator.fullStop");
  },

  // A text whose values may be elements (a <time>): its pieces, each {name} replaced by its value, for cww.el.
  pieces(key, values) {
    return cww.t(key).split(/(\{\w+\})/).filter(p => p !== "").map(p => {
      const name = /^\{(\w+)\}$/.exec(p)?.[1];
      return name !== undefined && name in values ? values[name] : p;
    });
  },
};
