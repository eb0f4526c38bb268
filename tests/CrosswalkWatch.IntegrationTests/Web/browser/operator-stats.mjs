// An operator opens the Statistics page: over the default 30 days, cam1's two days of cases drawn as 3 bars each,
// its hours streaming as one bar, its validity rate as a point per day against the re-tune line, cam1 flagged with
// its most common rejection reason; cam2's one day; the CSV download with a row per camera and day; then in Chinese.
import fs from "node:fs";
import path from "node:path";
import { params, scenario, check, shot, signIn } from "./lib.mjs";

const count = (page, selector) => page.$$eval(selector, nodes => nodes.length);

await scenario("operator-stats", async context => {
  const page = await signIn(context, "operator");
  await page.click(`nav a[href="/operator/stats"]`);
  await page.waitForSelector(`section[data-camera="cam1"] svg.cases rect.bar`);

  check(await page.inputValue("#from") === params.from && await page.inputValue("#to") === params.to, `the last 30 days by default (${params.from} to ${params.to})`);
  const cam1 = `section[data-camera="cam1"]`;
  const cam2 = `section[data-camera="cam2"]`;
  check(await count(page, `${cam1} svg.cases rect.bar`) === 6, `cam1: 3 bars for each of its 2 days (${await count(page, `${cam1} svg.cases rect.bar`)})`);
  check(await count(page, `${cam2} svg.cases rect.bar`) === 3, `cam2: 3 bars for its 1 day (${await count(page, `${cam2} svg.cases rect.bar`)})`);
  const bar = async (selector, attribute) => page.getAttribute(selector, attribute);
  check(await bar(`${cam1} svg.cases rect.bar.rejected[data-day="${params.yesterday}"]`, "data-value") === "3", `cam1 rejected 3 on ${params.yesterday}`);
  check(await count(page, `${cam1} svg.hours rect.bar`) === 1 && await bar(`${cam1} svg.hours rect.bar`, "data-day") === params.before
    && await bar(`${cam1} svg.hours rect.bar`, "data-value") === "10", `cam1: one hours bar, 10 h on ${params.before}`);
  check(await bar(`${cam2} svg.hours rect.bar`, "data-value") === "5", "cam2: 5 h streaming");
  check(await count(page, `${cam1} svg.validity circle.point`) === 2 && await count(page, `${cam1} svg.validity line.threshold`) === 1, "cam1: a validity point per decided day, and the re-tune line");
  check(await count(page, `${cam2} svg.validity circle.point`) === 0, "cam2: nothing decided, no validity point");
  const flags = await page.$$eval("#flags li.flag", lis => lis.map(li => [li.dataset.camera, li.textContent]));
  check(flags.length === 1 && flags[0][0] === "cam1" && flags[0][1].includes("17%") && flags[0][1].includes("vehicle stopped (3)"), `cam1 alone to re-tune, mostly for vehicle stopped (${JSON.stringify(flags)})`);
  await shot(page, "operator-stats-en");

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
  const name = `camera-stats-${params.from}-to-${params.to}.csv`;
  check(download.suggestedFilename() === name, `the CSV is named ${name} (${download.suggestedFilename()})`);
  fs.mkdirSync(params.downloads, { recursive: true });
  const file = path.join(params.downloads, name);
  await download.saveAs(file);
  const lines = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").split("\n").filter(Boolean);
  check(lines[0].startsWith("摄像机,日期,抓拍,确认,驳回") && lines[0].endsWith(",在线时长(小时)"), `the CSV's Chinese header (${lines[0]})`);
  check(lines.length === 4, `a row per camera and day: 3 (${lines.length - 1})`);
  check(lines[1].startsWith(`cam1,${params.before},3,1,2,vehicle-stopped:2,`) && lines[1].endsWith(",0.333,10.00"), `cam1's first day (${lines[1]})`);
  check(lines[2].startsWith(`cam1,${params.yesterday},3,0,3,`) && lines[2].endsWith(",0.000,"), `cam1's second day, no hours recorded (${lines[2]})`);
  check(lines[3].startsWith(`cam2,${params.yesterday},1,0,0,,1,`) && lines[3].endsWith(",,5.00"), `cam2's day (${lines[3]})`);

  // One camera only: the filter keeps its card alone.
  await page.selectOption("#camera", "cam2");
  await Promise.all([page.waitForURL(u => u.search.includes("camera=cam2")), page.click("#filter button[type=submit]")]);
  await page.waitForSelector(`${cam2} svg.cases rect.bar`);
  check(await count(page, "section.camera-stats") === 1, "cam2 alone when picked");

  await Promise.all([page.waitForEvent("load"), page.click("#language-switch")]);
  await page.waitForSelector(`${cam2} svg.cases rect.bar`);
  check((await page.textContent("#flags-title")).includes("需重新调校"), "in Chinese the flags read 需重新调校的摄像机");
  await page.goto("/operator/stats");
  await page.waitForSelector(`${cam1} svg.cases rect.bar`);
  await shot(page, "operator-stats-zh");
});
