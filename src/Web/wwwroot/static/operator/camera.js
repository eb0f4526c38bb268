"use strict";
// One camera: its health, its live picture with the scene drawn over it and dragged into place, its thresholds, and a
// replay of a stored clip with changed thresholds. Saves name the scene file's version they were made from.
const cameraPage = {
  id: "",
  camera: null,
  version: null,      // the scene file's version: every save changes it, both sections share it
  savedScene: null,   // the scene as saved, as JSON text, to tell an unsaved change
  fields: [],
  editor: null,
};

const $ = id => document.getElementById(id);
const cameraUrl = suffix => `/api/cameras/${encodeURIComponent(cameraPage.id)}${suffix}`;

// Words the API gives as values, in the page's language (the values sent back stay as they are).
const words = {
  yes: cww.t("operator.yes"),
  no: cww.t("operator.no"),
  // The cases' statuses.
  status: { candidate: cww.t("operator.status.candidate"), confirmed: cww.t("operator.status.confirmed"), rejected: cww.t("operator.status.rejected") },
  // Recording into the ring ("paused: …" has its reason).
  recording: { on: cww.t("operator.recording.on"), off: cww.t("operator.recording.off") },
  // The choices of a threshold (conflictZone).
  choice: { nearHalf: cww.t("operator.rule.choice.nearHalf"), lane: cww.t("operator.rule.choice.lane") },
  // Where a pedestrian was, by the name the replay gives it.
  where: {
    "vehicle's lane": cww.t("operator.replay.where.vehicleLane"),
    "lane beside": cww.t("operator.replay.where.adjacentLane"),
    "near half": cww.t("operator.replay.where.nearHalf"),
    "beside the lane": cww.t("operator.replay.where.laneMargin"),
    "at the centre line": cww.t("operator.replay.where.centreLine"),
  },
  // What each threshold does; a threshold not listed here shows the server's description.
  about: {
    conflictZone: cww.t("operator.rule.about.conflictZone"),
    adjacentMarginLanes: cww.t("operator.rule.about.adjacentMarginLanes"),
    centerLineMarginLanes: cww.t("operator.rule.about.centerLineMarginLanes"),
    countStandingPedestrians: cww.t("operator.rule.about.countStandingPedestrians"),
    standingSpeed: cww.t("operator.rule.about.standingSpeed"),
    minPedestrians: cww.t("operator.rule.about.minPedestrians"),
    minConflictSeconds: cww.t("operator.rule.about.minConflictSeconds"),
    bodyPastLine: cww.t("operator.rule.about.bodyPastLine"),
    stoppedSpeed: cww.t("operator.rule.about.stoppedSpeed"),
    stoppedSeconds: cww.t("operator.rule.about.stoppedSeconds"),
    dedupSeconds: cww.t("operator.rule.about.dedupSeconds"),
    runningSpeed: cww.t("operator.rule.about.runningSpeed"),
    turnBackSeconds: cww.t("operator.rule.about.turnBackSeconds"),
    signalFrames: cww.t("operator.rule.about.signalFrames"),
    signalFeedSeconds: cww.t("operator.rule.about.signalFeedSeconds"),
    turnBackHoldSeconds: cww.t("operator.rule.about.turnBackHoldSeconds"),
  },
};

// A change through the API whose refusal comes back whole (the loader's messages, one per problem).
async function send(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRF-TOKEN": cww.token() },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data: data ?? { error: response.statusText } };
}

function problems(list, data) {
  const items = data.errors?.length ? data.errors.map(e => typeof e === "string" ? e : (e.key ? `${e.key}: ${e.message}` : e.message)) : [data.error];
  $(list).replaceChildren(...items.map(text => cww.el("li", {}, text)));
}

function savedAt(data) {
  const values = { file: data.file.split("/").pop(), time: cww.time(new Date().toISOString()), backup: data.backup?.split("/").pop() };
  return cww.t(values.backup ? "operator.saved.withBackup" : "operator.saved", values);
}

const notSaved = status => cww.t("operator.notSaved", { status });

// ---- health ---------------------------------------------------------------------------------------------------

