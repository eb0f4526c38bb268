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

// ---- words for the API's codes, in the page's language ---------------------------------------------------------
const statusText = { candidate: cww.t("police.status.candidate"), confirmed: cww.t("police.status.confirmed"), rejected: cww.t("police.status.rejected") };
const rejectReasonText = {
  "not-a-violation": cww.t("police.rejectReason.not-a-violation"),
  "pedestrian-not-in-conflict": cww.t("police.rejectReason.pedestrian-not-in-conflict"),
  "vehicle-stopped": cww.t("police.rejectReason.vehicle-stopped"),
  "emergency-vehicle": cww.t("police.rejectReason.emergency-vehicle"),
  "plate-unreadable": cww.t("police.rejectReason.plate-unreadable"),
  "duplicate": cww.t("police.rejectReason.duplicate"),
  "other": cww.t("police.rejectReason.other"),
};
// Where a pedestrian was (the reasons' whereKind), completing "pedestrian #3 …".
const whereText = {
  vehicleLane: cww.t("police.where.vehicleLane"),
  adjacentLane: cww.t("police.where.adjacentLane"),
  nearHalf: cww.t("police.where.nearHalf"),
  laneMargin: cww.t("police.where.laneMargin"),
  centreLine: cww.t("police.where.centreLine"),
};
const startedOnText = {
  red: cww.t("police.startedOn.red"),
  green: cww.t("police.startedOn.green"),
  off: cww.t("police.startedOn.off"),
  unknown: cww.t("police.startedOn.unknown"),
};
const signalSourceText = { image: cww.t("police.signal.source.image"), feed: cww.t("police.signal.source.feed") };
const plateColourText = {
  blue: cww.t("police.plateColour.blue"), yellow: cww.t("police.plateColour.yellow"), white: cww.t("police.plateColour.white"),
  black: cww.t("police.plateColour.black"), green: cww.t("police.plateColour.green"), unknown: cww.t("police.plateColour.unknown"),
};
const colourText = {
  white: cww.t("police.colour.white"), grey: cww.t("police.colour.grey"), black: cww.t("police.colour.black"), red: cww.t("police.colour.red"),
  orange: cww.t("police.colour.orange"), yellow: cww.t("police.colour.yellow"), green: cww.t("police.colour.green"), blue: cww.t("police.colour.blue"),
  purple: cww.t("police.colour.purple"), pink: cww.t("police.colour.pink"), brown: cww.t("police.colour.brown"),
};
const vehicleClassText = {
  car: cww.t("police.vehicleClass.car"), suv: cww.t("police.vehicleClass.suv"), van: cww.t("police.vehicleClass.van"),
  bus: cww.t("police.vehicleClass.bus"), truck: cww.t("police.vehicleClass.truck"), motorcycle: cww.t("police.vehicleClass.motorcycle"),
};
const actionText = {
  confirm: cww.t("police.audit.action.confirm"), reject: cww.t("police.audit.action.reject"), correct: cww.t("police.audit.action.correct"),
  reopen: cww.t("police.audit.action.reopen"), "evidence-deleted": cww.t("police.audit.action.evidence-deleted"), "notice-withdrawn": cww.t("police.audit.action.notice-withdrawn"),
};

// A turning vehicle's movement into an approach ("turning right into northbound (right turn from the side road)").
function movementText(movement, approach, said) {
  const values = { approach, name: movement?.name };
  if (movement?.turn === "left") { return cww.t("police.movement.left", values); }
  if (movement?.turn === "right") { return cww.t("police.movement.right", values); }
  return said;
}

