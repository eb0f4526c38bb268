// A knocked camera on the operator's camera page: the view check says MOVED with the estimated move, the reference
// and the live view the box compared are shown side by side, and one click (confirmed) moves the scene with the
// camera; in English, then the same section in Chinese (screenshots of both).
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("operator-view", async context => {
  const page = await signIn(context, "operator");
  await page.goto(`/operator/cameras/${params.camera}`);
  await page.waitForSelector('#view-state [data-view-state="moved"]', { timeout: 30000 });
  check((await page.textContent("#view-state")).includes("MOVED"), "the view check says MOVED");
  const health = await page.textContent("#camera-health");
  check(health.includes("paused: camera moved"), `the detector's pace says it is paused for the move, as the box says it (${health})`);
  const shift = await page.textContent("#view-shift");
  check(/5\.0 % right/.test(shift), `the estimated move is shown (${shift})`);
  for (const picture of ["#view-reference", "#view-live"]) {
    await page.waitForFunction(selector => { const img = document.querySelector(selector); return img && img.complete && img.naturalWidth > 0; }, picture);
  }
  const widths = await page.evaluate(() => ["view-reference", "view-live"].map(id => document.getElementById(id).naturalWidth));
  check(widths.every(w => w === 320), `both pictures are shown side by side (${widths})`);
  await shot(page, "operator-view-moved-en");

  page.once("dialog", dialog => dialog.accept());
  await page.click("#apply-shift");
  await page.waitForFunction(() => document.getElementById("view-result").textContent.includes("moved and saved"));
  check(await page.isHidden("#apply-shift"), "the button is gone once the scene is moved");
  await shot(page, "operator-view-applied-en");

  // In Chinese, the same section.
  await Promise.all([page.waitForEvent("load"), page.click("#language-switch")]);
  await page.waitForSelector("#view-state [data-view-state]");
  check((await page.textContent("#view-heading")).includes("画面诊断"), "the section is headed 画面诊断 in Chinese");
  const zh = await page.textContent("#camera-health");
  check(!/paused|full rate|idle/.test(zh) && zh.includes("暂停：摄像机移位"), `the detector's pace is in Chinese (${zh})`);
  await shot(page, "operator-view-zh");
});