async function loadCamera() {
  const data = await cww.api("GET", cameraUrl(""));
  const c = data.camera;
  cameraPage.camera = c;
  document.querySelector("main h1").textContent = cww.t("operator.camera.heading", { camera: c.id });
  document.title = `${cww.t("operator.camera.heading", { camera: c.id })} · CrosswalkWatch`;
  $("camera-title").replaceChildren(`${c.place || c.id}`, c.direction ? cww.el("span", { class: "muted" }, ` · ${c.direction}`) : "", " ", operatorHealth.badge(c));
  operatorHealth.source(data.health, $("health-source"));
  const h = c.health;
  const item = (term, value) => cww.el("div", {}, cww.el("dt", {}, term), cww.el("dd", {}, value));
  $("camera-health").replaceChildren(
    item(cww.t("operator.health.fps"), h ? h.fps.toFixed(1) : "–"),
    item(cww.t("operator.health.frames"), h ? String(h.frames) : "–"),
    item(cww.t("operator.health.drops"), h ? String(h.drops) : "–"),
    item(cww.t("operator.health.reconnects"), h ? String(h.reconnects) : "–"),
    item(cww.t("operator.health.lastFrame"), h ? operatorHealth.ago(h.lastFrameAt) : "–"),
    item(cww.t("operator.health.sizes"), h ? `${h.sourceSize ?? "?"} / ${h.frameSize ?? "?"}` : "–"),
    item(cww.t("operator.health.codec"), h?.codec ?? "–"),
    item(cww.t("operator.health.recording"), h ? recording(h.recording) : "–"),
    ...(h?.signal ? [item(cww.t("operator.health.signal"), h.signal)] : []),
    ...(h?.detection ? [item(cww.t("operator.health.detection"), h.detection)] : []));
  $("camera-error").hidden = !h?.lastError;
  $("camera-error").replaceChildren(...(h?.lastError ? operatorHealth.pieces("operator.health.lastErrorAgo", { error: h.lastError, ago: operatorHealth.ago(h.lastErrorAt) }) : []));
  $("camera-where").textContent = cww.t("operator.camera.where", { url: c.subUrl ?? c.url, scene: c.scene ?? cww.t("operator.none") });

  renderView(c);

  // Without a scene file there is nothing to edit: the picture only.
  $("no-scene").hidden = !!c.scene;
  $("scene-tools").hidden = !c.scene;
  $("rule-section").hidden = !c.scene;
}

// ---- the view check: reference and live side by side, the estimated move, and the scene moved with it -------------

let viewPictures = "";
function renderView(c) {
  const h = c.health;
  const checked = !!c.scene && !!h && h.view && h.view !== "unchecked";
  $("view-check").hidden = !c.scene;
  $("view-details").hidden = !checked;
  if (!checked) {
    $("view-state").textContent = cww.t("operator.viewCheck.unchecked");
    $("apply-shift").hidden = true;
    return;
  }
  $("view-state").replaceChildren(operatorHealth.viewBadge(h.view, h.viewDetail), " ",
    h.viewSince ? cww.t("operator.viewCheck.since", { time: cww.local(h.viewSince) }) : "");
  const fault = h.view !== "ok" && h.view !== "learning";
  // New pictures only when the box took a new reference or the state changed (the page refreshes every few seconds).
  const key = `${h.viewReferenceAt}|${h.view}|${h.viewSince}`;
  if (key !== viewPictures) {
    viewPictures = key;
    const stamp = Date.now();
    $("view-reference").src = cameraUrl(`/view/reference.jpg?at=${stamp}`);
    $("view-live").hidden = !fault;
    if (fault) { $("view-live").src = cameraUrl(`/view/live.jpg?at=${stamp}`); }
  }
  $("view-reference-caption").textContent = cww.t("operator.viewCheck.reference", { time: h.viewReferenceAt ? cww.local(h.viewReferenceAt) : "–" });
  $("view-live-caption").textContent = fault ? cww.t("operator.viewCheck.live") : cww.t("operator.viewCheck.noLive");
  const s = h.viewShift;
  $("view-shift").textContent = s ? cww.t("operator.viewCheck.shift", {
    x: Math.abs(s.x * 100).toFixed(1), horizontal: cww.t(s.x < 0 ? "operator.viewCheck.left" : "operator.viewCheck.right"),
    y: Math.abs(s.y * 100).toFixed(1), vertical: cww.t(s.y < 0 ? "operator.viewCheck.up" : "operator.viewCheck.down"),
    degrees: Math.abs(s.degrees).toFixed(1), turn: cww.t(s.degrees < 0 ? "operator.viewCheck.anticlockwise" : "operator.viewCheck.clockwise"),
  }) : "";
  $("apply-shift").hidden = !(h.view === "moved" && s);
}

