"use strict";
// One case: the clip, the reasons drawn over the photo on the line, the photos, the plate with per-character
// confidence, the registry match, the evidence check and the audit trail; and the decisions with shortcuts
// (c confirm, r reject, p correct plate, n next, u queue), moving on to the next case of the queue afterwards.
const view = { id: "", data: null, busy: false };

const filters = () => new URLSearchParams(location.search);
const queueUrl = () => `/review${filters().toString() ? "?" + filters().toString() : ""}`;
const caseUrl = id => `/review/${encodeURIComponent(id)}${filters().toString() ? "?" + filters().toString() : ""}`;
// Rounded down, so a confidence under 1 never reads as 100%; two decimals above 99%, where the reads differ.
const percent = x => (x >= 0.99 ? `${(Math.floor(x * 10000) / 100).toFixed(2)}%` : `${(Math.floor(x * 1000) / 10).toFixed(1)}%`);

function fileUrl(name) {
  return view.data.evidence.files.find(f => f.name === name)?.url ?? null;
}

// ---- drawing the reasons -------------------------------------------------------------------------------------
const colours = { crosswalk: "rgba(255,255,255,0.9)", crosswalkFill: "rgba(255,255,255,0.16)", stopLine: "#ff3b30", lane: "#34c3ff", vehicle: "#2f80ff", pedestrian: "#ff9f0a", centre: "#ffd60a", entry: "#e040fb" };

// A turning vehicle (the reasons name a movement) came from the movement's entry region, not through a stop line.
const turning = () => !!view.data.reasons?.movement;

function toPx(point, w, h) { return [point[0] * w, point[1] * h]; }

function polygon(ctx, points, w, h) {
  ctx.beginPath();
  points.forEach((p, i) => { const [x, y] = toPx(p, w, h); if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); } });
  ctx.closePath();
}

function label(ctx, text, x, y, colour, size) {
  ctx.font = `600 ${size}px system-ui, "Noto Sans CJK SC", sans-serif`;
  const width = ctx.measureText(text).width + size * 0.6;
  const height = size * 1.4;
  const left = Math.max(0, Math.min(x, ctx.canvas.width - width));
  const top = Math.max(0, Math.min(y - height, ctx.canvas.height - height));
  ctx.fillStyle = "rgba(15,20,28,0.78)";
  ctx.fillRect(left, top, width, height);
  ctx.fillStyle = colour;
  ctx.fillText(text, left + size * 0.3, top + size * 1.05);
}

function box(ctx, b, w, h, colour, thick) {
  ctx.strokeStyle = colour;
  ctx.lineWidth = thick;
  ctx.setLineDash([]);
  ctx.strokeRect(b.x1 * w, b.y1 * h, (b.x2 - b.x1) * w, (b.y2 - b.y1) * h);
}

// The scene the decision was judged on: crosswalk, centre line, the vehicle's lane and its approach's stop line, or
// for a turning vehicle the entry region it came from.
function drawScene(ctx, w, h, light) {
  const scene = view.data.scene;
  if (!scene) { return; }
  const unit = w / 1000;
  if (scene.crosswalk?.length >= 3) {
    polygon(ctx, scene.crosswalk, w, h);
    ctx.fillStyle = colours.crosswalkFill;
    ctx.fill();
    ctx.strokeStyle = colours.crosswalk;
    ctx.lineWidth = 2 * unit;
    ctx.setLineDash([8 * unit, 5 * unit]);
    ctx.stroke();
  }
  if (!light && scene.centerLine?.length === 2) {
    polygon(ctx, scene.centerLine, w, h);
    ctx.strokeStyle = colours.centre;
    ctx.lineWidth = 1.5 * unit;
    ctx.setLineDash([4 * unit, 6 * unit]);
    ctx.stroke();
  }
  const approach = (scene.approaches ?? []).find(a => a.name === view.data.approach);
  const lane = approach?.lanes?.find(l => l.id === view.data.lane);
  if (!light && lane?.polygon?.length >= 3) {
    polygon(ctx, lane.polygon, w, h);
    ctx.strokeStyle = colours.lane;
    ctx.lineWidth = 2 * unit;
    ctx.setLineDash([10 * unit, 6 * unit]);
    ctx.stroke();
    const bottom = lane.polygon.reduce((a, p) => (p[1] > a[1] ? p : a));
    label(ctx, `lane ${lane.id} (${view.data.approach})`, bottom[0] * w, bottom[1] * h - 6 * unit, colours.lane, 15 * unit);
  }
  const movement = turning() ? (scene.movements ?? []).find(m => m.name === view.data.reasons.movement.name) : null;
  if (movement?.entry?.length >= 3) {
    polygon(ctx, movement.entry, w, h);
    ctx.strokeStyle = colours.entry;
    ctx.lineWidth = (light ? 2.5 : 3.5) * unit;
    ctx.setLineDash([9 * unit, 6 * unit]);
    ctx.stroke();
    ctx.setLineDash([]);
    const top = movement.entry.reduce((a, p) => (p[1] < a[1] ? p : a));
    if (!light) { label(ctx, `came from: ${movement.name}`, top[0] * w, top[1] * h - 4 * unit, colours.entry, 15 * unit); }
  }
  if (!turning() && approach?.stopLine?.length === 2) {
    const [a, b] = approach.stopLine.map(p => toPx(p, w, h));
    ctx.beginPath();
    ctx.moveTo(...a);
    ctx.lineTo(...b);
    ctx.strokeStyle = colours.stopLine;
    ctx.lineWidth = (light ? 3 : 5) * unit;
    ctx.setLineDash([]);
    ctx.stroke();
    const right = a[0] > b[0] ? a : b;
    if (!light) { label(ctx, "stop line", right[0] + 6 * unit, right[1] + 10 * unit, colours.stopLine, 15 * unit); }
  }
}

