// A turning vehicle's case: its row in the queue, the head and the reasons say how it came to the crosswalk (the
// movement, not a stop line), the photo captions follow, and the photo on the crosswalk draws the entry region it came from.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

// Pixels of the reason canvas in the entry region's colour (#e040fb), which nothing else on it uses.
const entryPixels = page => page.evaluate(() => {
  const canvas = document.getElementById("reason-canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 200 && Math.abs(data[i] - 224) < 30 && Math.abs(data[i + 1] - 64) < 30 && Math.abs(data[i + 2] - 251) < 30) { n++; }
  }
  return n;
});

await scenario("police-turning", async context => {
  const page = await signIn(context, "police");
  await page.goto("/review");
  const row = await page.waitForSelector(`#queue tr[data-case="${params.caseId}"]`);
  const listed = await row.textContent();
  check(listed.includes(`A1 · ${params.said}`), `the queue's row names the movement (${listed})`);
  await page.goto(`/review/${encodeURIComponent(params.caseId)}`);
  await page.waitForSelector("#vehicle-reason");
  const reason = await page.textContent("#vehicle-reason");
  check(reason.includes(params.said) && reason.includes("not through a stop line") && reason.includes("entered the crosswalk in lane A1"), `the reasons say how the vehicle came (${reason})`);
  check(!reason.includes("crossed the stop line"), "the reasons do not say it crossed a stop line");
  check((await page.textContent("#case-movement")) === params.said, "the case's head names the movement");
  const frames = await page.textContent("#reasons");
  check(frames.includes("last in the entry region 10") && frames.includes("on the crosswalk 15"), `the frames are named for a turn (${frames})`);
  check((await page.textContent("#reason-photo-note")).includes("entering the crosswalk"), "the drawing's note says photo 2 is the vehicle entering the crosswalk");
  const caption = await page.textContent("figure:has(#photo1) figcaption");
  check(caption.includes(params.said) && caption.includes("entry region"), `photo 1's caption says where the vehicle was (${caption})`);
  await page.waitForSelector('#reason-canvas[data-drawn="true"]');
  const drawn = await entryPixels(page);
  check(drawn > 100, `the entry region is drawn over photo 2 (${drawn} pixels of its colour)`);
  await shot(page, "police-turning-case");
});
