"use strict";
// A counted case as the campaign office sees it: the official, when and where, the evidence photos. The server
// refuses (403) any case that is not counted against an official, so this page only ever shows officials' cases.
async function loadCase() {
  const section = document.getElementById("case");
  const c = await cww.api("GET", `/api/office/cases/${encodeURIComponent(section.dataset.case)}`);
  document.getElementById("back").href = `/office?year=${c.year}`;
  const official = `${c.official.name || c.official.id} (${c.official.id})`;
  const facts = [
    ["Official", official],
    ["Department", c.official.department],
    ["Cadre-management authority", c.official.authority],
    ["Plate", c.plate ?? ""],
    ["Time", `${c.local} (site time)`],
    ["Place", [c.site, c.place].filter(Boolean).join(", ")],
    ["Camera", `${c.camera}${c.direction ? `, ${c.direction}` : ""}${c.lane ? `, lane ${c.lane}` : ""}`],
    ["Confirmed", `by ${c.confirmations} reviewer(s)${c.confirmedBy ? `: ${c.confirmedBy}` : ""}${c.confirmedAt ? `, last at ${c.confirmedAt}` : ""}`],
    ["Evidence", c.evidence],
    ["Notices reached", c.notices.length === 0 ? "none" : c.notices.map(n => `no. ${n.ordinal} (${n.window})`).join(", ")],
  ];
  section.querySelector("dl").replaceChildren(...facts.flatMap(([term, value]) => [
    cww.el("dt", {}, term),
    cww.el("dd", { class: term === "Evidence" ? (c.evidenceIntact ? "ok" : "warn") : null }, value),
  ]));
  document.querySelector("#photos .photos").replaceChildren(...(c.photos.length === 0
    ? [cww.el("p", { class: "muted" }, "The evidence package holds no photos.")]
    : c.photos.map(p => cww.el("figure", { class: p.name.replace(/\.jpg$/, "") },
      cww.el("a", { href: p.url, target: "_blank", rel: "noopener" }, cww.el("img", { src: p.url, alt: `Photo ${p.caption}`, loading: "lazy" })),
      cww.el("figcaption", {}, p.caption)))));
  document.body.dataset.loaded = "true";
}

async function object(event) {
  event.preventDefault();
  const id = document.getElementById("case").dataset.case;
  await cww.guard(async () => {
    const done = await cww.api("POST", `/api/office/cases/${encodeURIComponent(id)}/objection`, { reason: event.target.reason.value });
    const status = document.getElementById("objection-status");
    const withdrawn = done.withdrawn.length ? ` Withdrawn: ${done.withdrawn.map(n => `notice no. ${n.ordinal} (${n.window})`).join(", ")}.` : "";
    status.textContent = `${done.message}.${withdrawn}`;
    status.hidden = false;
    event.target.hidden = true;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("objection-form").addEventListener("submit", object);
  cww.guard(loadCase);
});