// Only the view check's section is refreshed: the rest of the page stays put while the operator drags points.
async function refreshView() {
  if (!cameraPage.camera?.scene) { return; }
  const data = await cww.api("GET", cameraUrl(""));
  cameraPage.camera.health = data.camera.health;
  renderView(cameraPage.camera);
}

async function applyShift() {
  const h = cameraPage.camera?.health;
  if (!h?.viewShift || !window.confirm(cww.t("operator.viewCheck.confirm"))) { return; }
  $("view-errors").replaceChildren();
  const result = await send("POST", cameraUrl("/scene/shift"), { version: cameraPage.version, shift: h.viewShift });
  if (!result.ok) {
    $("view-result").textContent = notSaved(result.status);
    problems("view-errors", result.data);
    return;
  }
  $("view-result").textContent = cww.t("operator.viewCheck.applied", { file: result.data.file.split("/").pop() });
  $("apply-shift").hidden = true;
  await loadScene();
}

// "on", "off" or "paused: REASON".
function recording(value) {
  const paused = /^paused: (.*)$/s.exec(value);
  return paused ? cww.t("operator.recording.paused", { reason: paused[1] }) : words.recording[value] ?? value;
}

// ---- the scene over the picture ---------------------------------------------------------------------------------

async function loadSnapshot() {
  const status = $("snapshot-status");
  status.className = "muted";
  status.textContent = cww.t("operator.snapshot.asking");
  const response = await fetch(cameraUrl("/snapshot.jpg"), { credentials: "same-origin" });
  if (!response.ok) {
    const data = await response.json().catch(() => ({ error: response.statusText }));
    status.className = "error";
    status.textContent = cww.t(cameraPage.camera?.scene ? "operator.snapshot.failedBlank" : "operator.snapshot.failed", { status: response.status, error: data.error });
    const [w, h] = (cameraPage.camera?.health?.frameSize ?? "640x360").split("x").map(Number);
    cameraPage.editor.setImage(null, w || 640, h || 360);
    return;
  }
  const image = new Image();
  image.src = URL.createObjectURL(await response.blob());
  await image.decode();
  cameraPage.editor.setImage(image);
  const takenAt = Number(response.headers.get("X-Snapshot-At")) || Date.now();
  status.textContent = cww.t("operator.snapshot.taken", { time: cww.time(new Date(takenAt).toISOString()), width: image.naturalWidth, height: image.naturalHeight });
}

async function loadScene() {
  const data = await cww.api("GET", cameraUrl("/scene"));
  cameraPage.version = data.version;
  cameraPage.savedScene = JSON.stringify(data.scene);
  cameraPage.editor.setScene(data.scene);
  renderMovements();
  sceneChanged();
}

// ---- turning movements: each with its name, turn and lanes (its entry region is drawn and dragged on the picture) ----

const motorLanes = scene => (scene?.approaches ?? []).flatMap(a => (a.lanes ?? []).filter(l => l.kind !== "nonMotor").map(l => l.id));

// Lane checkboxes, ticked for the lanes given; `changed(lanes)` hears every tick.
function laneBoxes(scene, ticked, prefix, changed) {
  return motorLanes(scene).map(id => {
    const box = cww.el("input", { type: "checkbox", id: `${prefix}-${id}`, value: id });
    box.checked = ticked.includes(id);
    box.addEventListener("change", () => changed(motorLanes(scene).filter(l => document.getElementById(`${prefix}-${l}`)?.checked)));
    return cww.el("label", { for: `${prefix}-${id}` }, box, ` ${id}`);
  });
}

// A change to the movements: the editor takes the scene again (its handles and labels follow), and the page says it is unsaved.
function changeMovements(change) {
  const scene = structuredClone(cameraPage.editor.scene);
  scene.movements ??= [];
  change(scene.movements);
  cameraPage.editor.setScene(scene);
  sceneChanged();
}