// Photo 2: the scene, the vehicle on the line, each pedestrian in conflict, and the lateral distance between them.
function drawReasons(ctx, w, h) {
  const r = view.data.reasons;
  const unit = w / 1000;
  drawScene(ctx, w, h, false);
  if (!r?.onLine) { return; }
  const v = r.onLine.vehicleBox;
  box(ctx, v, w, h, colours.vehicle, 4 * unit);
  const before = r.movement ? "before the crosswalk" : "before the line";
  label(ctx, `vehicle #${r.vehicleTrackId}${r.movement ? ` · ${r.movementText ?? "turning"}` : ""} · ${r.vehicleSpeed} body-heights/s${r.stoppedBeforeLine ? ` · stopped ${before}` : " · did not stop"}`, v.x1 * w, v.y1 * h - 4 * unit, "#9cc3ff", 16 * unit);
  const from = [((v.x1 + v.x2) / 2) * w, v.y2 * h];
  for (const p of r.pedestrians ?? []) {
    const b = p.box;
    box(ctx, b, w, h, colours.pedestrian, 4 * unit);
    const to = [((b.x1 + b.x2) / 2) * w, b.y2 * h];
    ctx.beginPath();
    ctx.moveTo(...from);
    ctx.lineTo(...to);
    ctx.strokeStyle = colours.pedestrian;
    ctx.lineWidth = 2.5 * unit;
    ctx.setLineDash([7 * unit, 5 * unit]);
    ctx.stroke();
    ctx.setLineDash([]);
    label(ctx, `pedestrian #${p.trackId}: ${p.whereText ?? p.where}`, b.x1 * w, b.y1 * h - 4 * unit, colours.pedestrian, 16 * unit);
    label(ctx, `${p.lanesFromVehicleLane} lanes from the vehicle's lane · walking ${p.speed}/s · ${p.framesInConflict} frames`, b.x1 * w, b.y2 * h + 26 * unit, colours.pedestrian, 14 * unit);
  }
}

// Draws on a canvas laid over an image, in the image's own pixels (CSS scales both together).
function overlay(img, canvas, draw) {
  const paint = () => {
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    draw(ctx, canvas.width, canvas.height);
    canvas.dataset.drawn = "true";
  };
  if (img.complete && img.naturalWidth > 0) { paint(); } else { img.addEventListener("load", paint, { once: true }); }
}

// ---- rendering ------------------------------------------------------------------------------------------------
function renderHead(d) {
  document.querySelector("main h1").textContent = `Case ${d.caseId}`;
  document.title = `Case ${d.caseId} · CrosswalkWatch`;
  const where = [d.cameraId, d.place, d.direction].filter(Boolean).join(" · ");
  document.getElementById("case-head").replaceChildren(
    cww.el("a", { id: "back", href: queueUrl() }, "← Review queue"),
    cww.el("span", {}, cww.el("strong", {}, d.eventLocal), ` (${d.timeZone})`),
    cww.el("span", {}, `camera ${where}`),
    cww.el("span", {}, `lane ${d.lane} · ${d.approach}`),
    d.reasons?.movementText ? cww.el("span", { id: "case-movement" }, d.reasons.movementText) : "",
    cww.el("span", { class: `badge status-${d.status}`, id: "case-status" }, d.status));
}

