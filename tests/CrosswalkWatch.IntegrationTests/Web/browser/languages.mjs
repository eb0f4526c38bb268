// Each role walks its pages in English, switches to Chinese from the header and walks them again: the page says it is
// zh-CN, its texts are Chinese (no key left showing, no English sentence, no value shown as [object Object] or raw JSON), times are in the 24-hour site form (no
// mm/dd/yyyy, no AM/PM); then it signs out and in again and is still in Chinese. A screenshot of every page in each.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

const roles = [
  ["police", ["/review", `/review/${encodeURIComponent(params.caseId)}`]],
  ["office", ["/office", `/office/cases/${encodeURIComponent(params.caseId)}`]],
  ["operator", ["/operator", `/operator/cameras/${encodeURIComponent(params.camera)}`, "/operator/boxes", "/operator/stats"]],
  ["admin", ["/admin"]],
];

// What a reader sees of the page (header and main), once its scripts have filled it in.
async function settle(page) {
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
  return page.evaluate(() => document.body.innerText);
}

function name(path) { return path.split("/").filter(Boolean).slice(0, 2).join("-").replace(/[^a-z0-9-]/gi, "") || "home"; }

await scenario("languages", async (context, fresh) => {
  for (const [user, pages] of roles) {
    const own = await fresh();
    let page = await signIn(own, user);
    check(await page.evaluate(() => document.documentElement.lang) === "en", `${user} starts in English (the account's choice)`);
    for (const path of pages) {
      await page.goto(path);
      await settle(page);
      await shot(page, `lang-en-${user}-${name(path)}`);
    }

    await Promise.all([page.waitForEvent("load"), page.click("#language-switch")]);
    check(await page.evaluate(() => document.documentElement.lang) === "zh-CN", `${user} switched to Chinese from the header`);
    for (const path of pages) {
      await page.goto(path);
      const text = await settle(page);
      const key = text.match(/\b(common|signin|denied|police|office|operator|admin)\.[a-z][\w.-]*/i);
      check(!key, `${path}: no text key showing${key ? ` (${key[0]})` : ""}`);
      const cjk = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
      check(cjk >= 15, `${path}: the page reads in Chinese (${cjk} Chinese characters)`);
      const sentences = [...text.matchAll(/[^\n]*\b(the|and|with|of|is|are|no|not|this)\s+[a-z]+\s+[a-z]+[^\n]*/gi)].map(m => m[0]);
      check(sentences.length === 0, `${path}: no English sentence left${sentences.length ? `:\n  ${sentences.join("\n  ")}` : ""}`);
      check(!text.includes("[object Object]") && !text.includes('{"'), `${path}: every value in words (no [object Object], no raw JSON)`);
      const clock = text.match(/\b\d{1,2}\/\d{1,2}\/\d{4}\b|\b\d{1,2}:\d{2}(:\d{2})?\s?(AM|PM)\b/);
      check(!clock, `${path}: times in the 24-hour yyyy-MM-dd form${clock ? ` (found "${clock[0]}")` : ""}`);
      await shot(page, `lang-zh-${user}-${name(path)}`);
    }

    // Signed out and in again, in a fresh browser: still Chinese.
    await Promise.all([page.waitForEvent("load"), page.click(".signout button")]);
    await own.close();
    const again = await fresh();
    page = await signIn(again, user);
    check(await page.evaluate(() => document.documentElement.lang) === "zh-CN", `${user} is still in Chinese after signing in again`);
    await again.close();
  }
});
