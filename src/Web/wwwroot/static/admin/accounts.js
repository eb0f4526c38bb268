"use strict";
// Accounts: list, add, set role, reset password, disable/enable, unlock; the audit log below.

// The roles and the audit log's actions as the page names them (the API's values stay as they are); an action the
// page does not know is shown as the log has it.
const roleNames = {
  police: cww.t("common.role.police"), office: cww.t("common.role.office"), operator: cww.t("common.role.operator"), admin: cww.t("common.role.admin"),
};
const actionNames = {
  "account-created": cww.t("admin.action.account-created"),
  "account-changed": cww.t("admin.action.account-changed"),
  "account-password-set": cww.t("admin.action.account-password-set"),
  "account-disabled": cww.t("admin.action.account-disabled"),
  "account-enabled": cww.t("admin.action.account-enabled"),
  "account-unlocked": cww.t("admin.action.account-unlocked"),
  "account-locked": cww.t("admin.action.account-locked"),
  "language": cww.t("admin.action.language"),
  "confirm": cww.t("admin.action.confirm"),
  "reject": cww.t("admin.action.reject"),
  "correct": cww.t("admin.action.correct"),
  "reopen": cww.t("admin.action.reopen"),
  "notice-acknowledged": cww.t("admin.action.notice-acknowledged"),
  "notice-withdrawn": cww.t("admin.action.notice-withdrawn"),
  "evidence-deleted": cww.t("admin.action.evidence-deleted"),
  "scene-changed": cww.t("admin.action.scene-changed"),
  "rule-changed": cww.t("admin.action.rule-changed"),
  "site-key-added": cww.t("admin.action.site-key-added"),
  "site-key-retired": cww.t("admin.action.site-key-retired"),
};

async function loadAccounts() {
  const accounts = await cww.api("GET", "/api/accounts");
  const body = document.querySelector("#accounts tbody");
  body.replaceChildren(...accounts.map(a => {
    const role = cww.el("select", { "aria-label": cww.t("admin.accounts.roleOf", { user: a.username }) },
      ...Object.entries(roleNames).map(([r, name]) => cww.el("option", r === a.role ? { value: r, selected: "" } : { value: r }, name)));
    role.addEventListener("change", () => change(a.username, { role: role.value }));
    const state = a.disabled ? cww.t("admin.state.disabled") : a.locked ? cww.t("admin.state.locked", { until: cww.local(a.lockedUntil) }) : cww.t("admin.state.active");
    return cww.el("tr", { "data-user": a.username },
      cww.el("td", {}, a.username), cww.el("td", {}, role), cww.el("td", {}, state), cww.el("td", {}, String(a.failedSignIns)),
      cww.el("td", {}, cww.local(a.changedAt)),
      cww.el("td", {},
        cww.el("button", { onclick: () => change(a.username, { disabled: !a.disabled }) }, a.disabled ? cww.t("admin.button.enable") : cww.t("admin.button.disable")),
        a.locked ? cww.el("button", { onclick: () => change(a.username, { unlock: true }) }, cww.t("admin.button.unlock")) : "",
        cww.el("button", {
          onclick: () => {
            const p = prompt(cww.t("admin.prompt.password", { user: a.username }));
            if (p) { change(a.username, { password: p }); }
          },
        }, cww.t("admin.button.password"))));
  }));
}

async function loadAudit() {
  const entries = await cww.api("GET", "/api/audit");
  document.querySelector("#audit tbody").replaceChildren(...entries.map(e =>
    cww.el("tr", {}, cww.el("td", {}, String(e.id)), cww.el("td", {}, cww.local(e.at)), cww.el("td", {}, e.actor),
      cww.el("td", {}, e.caseId), cww.el("td", {}, actionNames[e.action] ?? e.action), cww.el("td", { class: "changes" }, cww.auditChange(e.before, e.after)))));
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
