// Shared by every page: the JSON API with the anti-forgery token, showing an error where the user sees it, the page's
// texts in its language (cww.t) and times in the site's zone (cww.local).
"use strict";
const cww = {
  // The texts of the page's language (wwwroot/i18n/LANGUAGE/*.json, put in the page by the server).
  texts: JSON.parse(document.getElementById("cww-texts")?.textContent || "{}"),
  lang: document.documentElement.lang || "zh-CN",
  zone: document.querySelector('meta[name="cww-zone"]')?.content || undefined,

  // The text of key with each {name} replaced by values[name]; the key itself when the text is missing.
  t(key, values = {}) {
    const text = cww.texts[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  },

  token: () => document.querySelector('meta[name="csrf-token"]')?.content ?? "",

  // fetch() against /api: JSON in and out; a refusal throws an Error with the server's reason.
  async api(method, url, body) {
    const init = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (method !== "GET") {
      init.headers["X-CSRF-TOKEN"] = cww.token();
    }
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    if (!response.ok) {
      const reason = (data && data.error) || (typeof data === "string" && data) || response.statusText;
      const error = new Error(cww.t("common.error.request", { status: response.status, reason }));
      error.status = response.status;
      throw error;
    }
    return data;
  },

  showError(error) {
    const box = document.getElementById("error");
    if (!box) { return; }
    box.textContent = error ? String(error.message ?? error) : "";
    box.hidden = !error;
  },

  // Runs an async action, showing its error instead of losing it.
  async guard(action) {
    try {
      cww.showError(null);
      return await action();
    } catch (e) {
      cww.showError(e);
      return undefined;
    }
  },

  el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null) { continue; }
      if (k === "class") { node.className = v; } else if (k.startsWith("on")) { node.addEventListener(k.slice(2), v); } else { node.setAttribute(k, v); }
    }
    for (const c of children.flat()) {
      node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
    }
    return node;
  },

  // A moment as 2026-12-02 09:49:58.675 in the site's time zone (24-hour, whatever the browser's locale).
  local(iso, withMilliseconds = true) {
    if (!iso) { return ""; }
    const date = new Date(iso);
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
      timeZone: cww.zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(date).map(p => [p.type, p.value]));
    const text = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
    return withMilliseconds ? `${text}.${String(date.getMilliseconds()).padStart(3, "0")}` : text;
  },

  // The time of day of a moment in the site's zone, 24-hour: 09:49:58.
  time(iso) { return cww.local(iso, false).slice(11); },

  // ---- the audit log's changes, in words (the case page's audit trail, the admin's audit log) ----

  // The words of a field's values: the text of each is the prefix followed by the value (a value without one as it is).
  auditWords: { status: "police.status.", matchKind: "police.matchKind.", rejectReason: "police.rejectReason.", role: "common.role.", language: "common.language." },
  // Fields each row already says (who and when), or too long to read in a row (a site's public key).
  auditSkipped: ["decidedAt", "decidedBy", "publicKeyPem"],

  // A field's name in the page's language (common.audit.field.NAME), or as the log has it.
  auditField: name => cww.texts[`common.audit.field.${name}`] ?? name,

  // A value in words: a reviewer's confirmation as who, which plate, when and their note; a moment in the site's
  // time; a list of numbers, texts or lists in brackets, of records item by item; yes or no; a record field by field.
  auditValue(v, field) {
    const separator = cww.t("common.audit.separator");
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) { return "—"; }
    if (Array.isArray(v)) {
      return v.some(x => x !== null && typeof x === "object" && !Array.isArray(x))
        ? v.map(x => cww.auditValue(x)).join(separator)
        : `[${v.map(x => cww.auditValue(x)).join(", ")}]`;
    }
    if (typeof v === "boolean") { return cww.t(v ? "common.audit.yes" : "common.audit.no"); }
    if (typeof v === "object" && "actor" in v && "at" in v) {
      const values = { actor: v.actor, plate: v.plate ?? "—", at: cww.local(v.at, false), note: v.note };
      return cww.t(v.note ? "common.audit.confirmationNoted" : "common.audit.confirmation", values);
    }
    if (typeof v === "object") {
      return Object.entries(v).map(([k, x]) => cww.t("common.audit.field", { field: cww.auditField(k), value: cww.auditValue(x, k) })).join(separator);
    }
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) { return cww.local(v, false); }
    const words = cww.auditWords[field];
    return (words && cww.texts[words + v]) ?? String(v);
  },

  // What an audit entry changed: each field that differs as "field: before → after" (a field of a record that changed
  // as "record › field"; a flag the state before did not record and the state after says no of is no change); a
  // record made, with nothing before, as each field it was made with.
  auditChange(before, after) {
    const separator = cww.t("common.audit.separator");
    const record = v => v !== null && typeof v === "object" && !Array.isArray(v);
    const shown = k => !cww.auditSkipped.includes(k);
    const same = (b, a) => JSON.stringify(b) === JSON.stringify(a) || (b == null && a === false);
    const name = (k, outer) => (outer ? cww.t("common.audit.inside", { outer, field: cww.auditField(k) }) : cww.auditField(k));
    const differences = (b, a, outer) => Object.keys({ ...b, ...a })
      .filter(k => shown(k) && !same(b[k], a[k]))
      .flatMap(k => (record(b[k]) && record(a[k])
        ? differences(b[k], a[k], name(k, outer))
        : [cww.t("common.audit.change", { field: name(k, outer), before: cww.auditValue(b[k], k), after: cww.auditValue(a[k], k) })]));
    if (!record(after)) { return ""; }
    if (!record(before)) {
      return Object.entries(after).filter(([k, v]) => shown(k) && v !== null)
        .map(([k, v]) => cww.t("common.audit.field", { field: cww.auditField(k), value: cww.auditValue(v, k) })).join(separator);
    }
    return differences(before, after, "").join(separator);
  },
};
