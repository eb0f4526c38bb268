// The operator's thresholds: a stored violation clip replayed through the real detector, tracker and yield rule with
// a changed threshold shows the decision change before saving; the change is saved; a value out of bounds is refused
// with the scene loader's message.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("operator-replay", async context => {
  const page = await signIn(context, "operator");
  await page.goto(`/operator/cameras/${params.camera}`);
  await page.waitForSelector("#rule-table tbody tr[data-key='minPedestrians']");
  await page.waitForFunction(id => [...document.querySelectorAll("#replay-clip option")].some(o => o.value === id), params.caseId);
  check((await page.inputValue("#rule-minPedestrians")) === "1", "the camera's minPedestrians is 1 (the configuration's)");

  // Two pedestrians needed at once: the clip's one pedestrian no longer makes its vehicle a candidate.
  await page.fill("#rule-minPedestrians", "2");
  check(await page.locator("tr[data-key='minPedestrians']").evaluate(r => r.classList.contains("changed")), "the changed threshold is marked");
  await page.click("#replay");
  await page.waitForSelector("#replay-summary", { timeout: 180000 });
  const summary = await page.textContent("#replay-summary");
  check(summary.includes("Current thresholds: 1 candidate") && summary.includes("with minPedestrians changed: no candidate"), `the replay shows the decision change (${summary})`);
  check(summary.includes("No longer a candidate: vehicle #"), "the replay names the vehicle that would no longer be a candidate");
  const runs = await page.locator(".replay-runs .run").allTextContents();
  check(params.places.some(place => new RegExp(`pedestrian #\\d+ ${place}, `).test(runs[0])), `the current run gives the candidate with where its pedestrian was, as a phrase of its own (${runs[0]})`);
  check(!/in the (at|in|within) /.test(runs[0]), `no "in the" before the phrase (${runs[0]})`);
  check(runs[1].includes("No candidate"), "the changed run gives none");
  await shot(page, "operator-replay");

  // Saved: kept in the scene file, shown as set here.
  await page.click("#save-rule");
  await page.waitForFunction(() => document.getElementById("rule-state").textContent.startsWith("Saved"));
  check((await page.textContent("tr[data-key='minPedestrians']")).includes("set here"), "the saved threshold is shown as set here");
  check(await page.isDisabled("#save-rule"), "nothing is left unsaved");
  await shot(page, "operator-thresholds-saved");

  // Out of bounds: refused with the loader's message, nothing saved.
  await page.fill("#rule-minPedestrians", "20");
  await page.click("#save-rule");
  await page.waitForSelector("#rule-errors li");
  const refusal = await page.textContent("#rule-errors");
  check(refusal.includes("rule.minPedestrians: 20 is out of range: expected a whole number from 1 to 10"), `an out-of-bounds value is refused with the loader's message (${refusal})`);
  await shot(page, "operator-thresholds-refused");
});
