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
  const backup = data.backup ? data.backup.split("/").pop() : null;
  return `Saved ${data.file.split("/").pop()} at ${new Date().toLocaleTimeString()}` + (backup ? `; the previous version is kept beside it as ${backup}.` : ".");
}

// ---- health ---------------------------------------------------------------------------------------------------

async function loadCamera() {
  const data = await cww.api("GET", cameraUrl(""));
  const c = data.camera;
  cameraPage.camera = c;
  document.querySelector("main h1").textContent = `Camera ${c.id}`;
  document.title = `Camera ${c.id} · CrosswalkWatch`;
  $("camera-title").replaceChildren(`${c.place || c.id}`, c.direction ? cww.el("span", { class: "muted" }, ` · ${c.direction}`) : "", " ", operatorHealth.badge(c));
  operatorHealth.source(data.health, $("health-source"));
  const h = c.health;
  const item = (term, value) => cww.el("div", {}, cww.el("dt", {}, term), cww.el("dd", {}, value));
  $("camera-health").replaceChildren(
    item("Frames per second", h ? h.fps.toFixed(1) : "–"),
    item("Frames", h ? String(h.frames) : "–"),
    item("Drops", h ? String(h.drops) : "–"),
    item("Reconnects", h ? String(h.reconnects) : "–"),
    item("Last frame", h ? operatorHealth.ago(h.lastFrameAt) : "–"),
    item("Stream / detector size", h ? `${h.sourceSize ?? "?"} / ${h.frameSize ?? "?"}` : "–"),
    item("Codec", h?.codec ?? "–"),
    item("Recording", h ? h.recording : "–"),
    ...(h?.signal ? [item("Pedestrian signal", h.signal)] : []),
    ...(h?.detection ? [item("Detector (motion gate)", h.detection)] : []));
  $("camera-error").hidden = !h?.lastError;
  $("camera-error").replaceChildren(...(h?.lastError ? ["Last error: ", h.lastError, " (", operatorHealth.ago(h.lastErrorAt), ")"] : []));
  $("camera-where").textContent = `Picture from ${c.subUrl ?? c.url} · scene file ${c.scene ?? "none"}`;

  // Without a scene file there is nothing to edit: the picture only.
  $("no-scene").hidden = !!c.scene;
  $("scene-tools").hidden = !c.scene;
  $("rule-section").hidden = !c.scene;
}

// ---- the scene over the picture ---------------------------------------------------------------------------------

async function loadSnapshot() {
  const status = $("snapshot-status");
  status.className = "muted";
  status.textContent = "Asking the camera for a picture…";
  const response = await fetch(cameraUrl("/snapshot.jpg"), { credentials: "same-origin" });
  if (!response.ok) {
    const data = await response.json().catch(() => ({ error: response.statusText }));
    status.className = "error";
    status.textContent = `${response.status}: ${data.error}` + (cameraPage.camera?.scene ? " The scene is drawn on a blank picture; it can still be edited." : "");
    const [w, h] = (cameraPage.camera?.health?.frameSize ?? "640x360").split("x").map(Number);
    cameraPage.editor.setImage(null, w || 640, h || 360);
    return;
  }
  const image = new Image();
  image.src = URL.createObjectURL(await response.blob());
  await image.decode();
  cameraPage.editor.setImage(image);
  status.textContent = `Picture of ${new Date().toLocaleTimeString()}, ${image.naturalWidth}×${image.naturalHeight}.`;
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
    const name = cww.el("input", { value: m.name, maxlength: "64", "aria-label": `name of movement ${k + 1}` });
    name.addEventListener("change", () => changeMovements(all => { all[k].name = name.value.trim(); }));
    const turn = cww.el("select", { "aria-label": `turn of movement ${k + 1}` }, ...["right", "left"].map(t => cww.el("option", t === m.turn ? { value: t, selected: "" } : { value: t }, t)));
    turn.addEventListener("change", () => changeMovements(all => { all[k].turn = turn.value; }));
    const remove = cww.el("button", { type: "button", class: "danger" }, "Remove");
    remove.addEventListener("click", () => { changeMovements(all => all.splice(k, 1)); renderMovements(); });
    return cww.el("li", { class: "movement", "data-movement": m.name },
      cww.el("label", {}, "Name ", name),
      cww.el("label", {}, "Turn ", turn),
      cww.el("fieldset", {}, cww.el("legend", {}, "Leaves in"), ...laneBoxes(scene, m.lanes ?? [], `movement-${k}-lane`, lanes => changeMovements(all => { all[k].lanes = lanes; }))),
      remove);
  }));
  $("movement-lanes").replaceChildren(cww.el("legend", {}, "Leaves across the crosswalk in"), ...laneBoxes(scene, [], "new-movement-lane", () => {}));
}

