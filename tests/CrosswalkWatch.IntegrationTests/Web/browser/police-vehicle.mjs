// Cloned plates: a police reviewer opens a case whose registry row describes another vehicle; the page puts
// "vehicle does not match the registry" at its top, prominent, and says why beside the registry match.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("police-vehicle", async context => {
  const page = await signIn(context, "police");
  await page.goto(`/review/${encodeURIComponent(params.caseId)}`);
  await page.waitForSelector("#vehicle-verdict");
  const alert = page.locator("#vehicle-alert");
  check(await alert.isVisible(), "the mismatch alert is shown at the top of the case");
  const text = (await alert.textContent()).trim();
  check(text.includes(params.headline), `the alert says what the registry and the evidence say (${text})`);
  const top = await page.evaluate(() => document.getElementById("vehicle-alert").getBoundingClientRect().top);
  check(top < 200, `the alert is above the fold, before the clip (top ${Math.round(top)} px)`);
  const colour = await alert.evaluate(e => getComputedStyle(e).color);
  check(colour !== "rgb(0, 0, 0)", `the alert is set apart in colour (${colour})`);
  const detail = await page.textContent("#vehicle-check");
  check(detail.includes("kind: registry says bus"), "the vehicle card gives the reason");
  check(detail.includes("Evidence: detected"), "the vehicle card gives what was measured");
  await shot(page, "police-vehicle-mismatch");
});