function renderMovements() {
  const scene = cameraPage.editor.scene;
  const list = scene?.movements ?? [];
  $("movement-list").replaceChildren(...list.map((m, k) => {
    const name = cww.el("input", { value: m.name, maxlength: "64", "aria-label": cww.t("operator.movement.nameOf", { n: k + 1 }) });
    name.addEventListener("change", () => changeMovements(all => { all[k].name = name.value.trim(); }));
    const turn = cww.el("select", { "aria-label": cww.t("operator.movement.turnOf", { n: k + 1 }) },
      ...Object.entries(SceneEditor.turns).map(([t, text]) => cww.el("option", t === m.turn ? { value: t, selected: "" } : { value: t }, text)));
    turn.addEventListener("change", () => changeMovements(all => { all[k].turn = turn.value; }));
    const remove = cww.el("button", { type: "button", class: "danger" }, cww.t("operator.movement.remove"));
    remove.addEventListener("click", () => { changeMovements(all => all.splice(k, 1)); renderMovements(); });
    return cww.el("li", { class: "movement", "data-movement": m.name },
      cww.el("label", {}, cww.t("operator.movement.name"), " ", name),
      cww.el("label", {}, cww.t("operator.movement.turn"), " ", turn),
      cww.el("fieldset", {}, cww.el("legend", {}, cww.t("operator.movement.leavesIn")), ...laneBoxes(scene, m.lanes ?? [], `movement-${k}-lane`, lanes => changeMovements(all => { all[k].lanes = lanes; }))),
      remove);
  }));
  $("movement-lanes").replaceChildren(cww.el("legend", {}, cww.t("operator.movement.leavesAcross")), ...laneBoxes(scene, [], "new-movement-lane", () => {}));
}

function drawMovement() {
  $("draw-movement").disabled = true;
  $("finish-movement").disabled = false;
  cameraPage.editor.startDrawing(entry => {
    const lanes = motorLanes(cameraPage.editor.scene).filter(id => $(`new-movement-lane-${id}`)?.checked);
    changeMovements(all => all.push({ name: $("movement-name").value.trim(), turn: $("movement-turn").value, entry, lanes }));
    $("point-info").textContent = cww.t("operator.movement.drawn", { name: $("movement-name").value.trim(), corners: entry.length });
    $("movement-name").value = "";
    renderMovements();
  }, movementDrawn);
}

function movementDrawn() {
  $("draw-movement").disabled = false;
  $("finish-movement").disabled = true;
}

function sceneChanged(point) {
  if (point !== undefined) { $("point-info").textContent = point ?? cww.t("operator.scene.choosePoint"); }
  const dirty = cameraPage.editor.scene !== null && JSON.stringify(cameraPage.editor.scene) !== cameraPage.savedScene;
  $("save-scene").disabled = !dirty;
  $("reset-scene").disabled = !dirty;
  if (dirty) {
    $("scene-state").className = "unsaved";
    $("scene-state").textContent = cww.t("operator.unsaved");
  } else if ($("scene-state").className === "unsaved") {
    $("scene-state").textContent = "";
  }
}

async function saveScene() {
  if ($("save-scene").disabled) { return; }
  $("save-scene").disabled = true;
  $("scene-errors").replaceChildren();
  const result = await send("PUT", cameraUrl("/scene"), { version: cameraPage.version, scene: cameraPage.editor.scene });
  if (!result.ok) {
    problems("scene-errors", result.data);
    $("scene-state").className = "error";
    $("scene-state").textContent = notSaved(result.status);
    $("save-scene").disabled = false;
    return;
  }
  cameraPage.version = result.data.version;
  cameraPage.savedScene = JSON.stringify(result.data.scene);
  cameraPage.editor.setScene(result.data.scene);
  renderMovements();
  $("scene-state").className = "saved";
  $("scene-state").textContent = savedAt(result.data);
  sceneChanged();
  await loadRule();
}

// ---- thresholds and replay --------------------------------------------------------------------------------------

const shown = v => typeof v === "boolean" ? (v ? words.yes : words.no) : words.choice[v] ?? String(v);

function input(f) {
  const common = { id: `rule-${f.key}`, name: f.key, "aria-describedby": `about-${f.key}` };
  if (f.kind === "boolean") {
    const box = cww.el("input", { ...common, type: "checkbox" });
    box.checked = f.value;
    return box;
  }
  if (f.kind === "choice") {
    return cww.el("select", common, ...f.choices.map(c => cww.el("option", c === f.value ? { value: c, selected: "" } : { value: c }, shown(c))));
  }
  return cww.el("input", { ...common, type: "number", value: String(f.value), min: f.min, max: f.max, step: f.kind === "integer" ? "1" : "any", required: "" });
}

function valueOf(f) {
  const el = $(`rule-${f.key}`);
  if (f.kind === "boolean") { return el.checked; }
  if (f.kind === "choice") { return el.value; }
  return el.value.trim() === "" ? null : Number(el.value);
}

function values() {
  return Object.fromEntries(cameraPage.fields.map(f => [f.key, valueOf(f)]));
}

