"use strict";
// Draws a camera's scene (0–1 image coordinates) over its picture on a <canvas>, and lets the operator move its
// points with the mouse, a finger or the keyboard, and draw a new polygon (a turning movement's entry region) point by
// point. Drawing only: what is allowed is for the server's scene loader.
class SceneEditor {
  // A movement's turn (as the scene names it) in the page's language.
  static turns = { right: cww.t("operator.turn.right"), left: cww.t("operator.turn.left") };

  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.onChange = onChange;
    this.image = null;
    this.scene = null;
    this.handles = [];
    this.selected = -1;
    this.drag = null;
    this.drawing = null; // { points, done, ended }: a polygon being drawn, one click a point
    canvas.addEventListener("pointerdown", e => this.pointerDown(e));
    canvas.addEventListener("pointermove", e => this.pointerMove(e));
    canvas.addEventListener("pointerup", e => this.pointerUp(e));
    canvas.addEventListener("pointercancel", e => this.pointerUp(e));
    canvas.addEventListener("keydown", e => this.keyDown(e));
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  // The picture to draw over (null: a plain background of the camera's size).
  setImage(image, width, height) {
    this.image = image;
    this.canvas.width = image ? image.naturalWidth : width;
    this.canvas.height = image ? image.naturalHeight : height;
    this.draw();
  }

  setScene(scene) {
    this.scene = structuredClone(scene);
    this.handles = SceneEditor.collect(this.scene);
    this.selected = Math.min(this.selected, this.handles.length - 1);
    this.draw();
  }

  // Every point that can be moved, in the order a click prefers them when they lie on top of each other.
  static collect(scene) {
    const handles = [];
    const add = (points, layer, label) => (points ?? []).forEach((p, i) => handles.push({ point: p, layer, label: label(i) }));
    add(scene.crosswalk, "crosswalk", i => cww.t("operator.point.crosswalk", { n: i + 1 }));
    (scene.approaches ?? []).forEach(a => {
      add(a.stopLine, "stop", i => cww.t("operator.point.stopLine", { name: a.name, n: i + 1 }));
      add(a.direction, "direction", i => cww.t(i === 0 ? "operator.point.directionTail" : "operator.point.directionHead", { name: a.name }));
    });
    add(scene.centerLine, "center", i => cww.t("operator.point.centerLine", { n: i + 1 }));
    (scene.approaches ?? []).forEach(a => (a.lanes ?? []).forEach(l => add(l.polygon, "lane", i => cww.t("operator.point.lane", { lane: l.id, n: i + 1 }))));
    (scene.sidewalks ?? []).forEach((s, k) => add(s, "side", i => cww.t("operator.point.sidewalk", { k: k + 1, n: i + 1 })));
    (scene.refuges ?? []).forEach((r, k) => add(r, "refuge", i => cww.t("operator.point.refuge", { k: k + 1, n: i + 1 })));
    (scene.movements ?? []).forEach(m => add(m.entry, "entry", i => cww.t("operator.point.entry", { name: m.name, n: i + 1 })));
    (scene.signals ?? []).forEach(g => add(g.box, "signal", i => cww.t(i === 0 ? "operator.point.signalTopLeft" : "operator.point.signalBottomRight", { name: g.name })));
    return handles;
  }

  // How many canvas pixels one CSS pixel is: lines and handles keep their size on screen whatever the picture's.
  scale() {
    const width = this.canvas.getBoundingClientRect().width;
    return width > 0 ? this.canvas.width / width : 1;
  }

  toCanvas(p) { return [p[0] * this.canvas.width, p[1] * this.canvas.height]; }

