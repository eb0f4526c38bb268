// A police reviewer signs in, opens the queue of two real cases made by the pipeline, moves to the official's case
// with the keyboard, plays its clip, sees the photos, the plate close-up with each character's confidence and the
// reasons drawn over the photo on the line, and confirms it with the c shortcut; the page moves on to the other case
// of the queue. The case names an official, so it waits for a second reviewer: police2, in a browser of their own,
// confirms it too, and only then is it confirmed. The tally and the audit log are checked by the C# test around this scenario.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("police-confirm", async (context, fresh) => {
  const page = await signIn(context, "police");
  check(new URL(page.url()).pathname === "/review", `the reviewer lands on the queue (${page.url()})`);
  await page.waitForSelector(`#queue tbody tr[data-case="${params.caseId}"]`);
  const ids = await page.locator("#queue tbody tr").evaluateAll(rows => rows.map(r => r.dataset.case));
  check(ids.length === 2 && ids.includes(params.otherCaseId), `the queue lists the two candidates (${ids.join(", ")})`);
  check((await page.textContent("#counts")).includes("2 to review"), "the queue counts 2 to review");
  check((await page.textContent("#queue tbody")).includes(params.official), "the queue names the matched official");

  // j and k (and the arrows) move the selection; Enter opens the selected case.
  const selected = () => page.locator("#queue tbody tr.selected").getAttribute("data-case");
  check(await selected() === ids[0], "the oldest case is selected first");
  await page.keyboard.press("j");
  check(await selected() === ids[1], "j selects the next case");
  await page.keyboard.press("k");
  check(await selected() === ids[0], "k selects the previous case");
  for (let i = 0; i < ids.indexOf(params.caseId); i++) { await page.keyboard.press("ArrowDown"); }
  check(await selected() === params.caseId, "the arrows select the official's case");
  await shot(page, "police-queue");
  await Promise.all([page.waitForURL(`**/review/${params.caseId}**`), page.keyboard.press("Enter")]);
  await page.waitForSelector("#case-status");

  // The clip plays in the browser.
  const playing = await page.evaluate(() => new Promise((resolve, reject) => {
    const video = document.getElementById("clip");
    const done = () => resolve({ paused: video.paused, time: video.currentTime, width: video.videoWidth });
    if (!video.paused && video.currentTime > 0) { done(); return; }
    video.addEventListener("playing", () => setTimeout(done, 200), { once: true });
    video.addEventListener("error", () => reject(new Error(`the clip failed to load: ${video.error?.code} ${video.error?.message}`)), { once: true });
    video.play().catch(() => {});
    setTimeout(() => reject(new Error(`the clip did not start playing (readyState ${video.readyState}, networkState ${video.networkState})`)), 20000);
  }));
  check(!playing.paused && playing.time > 0, `the clip's <video> is playing (t=${playing.time.toFixed(2)} s, ${playing.width} px wide)`);

  // The photos, the vehicle crop and the plate close-up load; the reasons are drawn over photo 2.
  for (const id of ["photo1", "photo2", "photo3", "vehicle", "plate-photo", "reason-photo"]) {
    await page.waitForFunction(i => { const img = document.getElementById(i); return img && img.complete && img.naturalWidth > 0; }, id);
    check(true, `${id} loaded`);
  }
  await page.waitForSelector("#reason-canvas[data-drawn='true']");
  const painted = await page.evaluate(() => {
    const c = document.getElementById("reason-canvas");
    const pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < pixels.length; i += 4 * 97) { if (pixels[i] > 0) { n++; } }
    return n;
  });
  check(painted > 100, `the reasons are drawn over photo 2 (${painted} sampled pixels painted)`);
  const pedestrians = await page.locator("#reasons .pedestrian-reason").allTextContents();
  check(params.reasons.length > 0 && params.reasons.length === pedestrians.length && params.reasons.every(r => pedestrians.some(p => p.startsWith(r))),
    `the reasons say where each pedestrian was, as a phrase of its own (${pedestrians.join(" | ")})`);
  // The generated clip shows a green pedestrian signal head, read by the box at each photo.
  const signal = await page.textContent("#signal-reason");
  check(signal?.includes("2/3 行人信号 绿 (pedestrian signal green, read from the picture)"), `the reasons give the pedestrian signal at the photos (${signal})`);
  check((await page.textContent("#photo2-link + figcaption"))?.includes("行人信号 绿"), "photo 2's caption gives the signal");

  const characters = await page.locator("#plate-chars .plate-char .symbol").allTextContents();
  check(characters.join("") === params.plate, `the plate's characters are shown one by one (${characters.join(" ")})`);
  const confidences = await page.locator("#plate-chars .plate-char .confidence").allTextContents();
  check(confidences.length === characters.length && confidences.every(c => c.endsWith("%")), `each character has its confidence (${confidences.join(" ")})`);
  check((await page.textContent("#official")).includes(params.official), "the matched official is shown");
  check((await page.textContent("#verify-line")).includes("verifies"), "the evidence package verifies");
  await page.evaluate(() => document.getElementById("clip").pause());
  await shot(page, "police-case");

  // c confirms; the page moves on to the other case of the queue and says what was done.
  await Promise.all([page.waitForURL(`**/review/${params.otherCaseId}**`), page.keyboard.press("c")]);
  await page.waitForSelector("#case-status");
  const notice = await page.textContent("#notice");
  check(notice.includes(`${params.caseId}: confirmation 1 of 2 by police`) && notice.includes("another reviewer") && notice.includes("Next case"),
    `the next case opens, saying the last one needs another reviewer (${notice})`);
  check((await page.textContent("#official")).includes("No official"), "the other case's plate matches no official");

  // u goes back to the queue: both still to review (the official's waits for its second reviewer).
  await Promise.all([page.waitForURL(url => new URL(url).pathname === "/review"), page.keyboard.press("u")]);
  await page.waitForSelector(`#queue tbody tr[data-case="${params.otherCaseId}"]`);
  const waiting = await page.textContent("#counts");
  check(waiting.includes("2 to review"), `the queue still counts 2 to review (${waiting})`);

  // The same reviewer cannot be the second: c again on the case is refused, saying why.
  await page.goto(`/review/${params.caseId}`);
  await page.waitForSelector("#case-status");
  check((await page.textContent("#confirmations-line")).includes("Confirmations 1 of 2: police at"), "the case shows its one confirmation of two");
  await page.keyboard.press("c");
  await page.waitForSelector("#decision-error:not([hidden])");
  check((await page.textContent("#decision-error")).includes("police has already confirmed it"), "a second confirmation by the same reviewer is refused");

  // A second reviewer, in a browser of their own, confirms it: now it is confirmed.
  const second = await signIn(await fresh(), "police2");
  await second.goto(`/review/${params.caseId}`);
  await second.waitForSelector("#case-status");
  await Promise.all([second.waitForURL(`**/review/${params.otherCaseId}**`), second.keyboard.press("c")]);
  await second.waitForSelector("#case-status");
  const confirmed = await second.textContent("#notice");
  check(confirmed.includes(`${params.caseId}: candidate → confirmed`), `the second reviewer's confirmation confirms it (${confirmed})`);
  await Promise.all([second.waitForURL(url => new URL(url).pathname === "/review"), second.keyboard.press("u")]);
  await second.waitForSelector(`#queue tbody tr[data-case="${params.otherCaseId}"]`);
  const counts = await second.textContent("#counts");
  check(counts.includes("1 to review") && counts.includes("1 confirmed"), `the queue counts 1 to review and 1 confirmed (${counts})`);
  await shot(second, "police-queue-after-confirm");
});
