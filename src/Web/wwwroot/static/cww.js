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
};
