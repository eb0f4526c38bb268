// A police reviewer opens a case from an H.265 camera: the page plays the package's signed H.264 rendition (Chromium
// has no H.265 decoder), lists the original H.265 clip among the files, and the package verifies.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("police-h265", async context => {
  const page = await signIn(context, "police");
  await page.goto(`/review/${encodeURIComponent(params.caseId)}`);
  await page.waitForSelector("#case-status");
  await page.waitForSelector("#evidence-verified");
  check(await page.locator("#evidence-verified").getAttribute("class") === "ok", `the package verifies (${await page.textContent("#evidence-verified")})`);
  const files = await page.locator("#evidence a").allTextContents();
  check(files.includes("clip.mp4") && files.includes("clip-h264.mp4"), `the files list the original clip and its rendition (${files.join(", ")})`);

  const playing = await page.evaluate(() => new Promise((resolve, reject) => {
    const video = document.getElementById("clip");
    const done = () => resolve({ paused: video.paused, time: video.currentTime, width: video.videoWidth, src: video.currentSrc });
    if (!video.paused && video.currentTime > 0) { done(); return; }
    video.addEventListener("playing", () => setTimeout(done, 200), { once: true });
    video.addEventListener("error", () => reject(new Error(`the clip failed to load: ${video.error?.code} ${video.error?.message}`)), { once: true });
    video.play().catch(() => {});
    setTimeout(() => reject(new Error(`the clip did not start playing (readyState ${video.readyState}, networkState ${video.networkState}, src ${video.currentSrc})`)), 20000);
  }));
  check(playing.src.endsWith("/clip-h264.mp4"), `the player loads the H.264 rendition (${playing.src})`);
  check(!playing.paused && playing.time > 0 && playing.width >= 1280, `the rendition plays (t=${playing.time.toFixed(2)} s, ${playing.width} px wide)`);
  await page.evaluate(() => document.getElementById("clip").pause());
  await shot(page, "police-case-h265");
});
