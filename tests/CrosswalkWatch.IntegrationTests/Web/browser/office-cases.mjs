// The cases the campaign office may open: a case counted against an official (official, time, place, photos), and
// nothing else — a citizen's case, a fuzzy read, an official's case not yet confirmed and an unknown id are refused,
// page (403) and API (403) alike, with a reason that says nothing of the case; the police pages and API are refused
// too, and the other roles cannot reach the office's.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

const refusal = "the campaign office opens only cases a police reviewer confirmed against an official of the registry";

await scenario("office-cases", async (context, fresh) => {
  const page = await signIn(context, "office");
  await page.waitForSelector("body[data-loaded=true]");

  // From the tally to F1's third case.
  const third = params.counted.F1[2];
  await Promise.all([page.waitForURL(`**/office/cases/${third}`), page.click(`#officials tr[data-official="F1"] a[data-case="${third}"]`)]);
  await page.waitForSelector("body[data-loaded=true]");
  const facts = await page.$$eval("#case dl dt", dts => Object.fromEntries(dts.map(dt => [dt.textContent, dt.nextElementSibling.textContent])));
  check(facts.Official === `${params.officials.F1.name} (F1)`, `the case names its official (${facts.Official})`);
  check(facts.Department === params.officials.F1.department, `and the official's department (${facts.Department})`);
  check(facts.Time.startsWith(`${params.year}-03-10 08:15:30.000`), `the time, in site time (${facts.Time})`);
  check(facts.Place.length > 0 && facts.Camera.startsWith("cam1"), `the place and camera (${facts.Place}; ${facts.Camera})`);
  check(facts.Evidence.startsWith("intact"), `the evidence verifies against the signed manifest (${facts.Evidence})`);
  check(facts["Notices reached"] === `no. 3 (${params.year})`, `the notice this case reached (${facts["Notices reached"]})`);
  const photos = await page.$$eval("#photos img", imgs => Promise.all(imgs.map(img => img.decode().then(() => img.naturalWidth, () => 0))));
  check(photos.length === 4 && photos.every(w => w > 0), `the three photos and the plate close-up are shown (${photos})`);
  await shot(page, "office-case");

  // A photo outside the fixed names is not served, even of a counted case.
  const manifest = await page.request.get(`/api/office/cases/${third}/photos/manifest.json`);
  check(manifest.status() === 404, `only the fixed photo names are served (${manifest.status()})`);

  // Every other case: page and API refused with 403, and the reason tells nothing of the case.
  for (const id of params.refused) {
    const response = await page.goto(`/office/cases/${id}`);
    check(response.status() === 403, `the page of ${id} is refused with 403 (${response.status()})`);
    const text = await page.textContent("main");
    check(text.includes(`You cannot open case ${id}`), `the refusal of ${id} says why`);
    for (const plate of params.hidden) {
      check(!text.includes(plate), `the refusal of ${id} shows nothing of ${plate}`);
    }
    if (id === "citizen") {
      await shot(page, "office-case-refused");
    }

    for (const url of [`/api/office/cases/${id}`, `/api/office/cases/${id}/photos/photo2-on-line.jpg`]) {
      const api = await page.request.get(url);
      const body = await api.text();
      check(api.status() === 403 && JSON.parse(body).error.startsWith(refusal), `${url} is refused with 403 and the reason (${api.status()})`);
      check(params.hidden.every(plate => !body.includes(plate)) && !body.includes("F1"), `${url}'s refusal tells nothing of the case`);
    }
  }

  // The police pages and API are not the office's.
  const queue = await page.goto("/review");
  check(queue.status() === 403, `the police review queue is refused with 403 (${queue.status()})`);
  check((await page.textContent("#denied")).includes("police reviewer"), "the 403 page says it is the police reviewer's");
  await shot(page, "office-police-queue-refused");
  const police = await signIn(await fresh(), "police");
  for (const url of ["/api/cases", `/api/cases/${third}`]) {
    const office = await page.request.get(url);
    const mine = await police.request.get(url);
    // The police API is another part of the console: where it is not mapped (404 for the police too), the office
    // gets nothing either; where it is, the office is refused by the role before any handler runs.
    check(office.status() === 403 || (office.status() === 404 && mine.status() === 404),
      `the police API ${url} is refused to the office (office ${office.status()}, police ${mine.status()})`);
  }

  // Nor are the office's pages and API another role's.
  for (const url of ["/api/tally", "/api/tally.csv", "/api/notices", `/api/office/cases/${third}`]) {
    const other = await police.request.get(url);
    check(other.status() === 403, `the police reviewer calling ${url} gets 403 (${other.status()})`);
  }
  const otherPage = await police.goto(`/office/cases/${third}`);
  check(otherPage.status() === 403, `the police reviewer opening the office's case page gets 403 (${otherPage.status()})`);
});