// The pedestrian signal at a moment of the reasons, as the photo's caption gives it.
function signalText(moment) {
  const signal = moment?.signal;
  if (!signal) { return null; }
  const values = { source: signalSourceText[signal.source] ?? signal.source };
  switch (signal.state) {
    case "red": return cww.t("police.signal.red", values);
    case "green": return cww.t("police.signal.green", values);
    case "off": return cww.t("police.signal.off", values);
    case "unknown": return cww.t("police.signal.unknown", values);
    default: return moment.signalText ?? `${signal.state} (${signal.source})`;
  }
}

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
    label(ctx, cww.t("police.draw.lane", { lane: lane.id, approach: view.data.approach }), bottom[0] * w, bottom[1] * h - 6 * unit, colours.lane, 15 * unit);
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
    if (!light) { label(ctx, cww.t("police.draw.cameFrom", { name: movement.name }), top[0] * w, top[1] * h - 4 * unit, colours.entry, 15 * unit); }
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
    if (!light) { label(ctx, cww.t("police.draw.stopLine"), right[0] + 6 * unit, right[1] + 10 * unit, colours.stopLine, 15 * unit); }
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
  const said = [
    cww.t("police.draw.vehicle", { id: r.vehicleTrackId }),
    r.movement ? movementText(r.movement, r.approach, r.movementText) ?? cww.t("police.draw.turning") : null,
    cww.t("police.draw.speed", { speed: r.vehicleSpeed }),
    !r.stoppedBeforeLine ? cww.t("police.draw.didNotStop") : r.movement ? cww.t("police.draw.stoppedBeforeCrosswalk") : cww.t("police.draw.stoppedBeforeLine"),
  ];
  label(ctx, said.filter(Boolean).join(" · "), v.x1 * w, v.y1 * h - 4 * unit, "#9cc3ff", 16 * unit);
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
    label(ctx, cww.t("police.draw.pedestrian", { id: p.trackId, where: whereOf(p) }), b.x1 * w, b.y1 * h - 4 * unit, colours.pedestrian, 16 * unit);
    label(ctx, cww.t("police.draw.pedestrianDetail", { lanes: p.lanesFromVehicleLane, speed: p.speed, frames: p.framesInConflict }), b.x1 * w, b.y2 * h + 26 * unit, colours.pedestrian, 14 * unit);
  }
}

// Where a pedestrian was, in the page's words when the reasons name a kind it knows.
function whereOf(p) { return whereText[p.whereKind] ?? p.whereText ?? p.where; }

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
  const heading = cww.t("police.case.heading", { id: d.caseId });
  document.querySelector("main h1").textContent = heading;
  document.title = `${heading} · CrosswalkWatch`;
  const place = [d.cameraId, d.place, d.direction].filter(Boolean).join(" · ");
  document.getElementById("case-head").replaceChildren(
    cww.el("a", { id: "back", href: queueUrl() }, cww.t("police.case.back")),
    cww.el("span", {}, cww.el("strong", {}, d.eventLocal), ` (${d.timeZone})`),
    cww.el("span", {}, cww.t("police.case.camera", { camera: place })),
    cww.el("span", {}, cww.t("police.case.lane", { lane: d.lane, approach: d.approach })),
    d.reasons?.movementText ? cww.el("span", { id: "case-movement" }, movementText(d.reasons.movement, d.reasons.approach, d.reasons.movementText)) : "",
    cww.el("span", { class: `badge status-${d.status}`, id: "case-status" }, statusText[d.status] ?? d.status));
}