async function loadRule() {
  const data = await cww.api("GET", cameraUrl("/rule"));
  cameraPage.version = data.version;
  cameraPage.fields = data.fields;
  $("rule-table").tBodies[0].replaceChildren(...data.fields.map(f => cww.el("tr", { "data-key": f.key },
    cww.el("th", { scope: "row" }, cww.el("label", { for: `rule-${f.key}`, class: "key" }, f.key)),
    cww.el("td", {}, input(f), f.overridden ? cww.el("span", { class: "badge one-away set-here", title: cww.t("operator.rule.setHereTitle") }, cww.t("operator.rule.setHere")) : ""),
    cww.el("td", {}, shown(f.configured)),
    cww.el("td", { class: "about", id: `about-${f.key}` }, about(f)))));
  const p = data.plates;
  $("plates").textContent = cww.t("operator.rule.plates", { confidence: p.minCharConfidence, agree: p.requireAgreement ? words.yes : words.no });
  ruleChanged();
}

// What a threshold does, with its bounds when it has them.
function about(f) {
  const text = words.about[f.key] ?? f.description;
  return f.min !== undefined ? cww.t("operator.rule.bounds", { about: text, min: f.min, max: f.max }) : text;
}

function ruleChanged() {
  $("rule-state").textContent = "";
  let dirty = false;
  for (const f of cameraPage.fields) {
    const changed = valueOf(f) !== f.value;
    dirty ||= changed;
    document.querySelector(`#rule-table tr[data-key="${f.key}"]`).classList.toggle("changed", changed);
  }
  $("save-rule").disabled = !dirty;
  $("reset-rule").disabled = !dirty;
}

async function saveRule(event) {
  event.preventDefault();
  $("rule-errors").replaceChildren();
  const result = await send("PUT", cameraUrl("/rule"), { version: cameraPage.version, values: values() });
  if (!result.ok) {
    refused(result.data);
    $("rule-state").className = "error";
    $("rule-state").textContent = notSaved(result.status);
    return;
  }
  await loadRule();
  $("rule-state").className = "saved";
  $("rule-state").textContent = savedAt(result.data);
  // A replay compared the thresholds as they were; they are the current ones now.
  $("replay-result").hidden = true;
}

// The loader's refusal of thresholds: listed under the form, and each field it names marked.
function refused(data) {
  problems("rule-errors", data);
  const bad = new Set((data.errors ?? []).map(e => (e.key ?? "").replace(/^rule\./, "")));
  for (const f of cameraPage.fields) {
    const invalid = bad.has(f.key);
    document.querySelector(`#rule-table tr[data-key="${f.key}"]`).classList.toggle("invalid", invalid);
    $(`rule-${f.key}`).setAttribute("aria-invalid", String(invalid));
  }
}

async function loadClips() {
  const clips = await cww.api("GET", cameraUrl("/clips"));
  const select = $("replay-clip");
  select.replaceChildren(...(clips.length
    ? clips.map(c => cww.el("option", { value: c.caseId }, cww.t("operator.replay.clipOption", { time: c.local, lane: c.lane, vehicle: c.vehicleTrackId, status: words.status[c.status] ?? c.status })))
    : [cww.el("option", { value: "" }, cww.t("operator.replay.noClips"))]));
  select.disabled = clips.length === 0;
  $("replay").disabled = clips.length === 0;
}

function candidateItem(c) {
  const pedestrians = c.pedestrians.map(p => cww.t("operator.replay.pedestrian", {
    pedestrian: p.trackId, where: words.where[p.where] ?? p.whereText, lanes: p.lanesFromVehicleLane, speed: p.speed, frames: p.framesInConflict }));
  const values = { seconds: c.onLineSeconds, speed: c.vehicleSpeed.toFixed(2) };
  const how = c.movement
    ? cww.t(c.stoppedBeforeLine ? "operator.replay.enteredAfterStopping" : "operator.replay.enteredWithoutStopping", {
      ...values, movement: cww.t(c.movement.turn === "left" ? "operator.replay.movement.left" : "operator.replay.movement.right", { approach: c.approach, name: c.movement.name }) })
    : cww.t(c.stoppedBeforeLine ? "operator.replay.crossedAfterStopping" : "operator.replay.crossedWithoutStopping", values);
  return cww.el("li", {},
    cww.el("strong", {}, cww.t("operator.replay.vehicle", { vehicle: c.vehicleTrackId, lane: c.lane, approach: c.approach })),
    how,
    cww.el("ul", {}, ...pedestrians.map(p => cww.el("li", {}, p))));
}