function drawMovement() {
  $("draw-movement").disabled = true;
  $("finish-movement").disabled = false;
  cameraPage.editor.startDrawing(entry => {
    const lanes = motorLanes(cameraPage.editor.scene).filter(id => $(`new-movement-lane-${id}`)?.checked);
    changeMovements(all => all.push({ name: $("movement-name").value.trim(), turn: $("movement-turn").value, entry, lanes }));
    $("point-info").textContent = `Movement “${$("movement-name").value.trim()}” drawn with ${entry.length} corners: save the scene to keep it.`;
    $("movement-name").value = "";
    renderMovements();
  }, movementDrawn);
}

function movementDrawn() {
  $("draw-movement").disabled = false;
  $("finish-movement").disabled = true;
}

function sceneChanged(point) {
  if (point !== undefined) { $("point-info").textContent = point ?? "Click a point to choose it."; }
  const dirty = cameraPage.editor.scene !== null && JSON.stringify(cameraPage.editor.scene) !== cameraPage.savedScene;
  $("save-scene").disabled = !dirty;
  $("reset-scene").disabled = !dirty;
  if (dirty) {
    $("scene-state").className = "unsaved";
    $("scene-state").textContent = "Unsaved changes.";
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
    $("scene-state").textContent = `Not saved (${result.status}): the scene file is unchanged.`;
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

const shown = v => typeof v === "boolean" ? (v ? "yes" : "no") : String(v);

function input(f) {
  const common = { id: `rule-${f.key}`, name: f.key, "aria-describedby": `about-${f.key}` };
  if (f.kind === "boolean") {
    const box = cww.el("input", { ...common, type: "checkbox" });
    box.checked = f.value;
    return box;
  }
  if (f.kind === "choice") {
    return cww.el("select", common, ...f.choices.map(c => cww.el("option", c === f.value ? { value: c, selected: "" } : { value: c }, c)));
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
    cww.el("td", {}, input(f), f.overridden ? cww.el("span", { class: "badge one-away set-here", title: "set for this camera in its scene file, over the configuration's" }, "set here") : ""),
    cww.el("td", {}, shown(f.configured)),
    cww.el("td", { class: "about", id: `about-${f.key}` }, f.description, f.min !== undefined ? ` (${f.min}–${f.max})` : ""))));
  const p = data.plates;
  $("plates").textContent = `Plate settings are the same for every camera (plates: in cww.yaml): minimum per-character confidence ${p.minCharConfidence}, plate reads must agree: ${p.requireAgreement ? "yes" : "no"}.`;
  ruleChanged();
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
    $("rule-state").textContent = `Not saved (${result.status}): the scene file is unchanged.`;
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
    ? clips.map(c => cww.el("option", { value: c.caseId }, `${c.local} · lane ${c.lane} · vehicle #${c.vehicleTrackId} · ${c.status}`))
    : [cww.el("option", { value: "" }, "no stored clips of this camera yet")]));
  select.disabled = clips.length === 0;
  $("replay").disabled = clips.length === 0;
}