function renderDecision(d) {
  const decided = {
    what: d.status === "candidate" ? cww.t("police.decision.lastChange") : statusText[d.status] ?? d.status,
    actor: d.decidedBy,
    at: d.decidedLocal,
    reason: rejectReasonText[d.rejectReason] ?? d.rejectReason,
    note: d.rejectNote,
  };
  const last = !d.decidedBy ? cww.t("police.decision.undecided")
    : d.rejectReason && d.rejectNote ? cww.t("police.decision.last.reasonNote", decided)
    : d.rejectReason ? cww.t("police.decision.last.reason", decided)
    : d.rejectNote ? cww.t("police.decision.last.note", decided)
    : cww.t("police.decision.last", decided);
  document.getElementById("status-line").replaceChildren(cww.el("span", { class: `badge status-${d.status}` }, statusText[d.status] ?? d.status), " ", last);
  const ev = d.evidence;
  document.getElementById("verify-line").replaceChildren(ev.verified
    ? (ev.legacy
      ? cww.el("span", { class: "warn", id: "legacy-signature" }, cww.t("police.verify.legacy"))
      : cww.el("span", { class: "ok" }, cww.t("police.verify.ok")))
    : cww.el("span", { class: "error" }, ev.problems.length === 1 ? cww.t("police.verify.failed.one") : cww.t("police.verify.failed.many", { count: ev.problems.length })));
  // The box's clock at the event, as the signed package records it: off by more than its limit, the photos' times are not to be relied on.
  const clock = ev.clock;
  const clockLine = document.getElementById("clock-line");
  clockLine.hidden = !clock;
  if (clock) {
    const said = { offset: (clock.offsetMs > 0 ? "+" : "") + clock.offsetMs, uncertainty: clock.uncertaintyMs, max: clock.maxOffsetMs, server: clock.server, at: clock.measuredLocal };
    clockLine.replaceChildren(clock.exceeded
      ? cww.el("span", { class: "error", id: "clock-warning" }, cww.t("police.clock.exceeded", said))
      : cww.el("span", { class: "muted" }, cww.t("police.clock.ok", said)));
  }
  // The camera's own clock (its sender reports): off by more than the limit, the time it burns into its picture is too.
  const cameraClock = ev.cameraClock;
  const cameraClockLine = document.getElementById("camera-clock-line");
  cameraClockLine.hidden = !cameraClock;
  if (cameraClock) {
    const said = { offset: (cameraClock.offsetMs > 0 ? "+" : "") + cameraClock.offsetMs, max: cameraClock.maxOffsetMs, reports: cameraClock.reports, at: cameraClock.measuredLocal };
    cameraClockLine.replaceChildren(cameraClock.exceeded
      ? cww.el("span", { class: "error", id: "camera-clock-warning" }, cww.t("police.cameraClock.exceeded", said))
      : cww.el("span", { class: "muted" }, cww.t("police.cameraClock.ok", said)));
  }
  const list = d.confirmations.list.map(c => (c.note
    ? cww.t("police.confirmations.itemNote", { actor: c.actor, at: c.local, note: c.note })
    : cww.t("police.confirmations.item", { actor: c.actor, at: c.local }))).join(cww.t("police.list.separator"));
  const counted = { count: d.confirmations.list.length, needed: d.confirmations.needed, list };
  const official = d.confirmations.needed > 1 && d.status === "candidate";
  document.getElementById("confirmations-line").replaceChildren(
    d.confirmations.needed > 1 || d.confirmations.list.length > 0
      ? cww.el("span", { class: d.status === "candidate" && d.confirmations.list.length > 0 ? "warn" : "muted" }, list
        ? (official ? cww.t("police.confirmations.list.official", counted) : cww.t("police.confirmations.list", counted))
        : (official ? cww.t("police.confirmations.none.official", counted) : cww.t("police.confirmations.none", counted)))
      : "",
    d.reopenReason ? cww.el("span", { class: "warn" }, " " + cww.t("police.decision.reopened", { reason: d.reopenReason })) : "");
  document.getElementById("reopen-open").hidden = d.status !== "confirmed";
  const reasons = document.getElementById("reject-reason");
  if (reasons.options.length === 0) {
    reasons.replaceChildren(cww.el("option", { value: "" }, cww.t("police.reject.choose")),
      ...d.rejectReasons.map(r => cww.el("option", { value: r }, rejectReasonText[r] ?? r.replaceAll("-", " "))));
  }
}

