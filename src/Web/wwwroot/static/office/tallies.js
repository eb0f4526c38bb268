"use strict";
// The campaign office's tallies: per official, department and year; officials at the threshold or more (with their
// notices) and one away; every notice with its acknowledgement; the CSV export. The year and department are in the
// address (?year=&department=), so a reload or a shared link shows the same tally. The threshold (tally.threshold, 3
// by default) is the API's: the page never assumes it.
const office = {
  threshold: null, // tally.threshold, from the API: render sets it before anything is drawn

  query() {
    const q = new URLSearchParams(location.search);
    const out = new URLSearchParams();
    for (const key of ["window", "at"]) {
      if (q.get(key)) { out.set(key, q.get(key)); }
    }
    if (q.get("year") && q.get("window") !== "rolling365") { out.set("year", q.get("year")); }
    if (q.get("department")) { out.set("department", q.get("department")); }
    return out;
  },

  // A counted case: its page is the office's view of it (photos, time, place, official).
  caseLink(id, text, title) {
    return cww.el("a", { href: `/office/cases/${encodeURIComponent(id)}`, title, "data-case": id }, text);
  },

  countedCase(c) {
    return office.caseLink(c.id, c.local.slice(0, 16), `case ${c.id}, camera ${c.camera}`);
  },

  officialCell(o) {
    return cww.el("td", {}, cww.el("strong", {}, o.name || o.id), " ", cww.el("span", { class: "muted" }, o.id));
  },

  // The campaign's policy is the server's (TallyRules): each official comes with its flag.
  reaches(o) {
    return o.flag === "notice";
  },

  oneAway(o) {
    return o.flag === "one away";
  },

  flag(o) {
    return office.reaches(o) ? cww.el("span", { class: "badge notice" }, "notice") : office.oneAway(o) ? cww.el("span", { class: "badge one-away" }, "one away") : "";
  },

  // A count as the page words it: "three" up to ten, figures above; an ordinal as "3rd".
  words(n) {
    return ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"][n] ?? String(n);
  },

  ordinal(n) {
    const tens = n % 100;
    const ones = n % 10;
    return `${n}${tens >= 11 && tens <= 13 ? "th" : ones === 1 ? "st" : ones === 2 ? "nd" : ones === 3 ? "rd" : "th"}`;
  },

  // The page's own words for the threshold (headings, explanations, column heads): each [data-threshold] says which form.
  fillThreshold() {
    const t = office.threshold;
    const forms = { words: office.words(t), Words: office.words(t).replace(/^./, c => c.toUpperCase()), ordinal: office.ordinal(t), below: office.words(t - 1) };
    for (const el of document.querySelectorAll("[data-threshold]")) {
      el.textContent = forms[el.dataset.threshold];
    }
  },

  key(n) {
    return `${n.official.id}/${n.window}/${n.ordinal}`;
  },

  // A notice's acknowledgement: who and when, or the button that acknowledges it.
  ack(n) {
    if (n.withdrawn) {
      return cww.el("span", { class: "warn withdrawn", "data-notice": office.key(n) }, `Withdrawn at ${n.withdrawnAt}: ${n.withdrawnReason}`);
    }
    if (n.acknowledged) {
      return cww.el("span", { class: "ok acked", "data-notice": office.key(n) }, `Acknowledged by ${n.ackedBy} at ${n.ackedAt}`);
    }
    return cww.el("button", {
      class: "primary", type: "button", "data-notice": office.key(n),
      "aria-label": `Acknowledge notice no. ${n.ordinal} of ${n.official.name || n.official.id} (${n.window})`,
      onclick: () => office.acknowledge(n),
    }, "Acknowledge");
  },

  async acknowledge(n) {
    await cww.guard(async () => {
      const done = await cww.api("POST", "/api/notices/ack", { officialId: n.official.id, window: n.window, ordinal: n.ordinal });
      const status = document.getElementById("status");
      const a = done.notice;
      status.textContent = done.already
        ? `Notice no. ${a.ordinal} of ${a.official.name} (${a.window}) was already acknowledged by ${a.ackedBy} at ${a.ackedAt}.`
        : `Notice no. ${a.ordinal} of ${a.official.name} (${a.window}) acknowledged.`;
      status.hidden = false;
      await office.load();
      status.focus(); // the button is gone: keyboard users go on from the message
    });
  },

  cases(o) {
    return o.cases.flatMap((c, i) => [i > 0 ? ", " : "", office.countedCase(c)]);
  },

  // An official at the threshold or more, or one away: who, where, the count and the cases it is made of.
  card(o, ...more) {
    return cww.el("article", { class: "official", "data-official": o.id },
      cww.el("h3", {}, o.name || o.id, " ", cww.el("span", { class: "count" }, `${o.count} confirmed`)),
      cww.el("p", { class: "muted" }, `${o.department} · ${o.authority} · ${o.id}`),
      cww.el("p", { class: "cases" }, "Counted cases: ", ...office.cases(o)), ...more);
  },

  list(section, officials, card) {
    document.querySelector(`${section} .list`).replaceChildren(...(officials.length === 0
      ? [cww.el("p", { class: "muted" }, "Nobody in this year.")]
      : officials.map(card)));
  },

  fillFilter(tally) {
    const year = document.getElementById("year");
    year.replaceChildren(...tally.years.map(y => cww.el("option", y === tally.year ? { value: y, selected: "" } : { value: y }, String(y))));
    const department = document.getElementById("department");
    department.replaceChildren(cww.el("option", { value: "" }, "All departments"),
      ...tally.departments.map(d => cww.el("option", d === tally.department ? { value: d, selected: "" } : { value: d }, d)));
    const rolling = tally.window.kind === "rolling365";
    document.getElementById("window").value = tally.window.kind;
    year.disabled = rolling;
    const at = document.getElementById("at");
    at.disabled = !rolling;
    if (rolling && !at.value) { at.value = tally.window.label.replace("365d to ", ""); }
    const csv = new URLSearchParams(rolling ? { window: "rolling365", at: at.value } : { year: tally.year });
    if (tally.department) { csv.set("department", tally.department); }
    document.getElementById("csv").href = `/api/tally.csv?${csv}`;
    const counted = tally.officials.reduce((sum, o) => sum + o.count, 0);
    document.getElementById("summary").textContent =
      `${tally.window.described}${tally.department ? `, ${tally.department}` : ""}: ${tally.officials.length} official(s) with ${counted} confirmed violation(s); ` +
      `${tally.officials.filter(office.reaches).length} at ${office.words(office.threshold)} or more, ${tally.officials.filter(office.oneAway).length} one away.`;
  },

  unacknowledged(notices) {
    const open = notices.filter(n => !n.acknowledged && !n.withdrawn).length;
    const line = document.getElementById("unacked");
    line.textContent = notices.length === 0 ? "" : open === 0 ? "Every notice is acknowledged." : `${open} notice(s) to acknowledge.`;
    line.hidden = notices.length === 0;
    line.className = open === 0 ? "ok" : "warn";
  },

  render(tally, notices) {
    office.threshold = tally.threshold;
    office.fillThreshold();
    office.fillFilter(tally);
    // A calendar tally shows that year's notices; a rolling one every notice (each names its own 365 days).
    const inYear = tally.window.kind === "rolling365" ? notices : notices.filter(n => n.year === tally.year);

    office.list("#at-threshold", tally.officials.filter(office.reaches), o => office.card(o,
      cww.el("ul", { class: "notices" }, ...inYear.filter(n => n.official.id === o.id).map(n =>
        cww.el("li", {}, `Notice no. ${n.ordinal} (${n.window}), reached ${n.reachedAt.slice(0, 16)} by case `,
          office.caseLink(n.caseId, n.caseId), ": ", office.ack(n))))));
    office.list("#one-away", tally.officials.filter(office.oneAway), o => office.card(o));

    document.querySelector("#officials tbody").replaceChildren(...(tally.officials.length === 0
      ? [cww.el("tr", {}, cww.el("td", { colspan: "6", class: "muted" }, "No confirmed violation of an official in this year."))]
      : tally.officials.map(o => cww.el("tr", { "data-official": o.id },
        office.officialCell(o), cww.el("td", {}, o.department), cww.el("td", {}, o.authority),
        cww.el("td", { class: "num count" }, String(o.count)), cww.el("td", { class: "flag" }, office.flag(o)),
        cww.el("td", { class: "cases" }, ...office.cases(o))))));

    document.querySelector("#departments tbody").replaceChildren(...tally.totals.map(d => cww.el("tr", { "data-department": d.department },
      cww.el("td", {}, d.department || "(none)"), cww.el("td", { class: "num" }, String(d.officials)), cww.el("td", { class: "num" }, String(d.count)),
      cww.el("td", { class: "num" }, String(d.oneAway)), cww.el("td", { class: "num" }, String(d.atThreshold)))));

    // Every notice of every year, or of the chosen department.
    const shown = tally.department ? notices.filter(n => n.official.department === tally.department) : notices;
    office.unacknowledged(shown);
    document.getElementById("notices-scope").textContent = tally.department ? `${tally.department}, every year` : "every department and year";
    document.querySelector("#notices tbody").replaceChildren(...(shown.length === 0
      ? [cww.el("tr", {}, cww.el("td", { colspan: "7", class: "muted" }, "No notice yet."))]
      : shown.map(n => cww.el("tr", { "data-notice": office.key(n), class: n.withdrawn ? "withdrawn" : n.acknowledged ? "" : "unacked" },
        office.officialCell(n.official), cww.el("td", {}, n.official.department), cww.el("td", {}, n.window),
        cww.el("td", { class: "num" }, String(n.ordinal)),
        cww.el("td", {}, office.caseLink(n.caseId, n.caseId)),
        cww.el("td", {}, n.reachedAt.slice(0, 19)), cww.el("td", {}, office.ack(n))))));
  },

  async load() {
    const [tally, notices] = await Promise.all([cww.api("GET", `/api/tally?${office.query()}`), cww.api("GET", "/api/notices")]);
    office.render(tally, notices);
    document.body.dataset.loaded = "true";
  },
};

document.addEventListener("DOMContentLoaded", () => cww.guard(office.load));
