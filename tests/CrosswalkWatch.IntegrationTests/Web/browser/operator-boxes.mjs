// An operator at the central site opens the Boxes page: the stopped box is SILENT, the other one heard, with its
// camera that does not stream named and its knocked camera shown moved; in English, then in Chinese (screenshots of both).
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("operator-boxes", async context => {
  const page = await signIn(context, "operator");
  await page.click(`nav a[href="/operator/boxes"]`);
  await page.waitForSelector(`#boxes tr[data-box="${params.silent}"]`);
  const silent = await page.textContent(`#boxes tr[data-box="${params.silent}"] .state-cell`);
  check(silent.includes("SILENT"), `${params.silent} is shown silent (${silent})`);
  const heard = await page.textContent(`#boxes tr[data-box="${params.heard}"]`);
  check(heard.includes("heard") && heard.includes(`${params.down}:`), `${params.heard} is heard, its camera ${params.down} named as not streaming (${heard})`);
  if (params.moved) {
    await page.waitForSelector(`#boxes tr[data-box="${params.heard}"] [data-view="${params.moved}"]`, { timeout: 60000 });
    const moved = await page.textContent(`#boxes tr[data-box="${params.heard}"] [data-view="${params.moved}"]`);
    check(moved.includes("MOVED"), `${params.moved} is shown moved (${moved})`);
    const detector = await page.textContent(`#boxes tr[data-box="${params.heard}"] [data-detector]`);
    check(/of 2\.0 fps over 1 cameras/.test(detector), `the detector's load is shown (${detector})`);
  }
  await shot(page, "operator-boxes-en");

  await Promise.all([page.waitForEvent("load"), page.click("#language-switch")]);
  await page.waitForSelector(`#boxes tr[data-box="${params.silent}"]`);
  check((await page.textContent(`#boxes tr[data-box="${params.silent}"] .state-cell`)).includes("失联"), "in Chinese the silent box says 失联");
  if (params.moved) {
    // The footage comes round every 26 s: wait for the knocked part again if it is between two.
    await page.waitForSelector(`#boxes tr[data-box="${params.heard}"] [data-view="${params.moved}"]`, { timeout: 60000 });
    check((await page.textContent(`#boxes tr[data-box="${params.heard}"] [data-view="${params.moved}"]`)).includes("移位"), "in Chinese the moved camera says 移位");
    const why = await page.getAttribute(`#boxes tr[data-box="${params.heard}"] [data-view="${params.moved}"] [data-view-state]`, "title");
    check(why.includes("向右偏移"), `and says why in Chinese (${why})`);
  }
  await shot(page, "operator-boxes-zh");
});