function renderDecision(d) {
  const last = d.decidedBy
    ? `${d.status === "candidate" ? "last change" : d.status} by ${d.decidedBy} at ${d.decidedLocal}${d.rejectReason ? `: ${d.rejectReason}` : ""}${d.rejectNote ? ` (${d.rejectNote})` : ""}`
    : "not decided yet";
  document.getElementById("status-line").replaceChildren(cww.el("span", { class: `badge status-${d.status}` }, d.status), " ", last);
  const ev = d.evidence;
  document.getElementById("verify-line").replaceChildren(ev.verified
    ? (ev.legacy
      ? cww.el("span", { class: "warn", id: "legacy-signature" }, "✓ the evidence package verifies, with a legacy shared-key signature: it is unchanged since it was signed, but any box of that time could have signed it")
      : cww.el("span", { class: "ok" }, "✓ the evidence package verifies: every file matches the manifest signed by its site's own key"))
    : cww.el("span", { class: "error" }, `✗ the evidence package does not verify (${ev.problems.length === 1 ? "one problem" : `${ev.problems.length} problems`}, listed under Evidence package): a confirmation will be refused`));
  const confirmed = d.confirmations.list.map(c => `${c.actor} at ${c.local}${c.note ? ` (“${c.note}”)` : ""}`).join("; ");
  document.getElementById("confirmations-line").replaceChildren(
    d.confirmations.needed > 1 || d.confirmations.list.length > 0
      ? cww.el("span", { class: d.status === "candidate" && d.confirmations.list.length > 0 ? "warn" : "muted" },
        `Confirmations ${d.confirmations.list.length} of ${d.confirmations.needed}${confirmed ? `: ${confirmed}` : ""}${d.confirmations.needed > 1 && d.status === "candidate" ? " — a case that names an official counts only when different reviewers confirm it" : ""}.`)
      : "",
    d.reopenReason ? cww.el("span", { class: "warn" }, ` Reopened on objection: ${d.reopenReason}.`) : "");
  document.getElementById("reopen-open").hidden = d.status !== "confirmed";
  const reasons = document.getElementById("reject-reason");
  if (reasons.options.length === 0) {
    reasons.replaceChildren(cww.el("option", { value: "" }, "— choose a reason —"), ...d.rejectReasons.map(r => cww.el("option", { value: r }, r.replaceAll("-", " "))));
  }
}

function renderPlate(d) {
  const plate = d.plate;
  const url = fileUrl("plate.jpg");
  const img = document.getElementById("plate-photo");
  if (url) { img.src = url; } else { img.replaceWith(cww.el("p", { class: "muted", id: "plate-photo" }, "no plate close-up in the package")); }
  const read = plate.read;
  const chars = document.getElementById("plate-chars");
  if (!read || typeof read !== "object") {
    chars.replaceChildren(cww.el("p", { class: "muted" }, "no plate was read"));
  } else {
    chars.replaceChildren(...read.characters.map((c, i) => {
      const weak = c.confidence < plate.minCharConfidence;
      const bar = cww.el("span", { class: "bar" });
      bar.style.width = `${Math.max(4, c.confidence * 100)}%`;
      return cww.el("div", { class: `plate-char${weak ? " weak" : ""}`, title: `character ${i + 1}: ${c.symbol} read with confidence ${c.confidence}${c.votes ? `, ${c.votes} vote(s)` : ""}${weak ? ` — under plates.minCharConfidence ${plate.minCharConfidence}` : ""}` },
        cww.el("span", { class: "symbol" }, c.symbol),
        cww.el("span", { class: "confidence" }, percent(c.confidence)),
        cww.el("span", { class: "meter" }, bar));
    }));
  }
  const summary = [];
  if (read && typeof read === "object") {
    summary.push(`read ${read.text} (${read.colour?.toLowerCase?.() ?? "?"}${read.valid ? "" : ", not a valid plate"}) — ${read.agreeing} of ${read.validReads} valid reads agree (${read.reads} reads); weakest character ${percent(read.minConfidence)}, threshold ${percent(plate.minCharConfidence)}`);
    if (read.doubt) { summary.push(cww.el("span", { class: "warn" }, ` In doubt: ${read.doubt}.`)); }
  }
  if (plate.current && plate.current !== plate.plateRead) { summary.push(cww.el("strong", {}, ` Corrected to ${plate.current}.`)); }
  document.getElementById("plate-summary").replaceChildren(...summary);
  const input = document.getElementById("correct-plate");
  if (!input.value) { input.value = plate.current ?? plate.plateRead ?? ""; }
}

