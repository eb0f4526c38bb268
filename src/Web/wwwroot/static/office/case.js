"use strict";
// A counted case as the campaign office sees it: the official, when and where, the evidence photos. The server
// refuses (403) any case that is not counted against an official, so this page only ever shows officials' cases.

// A window as notices name it ("2026", "365d to 2026-05-03") in the page's words.
function windowName(label) {
  return label.startsWith("365d to ") ? cww.t("office.window.rolling", { day: label.slice("365d to ".length) }) : cww.t("office.window.calendar", { year: label });
}

async function loadCase() {
  const section = document.getElementById("case");
  const c = await cww.api("GET", `/api/office/cases/${encodeURIComponent(section.dataset.case)}`);
  document.getElementById("back").href = `/office?year=${c.year}`;
  const separator = cww.t("office.separator");
  const reviewers = c.confirmedBy
    ? cww.t("office.fact.confirmedByNames", { count: c.confirmations, names: c.confirmedBy })
    : cww.t("office.fact.confirmedBy", { count: c.confirmations });
  const facts = [
    [cww.t("office.column.official"), cww.t("office.official", { name: c.official.name || c.official.id, id: c.official.id })],
    [cww.t("office.column.department"), c.official.department],
    [cww.t("office.column.authority"), c.official.authority],
    [cww.t("office.fact.plate"), c.plate ?? ""],
    [cww.t("office.fact.time"), cww.t("office.fact.siteTime", { time: c.local })],
    [cww.t("office.fact.place"), [c.site, c.place].filter(Boolean).join(separator)],
    [cww.t("office.fact.camera"), [c.camera, c.direction, c.lane ? cww.t("office.fact.lane", { lane: c.lane }) : ""].filter(Boolean).join(separator)],
    [cww.t("office.fact.confirmed"), c.confirmedAt ? cww.t("office.fact.confirmedLast", { confirmed: reviewers, at: c.confirmedAt }) : reviewers],
    [cww.t("office.fact.evidence"), c.evidence, c.evidenceIntact ? "ok" : "warn"],
    [cww.t("office.fact.notices"), c.notices.length === 0
      ? cww.t("office.fact.noNotice")
      : c.notices.map(n => cww.t("office.fact.notice", { ordinal: n.ordinal, window: windowName(n.window) })).join(separator)],
  ];
  section.querySelector("dl").replaceChildren(...facts.flatMap(([term, value, state]) => [
    cww.el("dt", {}, term),
    cww.el("dd", { class: state }, value),
  ]));
  document.querySelector("#photos .photos").replaceChildren(...(c.photos.length === 0
    ? [cww.el("p", { class: "muted" }, cww.t("office.case.noPhotos"))]
    : c.photos.map(p => cww.el("figure", { class: p.name.replace(/\.jpg$/, "") },
      cww.el("a", { href: p.url, target: "_blank", rel: "noopener" }, cww.el("img", { src: p.url, alt: cww.t("office.case.photoAlt", { caption: p.caption }), loading: "lazy" })),
      cww.el("figcaption", {}, p.caption)))));
  document.body.dataset.loaded = "true";
}

async function object(event) {
  event.preventDefault();
  const id = document.getElementById("case").dataset.case;
  await cww.guard(async () => {
    const done = await cww.api("POST", `/api/office/cases/${encodeURIComponent(id)}/objection`, { reason: event.target.reason.value });
    const status = document.getElementById("objection-status");
    const withdrawn = done.withdrawn.map(n => cww.t("office.objection.withdrawnNotice", { ordinal: n.ordinal, window: windowName(n.window) })).join(cww.t("office.separator"));
    status.textContent = withdrawn
      ? cww.t("office.objection.doneWithdrawn", { message: done.message, notices: withdrawn })
      : cww.t("office.objection.done", { message: done.message });
    status.hidden = false;
    event.target.hidden = true;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("objection-form").addEventListener("submit", object);
  cww.guard(loadCase);
});