function runColumn(title, side, keys) {
  const run = side.run;
  const settings = keys.map(k => `${k} = ${shown(side.settings[k])}`).join(cww.t("operator.list.separator"));
  const outcome = cww.t("operator.replay.run", {
    frames: run.frames,
    state: operatorHealth.state(run.state),
    deduplicated: run.deduplicated ? cww.t("operator.replay.run.deduplicated", { n: run.deduplicated }) : "",
    problem: run.problem ? cww.t("operator.replay.run.problem", { problem: run.problem }) : "",
  });
  return cww.el("div", { class: "run" },
    cww.el("h3", {}, title),
    settings ? cww.el("p", { class: "muted" }, settings) : "",
    run.candidates.length ? cww.el("ol", {}, ...run.candidates.map(candidateItem)) : cww.el("p", { class: "none" }, cww.t("operator.replay.noCandidate")),
    cww.el("p", { class: "muted" }, outcome));
}

async function replay() {
  $("rule-errors").replaceChildren();
  const box = $("replay-result");
  box.hidden = false;
  box.replaceChildren(cww.el("p", { class: "busy" }, cww.t("operator.replay.busy")));
  $("replay").disabled = true;
  try {
    const result = await send("POST", cameraUrl("/replay"), { caseId: $("replay-clip").value, values: values() });
    if (!result.ok) {
      box.replaceChildren();
      box.hidden = true;
      refused(result.data);
      return;
    }
    const r = result.data;
    const differs = r.vehicles.some(v => v.current !== v.changed);
    const yesNo = yes => cww.el("td", { class: yes ? "yes" : "no" }, yes ? words.yes : words.no);
    box.replaceChildren(
      cww.el("h3", {}, cww.t("operator.replay.heading", { caseId: r.clip.caseId, time: r.clip.local, lane: r.clip.lane })),
      cww.el("p", { id: "replay-summary", class: differs ? "summary differs" : "summary" }, r.summary),
      r.vehicles.length ? cww.el("table", { class: "vehicle-diff" },
        cww.el("thead", {}, cww.el("tr", {},
          cww.el("th", {}, cww.t("operator.replay.vehicleColumn")), cww.el("th", {}, cww.t("operator.replay.laneColumn")),
          cww.el("th", {}, cww.t("operator.replay.candidateNow")), cww.el("th", {}, cww.t("operator.replay.candidateChanged")))),
        cww.el("tbody", {}, ...r.vehicles.map(v => cww.el("tr", {},
          cww.el("td", {}, `#${v.vehicleTrackId}`), cww.el("td", {}, v.lane),
          yesNo(v.current),
          yesNo(v.changed))))) : "",
      cww.el("div", { class: "replay-runs" },
        runColumn(cww.t("operator.replay.withCurrent"), r.current, r.changedKeys),
        runColumn(cww.t("operator.replay.withChanged"), r.changed, r.changedKeys)));
  } finally {
    $("replay").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  cameraPage.id = $("camera").dataset.camera;
  cameraPage.editor = new SceneEditor($("scene-canvas"), sceneChanged);
  $("save-scene").addEventListener("click", () => cww.guard(saveScene));
  $("reset-scene").addEventListener("click", () => { cameraPage.editor.stopDrawing(); cameraPage.editor.setScene(JSON.parse(cameraPage.savedScene)); renderMovements(); $("scene-errors").replaceChildren(); sceneChanged(null); });
  $("draw-movement").addEventListener("click", drawMovement);
  $("finish-movement").addEventListener("click", () => { if (!cameraPage.editor.finish()) { $("point-info").textContent = cww.t("operator.movement.tooFewPoints"); } });
  $("refresh-snapshot").addEventListener("click", () => cww.guard(loadSnapshot));
  document.addEventListener("keydown", e => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); cww.guard(saveScene); }
  });
  $("rule-form").addEventListener("input", ruleChanged);
  $("rule-form").addEventListener("submit", e => cww.guard(() => saveRule(e)));
  $("reset-rule").addEventListener("click", () => cww.guard(loadRule));
  $("replay").addEventListener("click", () => cww.guard(replay));
  $("apply-shift").addEventListener("click", () => cww.guard(applyShift));
  setInterval(() => cww.guard(refreshView), 5000); // the view check as the box last wrote it
  cww.guard(async () => {
    await loadCamera();
    await Promise.all(cameraPage.camera.scene ? [loadSnapshot(), loadScene(), loadRule(), loadClips()] : [loadSnapshot()]);
  });
});
