// Shared by every page: the JSON API with the anti-forgery token, and showing an error where the user sees it.
"use strict";
const cww = {
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
      const error = new Error(`${response.status}: ${reason}`);
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

  local(iso) {
    return iso ? new Date(iso).toLocaleString() : "";
  },
};