function renderPlate(d) {
  const plate = d.plate;
  const url = fileUrl("plate.jpg");
  const img = document.getElementById("plate-photo");
  if (url) { img.src = url; } else { img.replaceWith(cww.el("p", { class: "muted", id: "plate-photo" }, cww.t("police.plate.noCloseup"))); }
  const read = plate.read;
  const chars = document.getElementById("plate-chars");
  if (!read || typeof read !== "object") {
    chars.replaceChildren(cww.el("p", { class: "muted" }, cww.t("police.plate.notRead")));
  } else {
    chars.replaceChildren(...read.characters.map((c, i) => {
      const weak = c.confidence < plate.minCharConfidence;
      const bar = cww.el("span", { class: "bar" });
      bar.style.width = `${Math.max(4, c.confidence * 100)}%`;
      const said = { n: i + 1, symbol: c.symbol, confidence: c.confidence, votes: c.votes, min: plate.minCharConfidence };
      const title = c.votes
        ? (weak ? cww.t("police.plate.char.votesWeak", said) : cww.t("police.plate.char.votes", said))
        : (weak ? cww.t("police.plate.char.weak", said) : cww.t("police.plate.char", said));
      return cww.el("div", { class: `plate-char${weak ? " weak" : ""}`, title },
        cww.el("span", { class: "symbol" }, c.symbol),
        cww.el("span", { class: "confidence" }, percent(c.confidence)),
        cww.el("span", { class: "meter" }, bar));
    }));
  }
  const summary = [];
  if (read && typeof read === "object") {
    const colour = read.colour?.toLowerCase?.();
    const said = {
      plate: read.text, colour: plateColourText[colour] ?? colour ?? "?", agreeing: read.agreeing, valid: read.validReads, reads: read.reads,
      weakest: percent(read.minConfidence), threshold: percent(plate.minCharConfidence),
    };
    summary.push(read.valid ? cww.t("police.plate.summary", said) : cww.t("police.plate.summary.invalid", said));
    if (read.doubt) { summary.push(cww.el("span", { class: "warn" }, " " + cww.t("police.plate.doubt", { reason: read.doubt }))); }
  }
  if (plate.current && plate.current !== plate.plateRead) { summary.push(cww.el("strong", {}, " " + cww.t("police.plate.corrected", { plate: plate.current }))); }
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
      cww.el("span", { class: "muted" }, d.status === "confirmed"
        ? cww.t("police.match.official.counts", { id: m.official.id, authority: m.official.authority, plate: d.plate.current })
        : cww.t("police.match.official.pending", { id: m.official.id, authority: m.official.authority, plate: d.plate.current }))));
  } else if (m.kind === "suggested") {
    parts.push(cww.el("p", { class: "warn" }, cww.t("police.match.suggested")));
  } else {
    parts.push(cww.el("p", { class: "muted", id: "official" }, cww.t("police.match.none")));
  }
  if (m.suggestions.length > 0) {
    parts.push(cww.el("ul", { class: "suggestions", id: "suggestions" }, ...m.suggestions.map(s =>
      cww.el("li", {}, cww.el("button", { type: "button", class: "suggestion", "data-plate": s.plate, onclick: () => useSuggestion(s.plate) },
        cww.el("span", { class: "plate-text" }, s.plate), ` ${s.name} · ${s.department}`, cww.el("span", { class: "muted" }, " " + (s.doubts?.length
          ? cww.t("police.match.score.doubts", { score: Number(s.score).toFixed(2), doubts: s.doubts.join(cww.t("police.list.separator")) })
          : cww.t("police.match.score", { score: Number(s.score).toFixed(2) }))))))));
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
    const colour = c => colourText[c] ?? c;
    parts.push(cww.el("p", { class: "small shares" },
      cww.t("police.vehicle.evidence", {
        detected: m.detectedClass ? vehicleClassText[m.detectedClass] ?? m.detectedClass : cww.t("police.vehicle.classUnknown"),
        colour: m.colour ? colour(m.colour) : cww.t("police.vehicle.colourNotMeasured"),
      }),
      m.colour ? " " + cww.t("police.vehicle.colourShare", { share: percent(m.colourConfidence), brightness: Number(m.colourBrightness).toFixed(2) }) : "",
      m.shares?.length ? ` · ${m.shares.slice(0, 4).map(s => `${colour(s.colour)} ${percent(s.share)}`).join(", ")}` : "",
      " · " + cww.t("police.vehicle.measuredOn", { file: m.measuredOn })));
  }
  parts.push(cww.el("p", { class: "muted small" }, cww.t("police.vehicle.registry", { registered: v.registered })));
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
    const speed = { speed: r.vehicleSpeed, threshold: d.stoppedSpeed };
    const how = r.stoppedBeforeLine ? cww.t("police.reason.speed.stopped", speed) : cww.t("police.reason.speed.moving", speed);
    list.push(cww.el("li", { id: "vehicle-reason" }, r.movement
      ? cww.t("police.reason.vehicle.turning", {
        id: r.vehicleTrackId,
        movement: movementText(r.movement, r.approach, r.movementText) ?? cww.t("police.movement.other", { turn: r.movement.turn, name: r.movement.name }),
        lane: r.lane,
        how,
      })
      : cww.t("police.reason.vehicle.through", { id: r.vehicleTrackId, lane: r.lane, approach: r.approach, how })));
    if (r.beforeLine && r.onLine && r.leaving) {
      const seconds = m => ((new Date(m.at) - new Date(r.onLine.at)) / 1000).toFixed(1);
      const frames = { before: r.beforeLine.sequence, beforeSeconds: seconds(r.beforeLine), on: r.onLine.sequence, leaving: r.leaving.sequence, leavingSeconds: seconds(r.leaving) };
      list.push(cww.el("li", {}, r.movement ? cww.t("police.reason.frames.turning", frames) : cww.t("police.reason.frames", frames)));
    }
    // The pedestrian signal at the three photos, where the camera has one (the same text is burned into each photo).
    const signals = [r.beforeLine, r.onLine, r.leaving].map(signalText);
    if (signals.some(t => t)) {
      const [first, second, third] = signals.map(t => t ?? cww.t("police.reason.signal.notRecorded"));
      list.push(cww.el("li", { class: "signal-reason", id: "signal-reason" }, cww.t("police.reason.signals", { first, second, third })));
    }
    for (const p of r.pedestrians ?? []) {
      const started = startedOnText[p.startedOnSignal] ?? p.startedOnText ?? (p.startedOnSignal ? cww.t("police.startedOn.other", { signal: p.startedOnSignal }) : null);
      const said = { id: p.trackId, where: whereOf(p), lanes: p.lanesFromVehicleLane, speed: p.speed, frames: p.framesInConflict, started };
      list.push(cww.el("li", { class: "pedestrian-reason" }, started ? cww.t("police.reason.pedestrian.started", said) : cww.t("police.reason.pedestrian", said)));
    }
  }
  document.getElementById("reasons").replaceChildren(...list);
  const missing = [];
  if (!d.scene) { missing.push(cww.t("police.geometry.noScene")); }
  if (!r?.onLine) { missing.push(cww.t("police.geometry.noVehicleBox")); }
  missing.push(cww.t("police.geometry.pedestrianBoxes"));
  const note = document.getElementById("geometry-note");
  const notes = { notes: missing.join(cww.t("police.list.separator")) };
  note.textContent = d.reasonsFrom === "signed" ? cww.t("police.geometry.signed", notes) : cww.t("police.geometry.unsigned", notes);
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
    const movement = movementText(r.movement, r.approach, r.movementText) ?? cww.t("police.draw.turning");
    const captions = { photo1: cww.t("police.photos.photo1.turning", { movement }), photo2: cww.t("police.photos.photo2.turning") };
    for (const [id, text] of Object.entries(captions)) { document.getElementById(id).closest("figure").querySelector("figcaption").textContent = text; }
    document.getElementById("reason-photo-note").textContent = cww.t("police.case.why.note.turning");
  }
  const photos = [["photo1", "photo1-before-line.jpg", r.beforeLine], ["photo2", "photo2-on-line.jpg", r.onLine], ["photo3", "photo3-leaving.jpg", r.leaving]];
  for (const [id, name, moment] of photos) {
    const url = fileUrl(name);
    const img = document.getElementById(id);
    if (!url) { img.alt = cww.t("police.photos.missing", { file: name }); continue; }
    img.src = url;
    document.getElementById(`${id}-link`).href = url;
    const caption = img.closest("figure")?.querySelector("figcaption");
    if (caption && moment?.signalText) { caption.append(cww.el("span", { class: "signal-caption" }, ` · ${signalText(moment)}`)); }
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
  if (!clip) { video.replaceWith(cww.el("p", { class: "error", id: "clip" }, d.evidence.deleted ? cww.t("police.clip.deleted", { date: d.evidence.deleted }) : cww.t("police.clip.none"))); }
}

