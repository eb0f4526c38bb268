"use strict";
// The review queue: cases oldest first, filtered by status, camera and day; j/k or the arrows move, Enter opens.
const queue = { cases: [], selected: 0 };

// The words for the API's codes, in the page's language.
const statusText = { candidate: cww.t("police.status.candidate"), confirmed: cww.t("police.status.confirmed"), rejected: cww.t("police.status.rejected") };

// A turning case's movement as the case page says it (the API's movementText is the English one).
function movementText(c) {
  const values = { approach: c.approach, name: c.movement?.name };
  if (c.movement?.turn === "left") { return cww.t("police.movement.left", values); }
  if (c.movement?.turn === "right") { return cww.t("police.movement.right", values); }
  return c.movementText;
}

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
  if (c.official) { return cww.t("police.official.withDepartment", { name: c.official.name, department: c.official.department }); }
  if (c.suggestions > 0) { return c.suggestions > 1 ? cww.t("police.queue.suggestions", { count: c.suggestions }) : cww.t("police.queue.suggestion", { count: c.suggestions }); }
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
  cameras.replaceChildren(cww.el("option", { value: "" }, cww.t("police.queue.filter.everyCamera")), ...data.cameras.map(id => cww.el("option", { value: id }, id)));
  cameras.value = filters.camera;

  const n = data.counts;
  const scope = { count: n.all, camera: filters.camera, from: filters.from || cww.t("police.queue.fromStart"), to: filters.to || cww.t("police.queue.toToday"), zone: data.timeZone };
  const days = filters.from || filters.to;
  document.getElementById("counts").replaceChildren(
    cww.el("span", { class: "badge status-candidate" }, cww.t("police.queue.count.candidate", { count: n.candidate })), " ",
    cww.el("span", { class: "badge status-confirmed" }, cww.t("police.queue.count.confirmed", { count: n.confirmed })), " ",
    cww.el("span", { class: "badge status-rejected" }, cww.t("police.queue.count.rejected", { count: n.rejected })), " ",
    cww.el("span", { class: "muted" }, filters.camera
      ? (days ? cww.t("police.queue.total.cameraDays", scope) : cww.t("police.queue.total.camera", scope))
      : (days ? cww.t("police.queue.total.days", scope) : cww.t("police.queue.total", scope))),
    data.truncated ? cww.el("span", { class: "warn" }, " " + cww.t("police.queue.truncated")) : "",
    // The confirmed cases of the chosen days for the police platform (cww export): needs both days.
    filters.from && filters.to
      ? cww.el("a", { id: "export", href: `/api/cases/export?${queryOf({ camera: filters.camera, from: filters.from, to: filters.to })}` }, " " + cww.t("police.queue.export"))
      : cww.el("span", { class: "muted" }, " " + cww.t("police.queue.exportHint")));

  queue.cases = data.cases;
  document.querySelector("#queue tbody").replaceChildren(...data.cases.map((c, i) => {
    const row = cww.el("tr", { "data-case": c.caseId, tabindex: "-1" },
      cww.el("td", {}, c.eventLocal),
      cww.el("td", {}, c.cameraId),
      // A turning vehicle came from the side, not through a stop line: its movement (naming the approach) as the case page says it.
      cww.el("td", {}, `${c.lane} · ${c.movementText ? movementText(c) : c.approach}`),
      cww.el("td", { class: "plate-text" }, c.plate ?? cww.t("police.queue.noPlate")),
      cww.el("td", {}, officialText(c)),
      cww.el("td", {}, cww.el("span", { class: `badge status-${c.status}` }, statusText[c.status] ?? c.status), c.decidedBy ? cww.el("span", { class: "muted" }, " " + cww.t("police.queue.decidedBy", { actor: c.decidedBy })) : ""),
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
