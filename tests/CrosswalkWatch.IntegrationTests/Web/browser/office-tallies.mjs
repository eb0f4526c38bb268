// The campaign office's tallies: counts and flags per official, the "at three (tally.threshold) or more" and "one away" sections, the
// department totals, the year and department filters, acknowledging the notice (still acknowledged after a reload, the
// first acknowledgement kept when acknowledged again), and the CSV export (UTF-8 with BOM, quoted, the year in its name).
import fs from "node:fs";
import path from "node:path";
import { params, scenario, check, shot, signIn } from "./lib.mjs";

const year = params.year;
const notice = `F1/${year}/3`;

// The page has drawn what the API gave it.
async function loaded(page) {
  await page.waitForSelector("body[data-loaded=true]");
}

const cell = (page, official, css) => page.textContent(`#officials tr[data-official="${official}"] ${css}`);

await scenario("office-tallies", async context => {
  const page = await signIn(context, "office");
  check(new URL(page.url()).pathname === "/office", `the office lands on /office (${page.url()})`);
  await loaded(page);

  // Counts and flags per official, most first.
  const rows = await page.$$eval("#officials tbody tr", trs => trs.map(tr => tr.dataset.official));
  check(JSON.stringify(rows) === JSON.stringify(["F1", "F2", "F3"]), `officials F1, F2, F3 in order of their counts (${rows})`);
  for (const [official, cases] of Object.entries(params.counted)) {
    check((await cell(page, official, ".count")).trim() === String(cases.length), `${official} counts ${cases.length}`);
    const links = await page.$$eval(`#officials tr[data-official="${official}"] td.cases a`, as => as.map(a => a.dataset.case));
    check(JSON.stringify(links) === JSON.stringify(cases), `${official}'s counted cases link to their pages (${links})`);
  }
  check((await cell(page, "F1", ".flag")).trim() === "notice", "F1, at three, is flagged notice");
  check((await cell(page, "F2", ".flag")).trim() === "one away", "F2, at two, is flagged one away");
  check((await cell(page, "F3", ".flag")).trim() === "", "F3, at one, is not flagged");
  check(await page.isVisible(`#at-threshold article[data-official="F1"]`) && !(await page.isVisible(`#at-threshold article[data-official="F2"]`)), "at three or more: F1 only");
  check((await page.textContent("#at-threshold-title")).startsWith("At three or more"), "the heading words the default threshold as before");
  check(await page.isVisible(`#one-away article[data-official="F2"]`) && !(await page.isVisible(`#one-away article[data-official="F1"]`)), "one away: F2 only");
  check((await page.textContent(`#at-threshold article[data-official="F1"]`)).includes(`Notice no. 3 (${year})`), "F1's notice is listed with F1");

  // Per department: F1's department has one official at three, F2's one one away.
  const f1Department = params.officials.F1.department;
  const totals = await page.$$eval(`#departments tr[data-department="${f1Department}"] td`, tds => tds.map(td => td.textContent));
  check(JSON.stringify(totals) === JSON.stringify([f1Department, "1", "3", "0", "1"]), `${f1Department}: 1 official, 3 violations, 0 one away, 1 at three or more (${totals})`);

  // Nothing of a vehicle that matches no official, nor of a fuzzy read.
  const text = await page.textContent("body");
  for (const plate of params.hidden) {
    check(!text.includes(plate), `the page shows nothing of ${plate}`);
  }
  await shot(page, "office-tallies");

  // Acknowledge the notice: who and when are shown, and stay after a reload.
  const button = page.locator(`#notices button[data-notice="${notice}"]`);
  check(await button.isVisible(), "the notice has an Acknowledge button");
  await button.focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector(`#notices .acked[data-notice="${notice}"]`);
  check((await page.textContent("#status")).includes("acknowledged"), "the page says the notice was acknowledged");
  await page.reload();
  await loaded(page);
  const acked = await page.textContent(`#notices .acked[data-notice="${notice}"]`);
  check(acked.startsWith("Acknowledged by office at "), `after a reload the notice shows who acknowledged it and when (${acked})`);
  check(await page.isVisible(`#at-threshold .acked[data-notice="${notice}"]`), "F1's card shows the acknowledgement too");
  await shot(page, "office-tallies-acknowledged");

  // Acknowledging again (another tab, a replayed request): the first acknowledgement stays.
  const again = await page.evaluate(async ([officialId, window]) => {
    const r = await fetch("/api/notices/ack", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": document.querySelector('meta[name="csrf-token"]').content },
      body: JSON.stringify({ officialId, window, ordinal: 3 }),
    });
    return { status: r.status, body: await r.json() };
  }, ["F1", String(year)]);
  check(again.status === 200 && again.body.already === true && again.body.notice.ackedBy === "office" && `${again.body.notice.ackedAt}` === acked.replace("Acknowledged by office at ", ""),
    `acknowledging again keeps the first acknowledgement (${JSON.stringify(again)})`);
  const noSuch = await page.evaluate(async () => (await fetch("/api/notices/ack", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": document.querySelector('meta[name="csrf-token"]').content },
    body: JSON.stringify({ officialId: "F2", window: "2000", ordinal: 3 }),
  })).status);
  check(noSuch === 404, `acknowledging a notice that does not exist answers 404 (${noSuch})`);
  const noToken = await page.evaluate(async () => (await fetch("/api/notices/ack", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })).status);
  check(noToken === 400, `an acknowledgement without the anti-forgery token is refused with 400 (${noToken})`);

  // The year selector: last year F2 had one, nobody else.
  await page.selectOption("#year", String(year - 1));
  await Promise.all([page.waitForURL(u => u.search.includes(`year=${year - 1}`)), page.click("#filter button[type=submit]")]);
  await loaded(page);
  const lastYear = await page.$$eval("#officials tbody tr", trs => trs.map(tr => `${tr.dataset.official}:${tr.querySelector(".count")?.textContent}`));
  check(JSON.stringify(lastYear) === JSON.stringify(["F2:1"]), `in ${year - 1} only F2, once (${lastYear})`);
  check((await page.textContent("#at-threshold")).includes("Nobody"), `nobody at three or more in ${year - 1}`);

  // The department filter: F2's department alone.
  await page.selectOption("#year", String(year));
  await page.selectOption("#department", params.officials.F2.department);
  await Promise.all([page.waitForURL(u => u.search.includes("department=")), page.click("#filter button[type=submit]")]);
  await loaded(page);
  const department = await page.$$eval("#officials tbody tr", trs => trs.map(tr => tr.dataset.official));
  check(JSON.stringify(department) === JSON.stringify(["F2"]), `${params.officials.F2.department} alone: F2 (${department})`);
  await shot(page, "office-tallies-department");

  // The CSV of the year: a download named with the year, UTF-8 with a BOM, quoted as RFC 4180 says.
  await page.goto(`/office?year=${year}`);
  await loaded(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
  check(download.suggestedFilename() === `tally-${year}.csv`, `the CSV is named tally-${year}.csv (${download.suggestedFilename()})`);
  fs.mkdirSync(params.downloads, { recursive: true });
  const file = path.join(params.downloads, download.suggestedFilename());
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  check(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, "the CSV starts with the UTF-8 byte order mark");
  const lines = bytes.subarray(3).toString("utf8").split("\r\n");
  check(lines[0] === "official id,name,department,authority,window,confirmed violations,flag,counted cases", `the CSV's header (${lines[0]})`);
  const f1 = params.officials.F1;
  check(lines[1] === `F1,${f1.name},${f1.department},市委组织部,${year},3,notice,${params.counted.F1.join(" ")}`, `F1's row (${lines[1]})`);
  check(lines[2].startsWith(`F2,${params.officials.F2.name},`) && lines[2].includes(`,${year},2,one away,`), `F2's row (${lines[2]})`);
  check(lines[3] === `F3,"丙""测试""","区政府办公室, 督查室",区委组织部,${year},1,,f3-jan`, `F3's row, quoted (${lines[3]})`);
  check(lines.length === 5 && lines[4] === "", `three officials and a final CRLF (${lines.length} lines)`);
});