function renderMatch(d) {
  const m = d.match;
  const box = document.getElementById("match");
  const parts = [];
  if (m.official) {
    parts.push(cww.el("p", { class: "official", id: "official" },
      cww.el("strong", {}, m.official.name), ` · ${m.official.department}`, cww.el("br"),
      cww.el("span", { class: "muted" }, `official ${m.official.id}, authority ${m.official.authority}; plate ${d.plate.current} matches exactly on the event's date — ${d.status === "confirmed" ? "counts" : "counts once confirmed"}`)));
  } else if (m.kind === "suggested") {
    parts.push(cww.el("p", { class: "warn" }, "No official for sure: the registry only suggests (click one to put its plate in the correction field)."));
  } else {
    parts.push(cww.el("p", { class: "muted", id: "official" }, "No official's vehicle: this case stays with the police."));
  }
  if (m.suggestions.length > 0) {
    parts.push(cww.el("ul", { class: "suggestions", id: "suggestions" }, ...m.suggestions.map(s =>
      cww.el("li", {}, cww.el("button", { type: "button", class: "suggestion", "data-plate": s.plate, onclick: () => useSuggestion(s.plate) },
        cww.el("span", { class: "plate-text" }, s.plate), ` ${s.name} · ${s.department}`, cww.el("span", { class: "muted" }, ` score ${Number(s.score).toFixed(2)}${s.doubts?.length ? ` · ${s.doubts.join(", ")}` : ""}`))))));
  }
  box.replaceChildren(...parts);
}

// The cloned-plate check: the vehicle in the evidence (detected class, measured body colour) against the registry's.
// A mismatch is put in front of the reviewer at the top of the page.
function renderVehicle(d) {
  const v = d.vehicle;
  const alert = document.getElementById("vehicle-alert");
  alert.hidden = v.verdict !== "mismatch";
  alert.textContent = v.verdict === "mismatch" ? `⚠ ${v.headline}` : "";
  const parts = [cww.el("p", { class: v.verdict === "mismatch" ? "error" : v.verdict === "match" ? "ok" : "muted", id: "vehicle-verdict" }, v.headline)];
  if (v.reasons?.length) { parts.push(cww.el("ul", { id: "vehicle-reasons" }, ...v.reasons.map(r => cww.el("li", {}, r)))); }
  const m = v.measured;
  if (m) {
    parts.push(cww.el("p", { class: "small shares" },
      `Evidence: detected ${m.detectedClass ?? "class unknown"}; body colour ${m.colour ?? "not measured"}`,
      m.colour ? ` (${percent(m.colourConfidence)} of the body, brightness ${Number(m.colourBrightness).toFixed(2)})` : "",
      m.shares?.length ? ` · ${m.shares.slice(0, 4).map(s => `${s.colour} ${percent(s.share)}`).join(", ")}` : "",
      ` · measured on ${m.measuredOn}`));
  }
  parts.push(cww.el("p", { class: "muted small" }, `Registry: ${v.registered}. The make is for the reviewer to compare on the photos.`));
  document.getElementById("vehicle-check").replaceChildren(cww.el("div", { class: "vehicle-check" }, ...parts));
}

function useSuggestion(plate) {
  showForm("correct");
  const input = document.getElementById("correct-plate");
  input.value = plate;
  input.focus();
}