function renderEvidence(d) {
  const ev = d.evidence;
  const parts = [ev.verified
    ? cww.el("p", { class: ev.legacy ? "warn" : "ok", id: "evidence-verified" }, cww.t("police.evidence.verified", { signer: ev.signedBy }))
    : cww.el("div", { class: "error", id: "evidence-verified" }, cww.t("police.evidence.failed"), cww.el("ul", {}, ...ev.problems.map(p => cww.el("li", {}, p))))];
  if (ev.files.length > 0) {
    parts.push(cww.el("p", { class: "files" }, cww.t("police.evidence.files") + " ", ...ev.files.flatMap((f, i) => [i > 0 ? " · " : "", cww.el("a", { href: f.url, target: "_blank" }, f.name)])));
  }
  document.getElementById("evidence").replaceChildren(...parts);
}

function renderAudit(d) {
  const rows = d.audit.map(a => cww.el("tr", {},
    cww.el("td", {}, String(a.id)), cww.el("td", {}, a.at), cww.el("td", {}, a.actor), cww.el("td", {}, actionText[a.action] ?? a.action), cww.el("td", {}, cww.auditChange(a.before, a.after))));
  document.querySelector("#audit tbody").replaceChildren(...(rows.length ? rows : [cww.el("tr", {}, cww.el("td", { colspan: "5", class: "muted" }, cww.t("police.audit.none")))]));
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
  sessionStorage.setItem("cww.police.notice", next ? cww.t("police.notice.next", { message }) : cww.t("police.notice.empty", { message }));
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
      const matched = outcome.official ? cww.t("police.notice.corrected.official", { name: outcome.official.name, department: outcome.official.department })
        : outcome.matchKind === "suggested" ? cww.t("police.notice.corrected.suggested") : cww.t("police.notice.corrected.none");
      notice(cww.t("police.notice.corrected", { message: outcome.message, matched }));
      return;
    }
    const reached = outcome.notices.map(n => cww.t("police.notice.reached", { official: n.officialId, ordinal: n.ordinal, window: n.window })).join(", ");
    const withdrawn = outcome.withdrawn.map(n => cww.t("police.notice.withdrawn", { official: n.officialId, ordinal: n.ordinal, window: n.window })).join(", ");
    await moveOn(cww.t("police.notice.decided", { message: outcome.message })
      + (reached ? " " + cww.t("police.notice.reachedList", { list: reached }) : "")
      + (withdrawn ? " " + cww.t("police.notice.withdrawnList", { list: withdrawn }) : ""));
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
    if (!form.reason.value) { showDecisionError(cww.t("police.reject.required")); form.reason.focus(); return; }
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