  draw() {
    const c = this.context;
    const { width, height } = this.canvas;
    const px = this.scale();
    c.clearRect(0, 0, width, height);
    if (this.image) {
      c.drawImage(this.image, 0, 0, width, height);
    } else {
      c.fillStyle = "#3a404a";
      c.fillRect(0, 0, width, height);
    }
    const s = this.scene;
    if (!s) { return; }
    (s.sidewalks ?? []).forEach(p => this.polygon(p, "rgba(158,158,158,.35)", "rgba(224,224,224,.9)", 1.5 * px));
    (s.refuges ?? []).forEach(p => this.polygon(p, "rgba(129,199,132,.35)", "#81c784", 1.5 * px));
    // A signal head's box, split where the box reads it: the red man above the line, the green man below.
    (s.signals ?? []).filter(g => g.box?.length === 2).forEach(g => {
      const [[x1, y1], [x2, y2]] = g.box;
      this.polygon([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], null, "#00ffff", 2 * px);
      this.line([[x1, (y1 + y2) / 2], [x2, (y1 + y2) / 2]], "#00ffff", 1 * px);
      this.label([(x1 + x2) / 2, y1], g.name, "#00ffff", px, -1);
    });
    const laneColours = ["#4fc3f7", "#ce93d8", "#a5d6a7", "#ffab91"];
    (s.approaches ?? []).forEach((a, k) => (a.lanes ?? []).forEach(l => {
      this.polygon(l.polygon, null, laneColours[k % laneColours.length], 2 * px, [6 * px, 4 * px]);
      this.label(SceneEditor.middle(l.polygon), l.id, laneColours[k % laneColours.length], px);
    }));
    this.polygon(s.crosswalk, "rgba(255,214,0,.30)", "#ffd600", 3 * px);
    if (s.centerLine) { this.line(s.centerLine, "#ffb300", 2.5 * px, [10 * px, 6 * px]); }
    (s.movements ?? []).forEach(m => {
      this.polygon(m.entry, "rgba(255,140,0,.18)", "#ff8c00", 2.5 * px, [8 * px, 5 * px]);
      const top = (m.entry ?? []).reduce((a, p) => (a === null || p[1] < a[1] ? p : a), null);
      const lanes = (m.lanes ?? []).join(cww.t("operator.list.separator")) || cww.t("operator.movement.noLane");
      if (top) { this.label(top, cww.t("operator.movement.label", { name: m.name, turn: SceneEditor.turns[m.turn] ?? m.turn, lanes }), "#ffcc80", px, -1); }
    });
    (s.approaches ?? []).forEach(a => {
      this.line(a.stopLine, "#e53935", 4 * px);
      this.arrow(a.direction, "#80deea", 2.5 * px);
      if (a.stopLine?.length === 2) { this.label(a.stopLine[0], cww.t("operator.stopLabel", { name: a.name }), "#ffcdd2", px, -1); }
    });
    this.handles.forEach((h, i) => this.handle(h, i === this.selected, px));
    if (this.drawing) {
      const points = this.drawing.points;
      this.polygon(points, points.length >= 3 ? "rgba(255,140,0,.18)" : null, "#ff8c00", 2.5 * px);
      points.forEach(p => this.handle({ point: p }, true, px));
    }
    if (this.selected >= 0) {
      const h = this.handles[this.selected];
      this.label(h.point, h.label, "#ffffff", px, 1);
    }
  }

  polygon(points, fill, stroke, lineWidth, dash = []) {
    if (!points?.length) { return; }
    const c = this.context;
    c.beginPath();
    points.forEach((p, i) => { const [x, y] = this.toCanvas(p); if (i === 0) { c.moveTo(x, y); } else { c.lineTo(x, y); } });
    c.closePath();
    if (fill) { c.fillStyle = fill; c.fill(); }
    c.setLineDash(dash);
    c.lineWidth = lineWidth;
    c.strokeStyle = stroke;
    c.stroke();
    c.setLineDash([]);
  }

  line(points, stroke, lineWidth, dash = []) {
    if (points?.length !== 2) { return; }
    const c = this.context;
    const [a, b] = points.map(p => this.toCanvas(p));
    c.beginPath();
    c.moveTo(...a);
    c.lineTo(...b);
    c.setLineDash(dash);
    c.lineWidth = lineWidth;
    c.strokeStyle = stroke;
    c.stroke();
    c.setLineDash([]);
  }

  arrow(points, stroke, lineWidth) {
    if (points?.length !== 2) { return; }
    this.line(points, stroke, lineWidth);
    const c = this.context;
    const [a, b] = points.map(p => this.toCanvas(p));
    const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
    const size = lineWidth * 5;
    c.beginPath();
    c.moveTo(...b);
    c.lineTo(b[0] - size * Math.cos(angle - 0.4), b[1] - size * Math.sin(angle - 0.4));
    c.lineTo(b[0] - size * Math.cos(angle + 0.4), b[1] - size * Math.sin(angle + 0.4));
    c.closePath();
    c.fillStyle = stroke;
    c.fill();
  }

  handle(h, selected, px) {
    const c = this.context;
    const [x, y] = this.toCanvas(h.point);
    c.beginPath();
    c.arc(x, y, (selected ? 7 : 4.5) * px, 0, Math.PI * 2);
    c.fillStyle = selected ? "#1f5fbf" : "#ffffff";
    c.fill();
    c.lineWidth = 1.5 * px;
    c.strokeStyle = selected ? "#ffffff" : "#1d2430";
    c.stroke();
  }

  // Text with a dark halo, readable on any picture; above (-1) or below (1) the point, or on it (0).
  label(point, text, colour, px, side = 0) {
    const c = this.context;
    const [x, y] = this.toCanvas(point);
    c.font = `600 ${Math.round(13 * px)}px system-ui, sans-serif`;
    c.textAlign = "center";
    c.textBaseline = "middle";
    const at = [Math.min(Math.max(x, c.measureText(text).width / 2 + 4 * px), this.canvas.width - c.measureText(text).width / 2 - 4 * px), y + side * 16 * px];
    c.lineWidth = 3.5 * px;
    c.strokeStyle = "rgba(0,0,0,.8)";
    c.strokeText(text, ...at);
    c.fillStyle = colour;
    c.fillText(text, ...at);
  }

  static middle(points) {
    const n = points?.length || 1;
    return [(points ?? []).reduce((s, p) => s + p[0], 0) / n, (points ?? []).reduce((s, p) => s + p[1], 0) / n];
  }