function renderReasons(d) {
  const r = d.reasons;
  const list = [];
  if (r && typeof r === "object") {
    const how = `${r.vehicleSpeed} body-heights per second${r.stoppedBeforeLine ? " after stopping" : " without stopping"} (stopped counts below ${d.stoppedSpeed})`;
    list.push(cww.el("li", { id: "vehicle-reason" }, r.movement
      ? `Vehicle #${r.vehicleTrackId} ${r.movementText ?? `turning ${r.movement.turn} (${r.movement.name})`}: it came from the side, not through a stop line, and entered the crosswalk in lane ${r.lane} at ${how}.`
      : `Vehicle #${r.vehicleTrackId} in lane ${r.lane} (${r.approach}) crossed the stop line at ${how}.`));
    if (r.beforeLine && r.onLine && r.leaving) {
      const seconds = m => ((new Date(m.at) - new Date(r.onLine.at)) / 1000).toFixed(1);
      const [first, second] = r.movement ? ["last in the entry region", "on the crosswalk"] : ["before the line", "on the line"];
      list.push(cww.el("li", {}, `Frames: ${first} ${r.beforeLine.sequence} (${seconds(r.beforeLine)} s), ${second} ${r.onLine.sequence}, leaving the crosswalk ${r.leaving.sequence} (+${seconds(r.leaving)} s) — the three photos.`));
    }
    // The pedestrian signal at the three photos, where the camera has one (the same text is burned into each photo).
    const signals = [r.beforeLine, r.onLine, r.leaving].map(m => m?.signalText ?? (m?.signal ? `${m.signal.state} (${m.signal.source})` : null));
    if (signals.some(t => t)) {
      list.push(cww.el("li", { class: "signal-reason", id: "signal-reason" }, `Pedestrian signal at the photos: 1/3 ${signals[0] ?? "not recorded"}; 2/3 ${signals[1] ?? "not recorded"}; 3/3 ${signals[2] ?? "not recorded"}.`));
    }
    for (const p of r.pedestrians ?? []) {
      const started = p.startedOnText ?? (p.startedOnSignal ? `started crossing on ${p.startedOnSignal}` : null);
      list.push(cww.el("li", { class: "pedestrian-reason" }, `Pedestrian #${p.trackId}: ${p.whereText ?? p.where}, ${p.lanesFromVehicleLane} lane widths from the vehicle's lane, walking ${p.speed} body-heights per second, in conflict for ${p.framesInConflict} frames${started ? `, ${started}` : ""}.`));
    }
  }
  document.getElementById("reasons").replaceChildren(...list);
  const missing = [];
  if (!d.scene) { missing.push("this package carries no scene geometry (it was made before the scene was written into candidate.json), so the crosswalk, lane and stop line are not drawn"); }
  if (!r?.onLine) { missing.push("the stored reasons hold no vehicle box"); }
  missing.push("pedestrians' boxes are known only at the moment on the line (photo 2)");
  const note = document.getElementById("geometry-note");
  note.textContent = d.reasonsFrom === "signed"
    ? `Drawn from the evidence's signed candidate.json: ${missing.join("; ")}.`
    : `Drawn from the case's unsigned copy as the message brought it (the package does not verify, so nothing here is vouched for): ${missing.join("; ")}.`;
  note.hidden = false;

  const url = fileUrl("photo2-on-line.jpg");
  const img = document.getElementById("reason-photo");
  if (url) {
    img.src = url;
    overlay(img, document.getElementById("reason-canvas"), drawReasons);
  }
}

function renderPhotos(d) {
  const r = d.reasons ?? {};
  if (r.movement) {
    // A turning vehicle's first photo is its last moment in the entry region, the second on the crosswalk.
    const captions = { photo1: `1/3 pedestrian on the crosswalk, vehicle ${r.movementText ?? "turning"}, still in the entry region`, photo2: "2/3 vehicle entering the crosswalk" };
    for (const [id, text] of Object.entries(captions)) { document.getElementById(id).closest("figure").querySelector("figcaption").textContent = text; }
    document.getElementById("reason-photo-note").textContent = "(drawn over photo 2, the vehicle entering the crosswalk)";
  }
  const photos = [["photo1", "photo1-before-line.jpg", r.beforeLine], ["photo2", "photo2-on-line.jpg", r.onLine], ["photo3", "photo3-leaving.jpg", r.leaving]];
  for (const [id, name, moment] of photos) {
    const url = fileUrl(name);
    const img = document.getElementById(id);
    if (!url) { img.alt = `${name} is missing from the package`; continue; }
    img.src = url;
    document.getElementById(`${id}-link`).href = url;
    const caption = img.closest("figure")?.querySelector("figcaption");
    if (caption && moment?.signalText) { caption.append(cww.el("span", { class: "signal-caption" }, ` · ${moment.signalText}`)); }
    overlay(img, document.getElementById(`${id}-canvas`), (ctx, w, h) => {
      drawScene(ctx, w, h, true);
      if (moment?.vehicleBox) { box(ctx, moment.vehicleBox, w, h, colours.vehicle, 4 * (w / 1000)); }
    });
  }
  const vehicle = fileUrl("vehicle.jpg");
  if (vehicle) {
    document.getElementById("vehicle").src = vehicle;
    document.getElementById("vehicle-link").href = vehicle;
  }
  // An H.265 camera's package has an H.264 rendition beside its clip, which browsers without H.265 play; the
  // original stays one click away, among the files.
  const clip = fileUrl("clip-h264.mp4") ?? fileUrl("clip.mp4");
  const video = document.getElementById("clip");
  if (clip && video.getAttribute("src") !== clip) { video.src = clip; }
  if (!clip) { video.replaceWith(cww.el("p", { class: "error", id: "clip" }, d.evidence.deleted ? `the evidence was deleted on ${d.evidence.deleted}` : "the package has no clip")); }
}