function candidateItem(c) {
  const pedestrians = c.pedestrians.map(p =>
    `pedestrian #${p.trackId} ${p.whereText}, ${p.lanesFromVehicleLane} lane widths from the vehicle's lane, at ${p.speed} box heights/s, ${p.framesInConflict} frames in conflict`);
  return cww.el("li", {},
    cww.el("strong", {}, `Vehicle #${c.vehicleTrackId}, lane ${c.lane} (${c.approach})`),
    c.movementText
      ? `: ${c.movementText}, entered the crosswalk at ${c.onLineSeconds} s at ${c.vehicleSpeed.toFixed(2)} box heights/s, ${c.stoppedBeforeLine ? "after stopping" : "without stopping"}.`
      : `: crossed the stop line at ${c.onLineSeconds} s at ${c.vehicleSpeed.toFixed(2)} box heights/s, ${c.stoppedBeforeLine ? "after stopping" : "without stopping"}.`,
    cww.el("ul", {}, ...pedestrians.map(p => cww.el("li", {}, p))));
}

function runColumn(title, side, keys) {
  const run = side.run;
  const settings = keys.map(k => `${k} = ${shown(side.settings[k])}`).join(", ");
  return cww.el("div", { class: "run" },
    cww.el("h3", {}, title),
    settings ? cww.el("p", { class: "muted" }, settings) : "",
    run.candidates.length ? cww.el("ol", {}, ...run.candidates.map(candidateItem)) : cww.el("p", { class: "none" }, "No candidate: the rule would not fire."),
    cww.el("p", { class: "muted" }, `${run.frames} frames judged, clip ${run.state}${run.deduplicated ? `, ${run.deduplicated} duplicate(s) dropped` : ""}${run.problem ? `: ${run.problem}` : ""}.`));
}

async function replay() {
  $("rule-errors").replaceChildren();
  const box = $("replay-result");
  box.hidden = false;
  box.replaceChildren(cww.el("p", { class: "busy" }, "Replaying the clip through the detector, tracker and yield rule, with the current and the changed thresholds…"));
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
    box.replaceChildren(
      cww.el("h3", {}, `Replay of case ${r.clip.caseId} (${r.clip.local}, lane ${r.clip.lane})`),
      cww.el("p", { id: "replay-summary", class: differs ? "summary differs" : "summary" }, r.summary),
      r.vehicles.length ? cww.el("table", { class: "vehicle-diff" },
        cww.el("thead", {}, cww.el("tr", {}, cww.el("th", {}, "Vehicle"), cww.el("th", {}, "Lane"), cww.el("th", {}, "Candidate now"), cww.el("th", {}, "Candidate with the change"))),
        cww.el("tbody", {}, ...r.vehicles.map(v => cww.el("tr", {},
          cww.el("td", {}, `#${v.vehicleTrackId}`), cww.el("td", {}, v.lane),
          cww.el("td", { class: v.current ? "yes" : "no" }, v.current ? "yes" : "no"),
          cww.el("td", { class: v.changed ? "yes" : "no" }, v.changed ? "yes" : "no"))))) : "",
      cww.el("div", { class: "replay-runs" },
        runColumn("With the current thresholds", r.current, r.changedKeys),
        runColumn("With the changed thresholds", r.changed, r.changedKeys)));
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
  $("finish-movement").addEventListener("click", () => { if (!cameraPage.editor.finish()) { $("point-info").textContent = "A region needs at least three points: click its corners on the picture."; } });
  $("refresh-snapshot").addEventListener("click", () => cww.guard(loadSnapshot));
  document.addEventListener("keydown", e => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); cww.guard(saveScene); }
  });
  $("rule-form").addEventListener("input", ruleChanged);
  $("rule-form").addEventListener("submit", e => cww.guard(() => saveRule(e)));
  $("reset-rule").addEventListener("click", () => cww.guard(loadRule));
  $("replay").addEventListener("click", () => cww.guard(replay));
  cww.guard(async () => {
    await loadCamera();
    await Promise.all(cameraPage.camera.scene ? [loadSnapshot(), loadScene(), loadRule(), loadClips()] : [loadSnapshot()]);
  });
});