  // 0–1 coordinates of a pointer event.
  where(event) {
    const r = this.canvas.getBoundingClientRect();
    return [(event.clientX - r.left) / r.width, (event.clientY - r.top) / r.height];
  }

  // The handle nearest to a 0–1 point within 12 CSS pixels, or -1.
  nearest(p) {
    const r = this.canvas.getBoundingClientRect();
    let best = -1;
    let bestDistance = 12;
    this.handles.forEach((h, i) => {
      const d = Math.hypot((h.point[0] - p[0]) * r.width, (h.point[1] - p[1]) * r.height);
      if (d < bestDistance - 0.5) { best = i; bestDistance = d; }
    });
    return best;
  }

  // The handles that sit on the same spot as handle i (they move with it, as lanes share corners with the centre line).
  together(i, alone) {
    const p = this.handles[i].point;
    return alone ? [this.handles[i]] : this.handles.filter(h => Math.abs(h.point[0] - p[0]) < 1e-6 && Math.abs(h.point[1] - p[1]) < 1e-6);
  }

  // Drawing a polygon: each click (or tap) adds a point; finish() (or Enter) with three or more gives it to
  // done(points), Escape drops it; ended() hears either.
  startDrawing(done, ended) {
    this.drawing = { points: [], done, ended };
    this.select(-1);
    this.canvas.classList.add("drawing");
    this.canvas.focus();
  }

  finish() {
    if (!this.drawing || this.drawing.points.length < 3) { return false; }
    const { points, done } = this.drawing;
    this.stopDrawing();
    done(points);
    return true;
  }

  stopDrawing() {
    const ended = this.drawing?.ended;
    this.drawing = null;
    ended?.();
    this.canvas.classList.remove("drawing");
    this.draw();
  }

  pointerDown(event) {
    if (this.drawing) {
      const [x, y] = this.where(event);
      this.drawing.points.push([Math.round(Math.min(Math.max(x, 0), 1) * 10000) / 10000, Math.round(Math.min(Math.max(y, 0), 1) * 10000) / 10000]);
      event.preventDefault();
      this.draw();
      const n = this.drawing.points.length;
      this.onChange(cww.t(n === 1 ? "operator.drawing.one" : n === 2 ? "operator.drawing.two" : "operator.drawing.enough", { n }));
      return;
    }
    const i = this.nearest(this.where(event));
    this.select(i);
    if (i < 0) { return; }
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.canvas.classList.add("dragging");
    this.drag = { moving: this.together(i, event.altKey) };
  }

  pointerMove(event) {
    if (!this.drag) { return; }
    const [x, y] = this.where(event);
    this.moveTo(this.drag.moving, Math.min(Math.max(x, 0), 1), Math.min(Math.max(y, 0), 1));
  }

  pointerUp(event) {
    if (!this.drag) { return; }
    this.drag = null;
    this.canvas.classList.remove("dragging");
    if (this.canvas.hasPointerCapture(event.pointerId)) { this.canvas.releasePointerCapture(event.pointerId); }
  }

  keyDown(event) {
    if (this.drawing && (event.key === "Enter" || event.key === "Escape")) {
      if (event.key === "Enter") { this.finish(); } else { this.stopDrawing(); this.onChange(cww.t("operator.drawing.dropped")); }
      event.preventDefault();
      return;
    }
    const keys = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === "n" || event.key === "p") {
      const n = this.handles.length;
      if (n) { this.select(((this.selected < 0 ? (event.key === "n" ? -1 : 0) : this.selected) + (event.key === "n" ? 1 : -1) + n) % n); }
      event.preventDefault();
    } else if (event.key === "Escape") {
      this.select(-1);
    } else if (keys[event.key] && this.selected >= 0) {
      // One step is a pixel of a 1000-pixel-wide picture; Shift: five.
      const step = event.shiftKey ? 0.005 : 0.001;
      const [dx, dy] = keys[event.key];
      const p = this.handles[this.selected].point;
      this.moveTo(this.together(this.selected, event.altKey), Math.min(Math.max(p[0] + dx * step, 0), 1), Math.min(Math.max(p[1] + dy * step, 0), 1));
      event.preventDefault();
    }
  }

  moveTo(handles, x, y) {
    for (const h of handles) {
      h.point[0] = Math.round(x * 10000) / 10000;
      h.point[1] = Math.round(y * 10000) / 10000;
    }
    this.draw();
    this.onChange(this.describe());
  }

  select(i) {
    this.selected = i;
    this.draw();
    this.onChange(this.describe());
  }

  // The chosen point in words, for the panel beside the picture.
  describe() {
    if (this.selected < 0) { return null; }
    const h = this.handles[this.selected];
    const others = this.together(this.selected, false).length - 1;
    const values = { label: h.label, x: h.point[0].toFixed(4), y: h.point[1].toFixed(4), others };
    return cww.t(others === 0 ? "operator.point.at" : others === 1 ? "operator.point.atWithOne" : "operator.point.atWithMore", values);
  }
}
