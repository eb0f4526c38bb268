"use strict";
// Accounts: list, add, set role, reset password, disable/enable, unlock; the audit log below.
async function loadAccounts() {
  const accounts = await cww.api("GET", "/api/accounts");
  const body = document.querySelector("#accounts tbody");
  body.replaceChildren(...accounts.map(a => {
    const role = cww.el("select", { "aria-label": `role of ${a.username}` },
      ...["police", "office", "operator", "admin"].map(r => cww.el("option", r === a.role ? { value: r, selected: "" } : { value: r }, r)));
    role.addEventListener("change", () => change(a.username, { role: role.value }));
    const state = a.disabled ? "disabled" : a.locked ? `locked until ${cww.local(a.lockedUntil)}` : "active";
    return cww.el("tr", { "data-user": a.username },
      cww.el("td", {}, a.username), cww.el("td", {}, role), cww.el("td", {}, state), cww.el("td", {}, String(a.failedSignIns)),
      cww.el("td", {}, cww.local(a.changedAt)),
      cww.el("td", {},
        cww.el("button", { onclick: () => change(a.username, { disabled: !a.disabled }) }, a.disabled ? "Enable" : "Disable"),
        a.locked ? cww.el("button", { onclick: () => change(a.username, { unlock: true }) }, "Unlock") : "",
        cww.el("button", { onclick: () => { const p = prompt(`New password for ${a.username} (10 characters or more)`); if (p) { change(a.username, { password: p }); } } }, "Set password")));
  }));
}

async function loadAudit() {
  const entries = await cww.api("GET", "/api/audit");
  document.querySelector("#audit tbody").replaceChildren(...entries.map(e =>
    cww.el("tr", {}, cww.el("td", {}, String(e.id)), cww.el("td", {}, new Date(e.at).toISOString().replace("T", " ").slice(0, 19)), cww.el("td", {}, e.actor),
      cww.el("td", {}, e.caseId), cww.el("td", {}, e.action), cww.el("td", { class: "json" }, e.beforeJson), cww.el("td", { class: "json" }, e.afterJson))));
}

async function change(username, body) {
  await cww.guard(async () => {
    await cww.api("POST", `/api/accounts/${encodeURIComponent(username)}`, body);
    await Promise.all([loadAccounts(), loadAudit()]);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  cww.guard(() => Promise.all([loadAccounts(), loadAudit()]));
  document.getElementById("new-account").addEventListener("submit", async event => {
    event.preventDefault();
    const form = event.target;
    await cww.guard(async () => {
      await cww.api("POST", "/api/accounts", { username: form.username.value, role: form.role.value, password: form.password.value });
      form.reset();
      await Promise.all([loadAccounts(), loadAudit()]);
    });
  });
});
