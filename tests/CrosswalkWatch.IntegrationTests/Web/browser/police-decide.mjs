// On a real case: the reviewer corrects the plate to a misread one (the registry only suggests), clicks the
// suggestion into the correction field and corrects again (now an exact official); then an evidence file is changed
// on disk and the confirmation is refused with the reason on the page; then the case is rejected with a reason and a
// note from the page, which moves on. The store's side (status, audit rows) is checked by the C# test.
import fs from "node:fs";
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("police-decide", async context => {
  const page = await signIn(context, "police");
  await page.goto(`/review/${params.caseId}`);
  await page.waitForSelector("#case-status");
  check((await page.textContent("#official")).includes(params.official), "the case first matches the official of the read plate");

  // p opens the correction; a misread plate only gets suggestions.
  await page.keyboard.press("p");
  check(await page.evaluate(() => document.activeElement?.id === "correct-plate"), "p puts the cursor in the plate field");
  await page.fill("#correct-plate", params.misread);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#suggestions .suggestion");
  check((await page.textContent("#notice")).includes("only suggests"), `a misread plate gets suggestions only (${await page.textContent("#notice")})`);
  check(new URL(page.url()).pathname === `/review/${params.caseId}`, "after a correction the page stays on the case");

  // Clicking the suggestion fills the correction field; correcting to it matches the other official exactly.
  await page.click(`#suggestions .suggestion[data-plate="${params.otherPlate}"]`);
  check(await page.inputValue("#correct-plate") === params.otherPlate, "clicking a suggestion fills the correct-plate field");
  await page.click("#correct-submit");
  await page.waitForFunction(name => document.getElementById("official")?.textContent.includes(name), params.otherOfficial);
  check((await page.textContent("#notice")).includes(`now matches ${params.otherOfficial}`), "the corrected plate matches the other official");
  const audit = await page.textContent("#audit tbody");
  check(audit.includes("correct") && audit.includes("police"), "the case's audit trail shows the corrections by the reviewer");
  await shot(page, "police-case-corrected");

  // An evidence file changed on disk: the page says the package does not verify, and c is refused with the reason.
  fs.appendFileSync(params.tamperFile, "tampered");
  await page.reload();
  await page.waitForSelector("#case-status");
  check((await page.textContent("#verify-line")).includes("does not verify"), "the page says the evidence does not verify");
  await page.keyboard.press("c");
  await page.waitForSelector("#decision-error:not([hidden])");
  const refusal = await page.textContent("#decision-error");
  check(refusal.includes("409") && refusal.includes("confirmation refused") && refusal.includes(params.tamperName), `the confirmation is refused with the reason shown (${refusal.split("\n")[0]} …)`);
  check(new URL(page.url()).pathname === `/review/${params.caseId}`, "a refused confirmation stays on the case");
  check((await page.textContent("#case-status")) === "candidate", "the case is still a candidate");
  await shot(page, "police-case-refused");

  // r: reject with a reason and a note; the page moves on to the (now empty) queue.
  await page.keyboard.press("Escape");
  await page.keyboard.press("r");
  check(await page.evaluate(() => document.activeElement?.id === "reject-reason"), "r puts the cursor on the reasons");
  await page.click("#reject-submit");
  check((await page.textContent("#decision-error")).includes("Choose a reason"), "rejecting without a reason says to choose one");
  await page.selectOption("#reject-reason", params.reason);
  await page.fill("#reject-note", params.note);
  await shot(page, "police-case-reject-form");
  await Promise.all([page.waitForURL(url => new URL(url).pathname === "/review"), page.click("#reject-submit")]);
  check((await page.textContent("#notice")).includes("rejected"), "the page moves on and says the case was rejected");
  const rejected = await page.evaluate(async id => (await fetch(`/api/cases/${id}`)).json(), params.caseId);
  check(rejected.status === "rejected" && rejected.rejectReason === params.reason && rejected.rejectNote === params.note, "the case is rejected with the reason and note");
});
