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
    return office.caseLink(c.id, c.local.slice(0, 16), cww.t("office.countedCase.title", { id: c.id, camera: c.camera }));
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
    return office.reaches(o) ? cww.el("span", { class: "badge notice" }, cww.t("office.flag.notice")) : office.oneAway(o) ? cww.el("span", { class: "badge one-away" }, cww.t("office.flag.oneAway")) : "";
  },

  // A count as the page words it: in English "three" up to ten, figures above; an ordinal as "3rd" (第3次).
  words(n) {
    return cww.t("office.numbers").split(",")[n] ?? String(n);
  },

  ordinal(n) {
    const forms = {
      one: cww.t("office.ordinal.one", { n }), two: cww.t("office.ordinal.two", { n }), few: cww.t("office.ordinal.few", { n }), other: cww.t("office.ordinal.other", { n }),
    };
    return forms[new Intl.PluralRules(cww.lang, { type: "ordinal" }).select(n)] ?? forms.other;
  },

  // A window as notices name it ("2026", "365d to 2026-05-03") in the page's words.
  windowName(label) {
    return label.startsWith("365d to ") ? cww.t("office.window.rolling", { day: label.slice("365d to ".length) }) : cww.t("office.window.calendar", { year: label });
  },

  // The nodes of text, each {name} in it replaced by nodes[name] (a link, a badge, a span): the sentence stays whole in every language.
  nodes(text, nodes) {
    return text.split(/\{(\w+)\}/).map((part, i) => (i % 2 === 0 ? part : nodes[part] ?? `{${part}}`));
  },

  // The page's own sentences that name the threshold (headings, explanation, column head); each [data-threshold] says which form it holds.
  fillThreshold() {
    const t = office.threshold;
    const forms = { words: office.words(t), Words: office.words(t).replace(/^./, c => c.toUpperCase()), ordinal: office.ordinal(t), below: office.words(t - 1) };
    const form = name => cww.el("span", { "data-threshold": name }, forms[name]);
    document.getElementById("at-threshold-title").replaceChildren(...office.nodes(cww.t("office.atThreshold.title"),
      { words: form("words"), notice: cww.el("span", { class: "badge notice" }, cww.t("office.flag.notice")) }));
    document.getElementById("at-threshold-text").replaceChildren(...office.nodes(cww.t("office.atThreshold.text"), { Words: form("Words"), ordinal: form("ordinal") }));
    document.getElementById("one-away-title").replaceChildren(...office.nodes(cww.t("office.oneAway.title"),
      { badge: cww.el("span", { class: "badge one-away" }, ...office.nodes(cww.t("office.oneAway.badge"), { below: form("below") })) }));
    document.getElementById("at-threshold-column").replaceChildren(...office.nodes(cww.t("office.column.atThreshold"), { words: form("words") }));
  },

  key(n) {
    return `${n.official.id}/${n.window}/${n.ordinal}`;
  },

  // A notice's acknowledgement: who and when, or the button that acknowledges it.
  ack(n) {
    if (n.withdrawn) {
      return cww.el("span", { class: "warn withdrawn", "data-notice": office.key(n) }, cww.t("office.notice.withdrawn", { at: n.withdrawnAt, reason: n.withdrawnReason }));
    }
    if (n.acknowledged) {
      return cww.el("span", { class: "ok acked", "data-notice": office.key(n) }, cww.t("office.notice.acked", { by: n.ackedBy, at: n.ackedAt }));
    }
    return cww.el("button", {
      class: "primary", type: "button", "data-notice": office.key(n),
      "aria-label": cww.t("office.notice.ackLabel", { ordinal: n.ordinal, official: n.official.name || n.official.id, window: office.windowName(n.window) }),
      onclick: () => office.acknowledge(n),
    }, cww.t("office.notice.ack"));
  },

  async acknowledge(n) {
    await cww.guard(async () => {
      const done = await cww.api("POST", "/api/notices/ack", { officialId: n.official.id, window: n.window, ordinal: n.ordinal });
      const status = document.getElementById("status");
      const a = done.notice;
      const values = { ordinal: a.ordinal, official: a.official.name || a.official.id, window: office.windowName(a.window), by: a.ackedBy, at: a.ackedAt };
      status.textContent = done.already ? cww.t("office.notice.alreadyAcked", values) : cww.t("office.notice.ackedNow", values);
      status.hidden = false;
      await office.load();
      status.focus(); // the button is gone: keyboard users go on from the message
    });
  },

  cases(o) {
    return o.cases.flatMap((c, i) => [i > 0 ? cww.t("office.separator") : "", office.countedCase(c)]);
  },

  // An official at the threshold or more, or one away: who, where, the count and the cases it is made of.
  card(o, ...more) {
    return cww.el("article", { class: "official", "data-official": o.id },
      cww.el("h3", {}, o.name || o.id, " ", cww.el("span", { class: "count" }, cww.t("office.card.count", { count: o.count }))),
      cww.el("p", { class: "muted" }, `${o.department} · ${o.authority} · ${o.id}`),
      cww.el("p", { class: "cases" }, ...office.nodes(cww.t("office.card.cases"), { cases: office.cases(o) })), ...more);
  },

  list(section, officials, card) {
    document.querySelector(`${section} .list`).replaceChildren(...(officials.length === 0
      ? [cww.el("p", { class: "muted" }, cww.t("office.list.nobody"))]
      : officials.map(card)));
  },

  fillFilter(tally) {
    const year = document.getElementById("year");
    year.replaceChildren(...tally.years.map(y => cww.el("option", y === tally.year ? { value: y, selected: "" } : { value: y }, String(y))));
    const department = document.getElementById("department");
    department.replaceChildren(cww.el("option", { value: "" }, cww.t("office.filter.allDepartments")),
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
    document.getElementById("summary").textContent = cww.t("office.summary", {
      period: tally.department ? cww.t("office.summary.department", { period: tally.window.described, department: tally.department }) : tally.window.described,
      officials: tally.officials.length,
      violations: counted,
      atThreshold: tally.officials.filter(office.reaches).length,
      words: office.words(office.threshold),
      oneAway: tally.officials.filter(office.oneAway).length,
    });
  },

  unacknowledged(notices) {
    const open = notices.filter(n => !n.acknowledged && !n.withdrawn).length;
    const line = document.getElementById("unacked");
    line.textContent = notices.length === 0 ? "" : open === 0 ? cww.t("office.notices.allAcked") : cww.t("office.notices.toAck", { count: open });
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
        cww.el("li", {}, ...office.nodes(cww.t("office.notice.item"),
          { ordinal: n.ordinal, window: office.windowName(n.window), reached: n.reachedAt.slice(0, 16), case: office.caseLink(n.caseId, n.caseId), ack: office.ack(n) }))))));
    office.list("#one-away", tally.officials.filter(office.oneAway), o => office.card(o));

    document.querySelector("#officials tbody").replaceChildren(...(tally.officials.length === 0
      ? [cww.el("tr", {}, cww.el("td", { colspan: "6", class: "muted" }, cww.t("office.officials.none")))]
      : tally.officials.map(o => cww.el("tr", { "data-official": o.id },
        office.officialCell(o), cww.el("td", {}, o.department), cww.el("td", {}, o.authority),
        cww.el("td", { class: "num count" }, String(o.count)), cww.el("td", { class: "flag" }, office.flag(o)),
        cww.el("td", { class: "cases" }, ...office.cases(o))))));

    document.querySelector("#departments tbody").replaceChildren(...tally.totals.map(d => cww.el("tr", { "data-department": d.department },
      cww.el("td", {}, d.department || cww.t("office.departments.none")), cww.el("td", { class: "num" }, String(d.officials)), cww.el("td", { class: "num" }, String(d.count)),
      cww.el("td", { class: "num" }, String(d.oneAway)), cww.el("td", { class: "num" }, String(d.atThreshold)))));

    // Every notice of every year, or of the chosen department.
    const shown = tally.department ? notices.filter(n => n.official.department === tally.department) : notices;
    office.unacknowledged(shown);
    document.getElementById("notices-scope").textContent = tally.department
      ? cww.t("office.notices.scopeDepartment", { department: tally.department })
      : cww.t("office.notices.scopeAll");
    document.querySelector("#notices tbody").replaceChildren(...(shown.length === 0
      ? [cww.el("tr", {}, cww.el("td", { colspan: "7", class: "muted" }, cww.t("office.notices.none")))]
      : shown.map(n => cww.el("tr", { "data-notice": office.key(n), class: n.withdrawn ? "withdrawn" : n.acknowledged ? "" : "unacked" },
        office.officialCell(n.official), cww.el("td", {}, n.official.department), cww.el("td", {}, office.windowName(n.window)),
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
