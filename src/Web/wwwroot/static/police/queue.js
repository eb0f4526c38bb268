"use strict";
// The review queue: cases oldest first, filtered by status, camera and day; j/k or the arrows move, Enter opens.
const queue = { cases: [], selected: 0 };

function filtersFromUrl() {
  const q = new URLSearchParams(location.search);
  return { status: q.get("status") || "candidate", camera: q.get("camera") || "", from: q.get("from") || "", to: q.get("to") || "" };
}

function queryOf(filters) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) {
    if (v) { q.set(k, v); }
  }
  return q.toString();
}

function officialText(c) {
  if (c.official) { return `${c.official.name} (${c.official.department})`; }
  if (c.suggestions > 0) { return `${c.suggestions} suggestion${c.suggestions > 1 ? "s" : ""}`; }
  return "—";
}

function select(index) {
  const rows = document.querySelectorAll("#queue tbody tr");
  if (rows.length === 0) { return; }
  queue.selected = Math.max(0, Math.min(rows.length - 1, index));
  rows.forEach((row, i) => {
    row.classList.toggle("selected", i === queue.selected);
    row.setAttribute("aria-selected", i === queue.selected ? "true" : "false");
  });
  rows[queue.selected].scrollIntoView({ block: "nearest" });
}

function openCase(index) {
  const c = queue.cases[index];
  if (c) {
    const query = queryOf(filtersFromUrl());
    location.href = `/review/${encodeURIComponent(c.caseId)}${query ? "?" + query : ""}`;
  }
}

async function load() {
  const filters = filtersFromUrl();
  const form = document.getElementById("filters");
  form.status.value = filters.status;
  form.from.value = filters.from;
  form.to.value = filters.to;
  const data = await cww.api("GET", `/api/cases?${queryOf(filters)}`);

  const cameras = document.getElementById("filter-camera");
  cameras.replaceChildren(cww.el("option", { value: "" }, "every camera"), ...data.cameras.map(id => cww.el("option", { value: id }, id)));
  cameras.value = filters.camera;

  const n = data.counts;
  document.getElementById("counts").replaceChildren(
    cww.el("span", { class: "badge status-candidate" }, `${n.candidate} to review`), " ",
    cww.el("span", { class: "badge status-confirmed" }, `${n.confirmed} confirmed`), " ",
    cww.el("span", { class: "badge status-rejected" }, `${n.rejected} rejected`), " ",
    cww.el("span", { class: "muted" }, `${n.all} in all${filters.camera ? ` on camera ${filters.camera}` : ""}${filters.from || filters.to ? ` from ${filters.from || "the start"} to ${filters.to || "today"}` : ""} (${data.timeZone})`),
    data.truncated ? cww.el("span", { class: "warn" }, " — only the oldest are listed: narrow the filters") : "",
    // The confirmed cases of the chosen days for the police platform (cww export): needs both days.
    filters.from && filters.to
      ? cww.el("a", { id: "export", href: `/api/cases/export?${queryOf({ camera: filters.camera, from: filters.from, to: filters.to })}` }, " Export the confirmed cases (zip)")
      : cww.el("span", { class: "muted" }, " (choose From and To to export the confirmed cases)"));

  queue.cases = data.cases;
  document.querySelector("#queue tbody").replaceChildren(...data.cases.map((c, i) => {
    const row = cww.el("tr", { "data-case": c.caseId, tabindex: "-1" },
      cww.el("td", {}, c.eventLocal),
      cww.el("td", {}, c.cameraId),
      // A turning vehicle came from the side, not through a stop line: its movement (naming the approach) as the case page says it.
      cww.el("td", {}, `${c.lane} · ${c.movementText ?? c.approach}`),
      cww.el("td", { class: "plate-text" }, c.plate ?? "(no plate)"),
      cww.el("td", {}, officialText(c)),
      cww.el("td", {}, cww.el("span", { class: `badge status-${c.status}` }, c.status), c.decidedBy ? cww.el("span", { class: "muted" }, ` by ${c.decidedBy}`) : ""),
      cww.el("td", {}, cww.el("a", { href: `/review/${encodeURIComponent(c.caseId)}${queryOf(filters) ? "?" + queryOf(filters) : ""}` }, c.caseId)));
    row.addEventListener("click", event => { if (event.target.tagName !== "A") { select(i); } });
    row.addEventListener("dblclick", () => openCase(i));
    return row;
  }));
  document.getElementById("empty").hidden = data.cases.length > 0;
  select(0);
}

document.addEventListener("DOMContentLoaded", () => {
  // What the case page did before it came back here (a decision on the last case of the queue).
  const notice = document.getElementById("notice");
  notice.textContent = sessionStorage.getItem("cww.police.notice") ?? "";
  notice.hidden = !notice.textContent;
  sessionStorage.removeItem("cww.police.notice");
  const form = document.getElementById("filters");
  form.addEventListener("submit", event => {
    event.preventDefault();
    const filters = { status: form.status.value, camera: form.camera.value, from: form.from.value, to: form.to.value };
    history.replaceState(null, "", `/review?${queryOf(filters)}`);
    cww.guard(load);
  });
  form.status.addEventListener("change", () => form.requestSubmit());
  form.camera.addEventListener("change", () => form.requestSubmit());
  document.getElementById("filter-clear").addEventListener("click", () => {
    history.replaceState(null, "", "/review");
    cww.guard(load);
  });
  document.addEventListener("keydown", event => {
    if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "j" || event.key === "ArrowDown") { select(queue.selected + 1); event.preventDefault(); }
    else if (event.key === "k" || event.key === "ArrowUp") { select(queue.selected - 1); event.preventDefault(); }
    else if (event.key === "Enter" && !event.target.closest("a, button")) { openCase(queue.selected); event.preventDefault(); }
  });
  cww.guard(load);
});
