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
    ["Confirmed", c.confirmedBy ? `by ${c.confirmedBy} at ${c.confirmedAt}` : ""],
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

document.addEventListener("DOMContentLoaded", () => cww.guard(loadCase));