function renderEvidence(d) {
  const ev = d.evidence;
  const parts = [ev.verified
    ? cww.el("p", { class: ev.legacy ? "warn" : "ok", id: "evidence-verified" }, `Verified: ${ev.signedBy}; the manifest's signature holds and every file's sha256 matches it.`)
    : cww.el("div", { class: "error", id: "evidence-verified" }, "Does not verify:", cww.el("ul", {}, ...ev.problems.map(p => cww.el("li", {}, p))))];
  if (ev.files.length > 0) {
    parts.push(cww.el("p", { class: "files" }, "Files: ", ...ev.files.flatMap((f, i) => [i > 0 ? " · " : "", cww.el("a", { href: f.url, target: "_blank" }, f.name)])));
  }
  document.getElementById("evidence").replaceChildren(...parts);
}

function changes(before, after) {
  if (!before || !after || typeof before !== "object") { return ""; }
  return Object.keys(after).filter(k => !["decidedAt", "decidedBy"].includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map(k => `${k}: ${before[k] ?? "—"} → ${after[k] ?? "—"}`).join("; ");
}

function renderAudit(d) {
  const rows = d.audit.map(a => cww.el("tr", {},
    cww.el("td", {}, String(a.id)), cww.el("td", {}, a.at), cww.el("td", {}, a.actor), cww.el("td", {}, a.action), cww.el("td", {}, changes(a.before, a.after))));
  document.querySelector("#audit tbody").replaceChildren(...(rows.length ? rows : [cww.el("tr", {}, cww.el("td", { colspan: "5", class: "muted" }, "no decision yet"))]));
}

async function load() {
  const d = await cww.api("GET", `/api/cases/${encodeURIComponent(view.id)}`);
  view.data = d;
  renderHead(d);
  renderDecision(d);
  renderPlate(d);
  renderMatch(d);
  renderVehicle(d);
  renderReasons(d);
  renderPhotos(d);
  renderEvidence(d);
  renderAudit(d);
}

// ---- deciding -------------------------------------------------------------------------------------------------
function showDecisionError(error) {
  const box = document.getElementById("decision-error");
  box.textContent = error ? String(error.message ?? error) : "";
  box.hidden = !error;
}

function showForm(which) {
  document.getElementById("reject-form").hidden = which !== "reject";
  document.getElementById("correct-form").hidden = which !== "correct";
  document.getElementById("reopen-form").hidden = which !== "reopen";
  if (which === "reopen") { document.getElementById("reopen-reason").focus(); }
  if (which === "reject") { document.getElementById("reject-reason").focus(); }
  if (which === "correct") { const input = document.getElementById("correct-plate"); input.focus(); input.select(); }
}

// The case after this one in the queue (same filters), or null when none is left.
async function nextCase() {
  const list = (await cww.api("GET", `/api/cases?${filters().toString()}`)).cases;
  const here = list.findIndex(c => c.caseId === view.id);
  if (here >= 0) { return list[here + 1] ?? list.find(c => c.caseId !== view.id) ?? null; }
  const at = view.data.eventAt;
  return list.find(c => c.eventAt > at || (c.eventAt === at && c.caseId > view.id)) ?? list[0] ?? null;
}

async function moveOn(message) {
  const next = await nextCase();
  sessionStorage.setItem("cww.police.notice", next ? `${message} Next case of the queue.` : `${message} The queue is empty.`);
  location.href = next && next.caseId !== view.id ? caseUrl(next.caseId) : queueUrl();
}

async function decide(action, body) {
  if (view.busy) { return; }
  view.busy = true;
  document.querySelectorAll(".decision button").forEach(b => { b.disabled = true; });
  showDecisionError(null);
  try {
    const outcome = await cww.api("POST", `/api/cases/${encodeURIComponent(view.id)}/${action}`, body);
    if (action === "correct") {
      // A corrected plate is matched again and waits for a confirmation: stay on the case to confirm it.
      showForm(null);
      document.getElementById("correct-plate").value = "";
      await load();
      const who = outcome.official ? `now matches ${outcome.official.name} (${outcome.official.department}); confirm (c) to count it` : outcome.matchKind === "suggested" ? "the registry only suggests officials" : "no official's vehicle";
      notice(`${outcome.message}: ${who}.`);
      return;
    }
    const notices = (outcome.notices.length ? ` Notice: official ${outcome.notices.map(n => `${n.officialId} reached violation no. ${n.ordinal} in ${n.window}`).join(", ")}.` : "")
      + (outcome.withdrawn.length ? ` Withdrawn: ${outcome.withdrawn.map(n => `notice no. ${n.ordinal} of official ${n.officialId} in ${n.window}`).join(", ")}.` : "");
    await moveOn(`${outcome.message}.${notices}`);
  } catch (e) {
    showDecisionError(e);
  } finally {
    view.busy = false;
    document.querySelectorAll(".decision button").forEach(b => { b.disabled = false; });
  }
}

function notice(text) {
  const box = document.getElementById("notice");
  box.textContent = text;
  box.hidden = !text;
}

document.addEventListener("DOMContentLoaded", () => {
  view.id = document.getElementById("case").dataset.case;
  notice(sessionStorage.getItem("cww.police.notice") ?? "");
  sessionStorage.removeItem("cww.police.notice");

  const confirm = () => decide("confirm", { note: document.getElementById("confirm-note").value });
  document.getElementById("confirm").addEventListener("click", confirm);
  document.getElementById("reopen-open").addEventListener("click", () => showForm("reopen"));
  document.getElementById("reopen-form").addEventListener("submit", event => {
    event.preventDefault();
    decide("reopen", { note: event.target.reason.value });
  });
  document.getElementById("reject-open").addEventListener("click", () => showForm("reject"));
  document.getElementById("correct-open").addEventListener("click", () => showForm("correct"));
  document.querySelectorAll(".decision-form .cancel").forEach(b => b.addEventListener("click", () => showForm(null)));
  document.getElementById("reject-form").addEventListener("submit", event => {
    event.preventDefault();
    const form = event.target;
    if (!form.reason.value) { showDecisionError("Choose a reason to reject the case."); form.reason.focus(); return; }
    decide("reject", { reason: form.reason.value, note: form.note.value });
  });
  document.getElementById("reject-reason").addEventListener("change", () => showDecisionError(null));
  // Enter on the reason (or Ctrl+Enter in the note) rejects, without reaching for the mouse.
  document.getElementById("reject-reason").addEventListener("keydown", event => {
    if (event.key === "Enter") { event.preventDefault(); document.getElementById("reject-form").requestSubmit(); }
  });
  document.getElementById("reject-note").addEventListener("keydown", event => {
    if (event.key === "Enter" && event.ctrlKey) { event.preventDefault(); document.getElementById("reject-form").requestSubmit(); }
  });
  document.getElementById("correct-form").addEventListener("submit", event => {
    event.preventDefault();
    decide("correct", { plate: event.target.plate.value });
  });

  document.addEventListener("keydown", event => {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape") { showForm(null); showDecisionError(null); return; }
    if (event.target.closest("input, select, textarea") || view.busy || !view.data) { return; }
    const actions = {
      c: confirm,
      r: () => showForm("reject"),
      p: () => showForm("correct"),
      n: () => cww.guard(async () => { const next = await nextCase(); location.href = next && next.caseId !== view.id ? caseUrl(next.caseId) : queueUrl(); }),
      u: () => { location.href = queueUrl(); },
    };
    if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
  });

  cww.guard(load);
});
