// The operator's cameras and scene editor: the camera list with health from the edge box's file, a camera's live
// picture with its scene drawn over it, a crosswalk point dragged and a turning movement drawn (refused without a lane,
// then saved), a crossed polygon refused with the scene loader's message, a camera that gives no picture, and other
// roles refused.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

// Drags the canvas from one 0–1 point to another, as a hand on a mouse would.
async function drag(page, from, to) {
  const box = await page.locator("#scene-canvas").boundingBox();
  const at = p => [box.x + p[0] * box.width, box.y + p[1] * box.height];
  await page.mouse.move(...at(from));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(...at([from[0] + (to[0] - from[0]) * i / 8, from[1] + (to[1] - from[1]) * i / 8]));
  }
  await page.mouse.up();
}

// Clicks the canvas at a 0–1 point.
async function clickAt(page, p) {
  const box = await page.locator("#scene-canvas").boundingBox();
  await page.mouse.click(box.x + p[0] * box.width, box.y + p[1] * box.height);
}

// The colour of the canvas at a 0–1 point.
const pixel = (page, p) => page.evaluate(([x, y]) => {
  const canvas = document.getElementById("scene-canvas");
  return Array.from(canvas.getContext("2d").getImageData(Math.round(x * canvas.width), Math.round(y * canvas.height), 1, 1).data.slice(0, 3));
}, p);

await scenario("operator-scene", async (context, fresh) => {
  const page = await signIn(context, "operator");
  check(new URL(page.url()).pathname === "/operator", `the operator lands on /operator (${page.url()})`);

  // The list: health from the file the separately running edge box writes; cam1 streams, the unplugged one fails to connect.
  await page.waitForSelector('tr[data-camera="cam1"] .state.good', { timeout: 60000 });
  const row = await page.textContent('tr[data-camera="cam1"]');
  check(row.includes("streaming") && row.includes("cam1.yaml"), `cam1 is listed as streaming with its scene file (${row.trim()})`);
  const fps = Number(await page.textContent('tr[data-camera="cam1"] .fps'));
  check(fps > 0, `cam1 has a frame rate (${fps} fps)`);
  const source = await page.textContent("#health-source");
  check(source.includes("health/cameras.json") && source.includes("written by cww"), `the health comes from the edge box's file (${source})`);
  await page.waitForSelector('tr[data-camera="cam9"] .error-text:not(:empty)', { timeout: 60000 });
  check((await page.textContent('tr[data-camera="cam9"]')).includes("connection refused"), "the unplugged camera shows its last error");
  await shot(page, "operator-cameras");

  // The camera: the snapshot loads and the scene is drawn over it.
  await Promise.all([page.waitForURL("**/operator/cameras/cam1"), page.click('tr[data-camera="cam1"] a')]);
  await page.waitForFunction(() => document.getElementById("snapshot-status").textContent.startsWith("Picture of"), null, { timeout: 30000 });
  await page.waitForFunction(() => cameraPage.editor.scene !== null && cameraPage.editor.image !== null);
  const scene = await page.evaluate(() => cameraPage.editor.scene);
  const corner = scene.crosswalk[1];
  check(JSON.stringify(corner) === JSON.stringify(params.corner), `the scene's crosswalk point 2 is ${JSON.stringify(corner)}`);
  const handle = await pixel(page, corner);
  check(handle.every(v => v > 235), `a white handle is drawn on crosswalk point 2 (${handle})`);
  const picture = await pixel(page, [0.5, 0.2]);
  check(JSON.stringify(picture) !== JSON.stringify([58, 64, 74]), `the camera's picture is drawn under the scene (${picture})`);
  check((await page.textContent("#camera-where")).includes("Picture from rtsp://127.0.0.1"), "the page says where the picture comes from");
  await shot(page, "operator-camera");

  // Drag crosswalk point 2 a little up and left, and save.
  await drag(page, corner, params.moveTo);
  const info = await page.textContent("#point-info");
  check(info.startsWith("crosswalk point 2: [0.9"), `the moved point is named with its new place (${info})`);
  check(!(await page.isDisabled("#save-scene")), "an unsaved change can be saved");
  await shot(page, "operator-scene-dragged");

  // A turning movement: named, its turn chosen, its entry region clicked corner by corner and finished with Enter.
  const movement = params.movement;
  await page.fill("#movement-name", movement.name);
  await page.selectOption("#movement-turn", movement.turn);
  await page.click("#draw-movement");
  for (const p of movement.entry) { await clickAt(page, p); }
  check((await page.textContent("#point-info")).includes(`${movement.entry.length} points; Enter finishes`), "the page counts the corners drawn");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => (cameraPage.editor.scene.movements ?? []).length === 1);
  const drawn = await page.evaluate(() => cameraPage.editor.scene.movements[0]);
  const near = drawn.entry.length === movement.entry.length && drawn.entry.every((p, i) => Math.abs(p[0] - movement.entry[i][0]) < 0.01 && Math.abs(p[1] - movement.entry[i][1]) < 0.01);
  check(drawn.name === movement.name && drawn.turn === movement.turn && near, `the drawn movement is in the scene (${JSON.stringify(drawn)})`);
  check(await page.isVisible(`#movement-list li[data-movement="${movement.name}"]`), "the movement is listed beside the picture");

  // Without a lane the scene loader refuses it, and says which key; with one ticked it saves.
  await page.click("#save-scene");
  await page.waitForSelector("#scene-errors li");
  const noLane = await page.textContent("#scene-errors");
  check(noLane.includes("movements[0].lanes: a movement needs at least one lane"), `a movement without a lane is refused with the loader's message (${noLane})`);
  await page.check(`#movement-0-lane-${movement.lane}`);
  await shot(page, "operator-scene-movement");
  await page.click("#save-scene");
  await page.waitForFunction(() => document.getElementById("scene-state").textContent.startsWith("Saved"));
  const saved = await page.textContent("#scene-state");
  check(saved.includes("cam1.yaml") && saved.includes(".bak"), `the save says where the old file is kept (${saved})`);
  const kept = await page.evaluate(() => cameraPage.editor.scene.movements);
  check(kept.length === 1 && JSON.stringify(kept[0].lanes) === JSON.stringify([movement.lane]), `the saved scene comes back with the movement and its lane (${JSON.stringify(kept)})`);
  await shot(page, "operator-scene-saved");

  // Drag the same point across the crosswalk: the edges cross, and the loader refuses it with its reason.
  await drag(page, params.moveTo, params.crossTo);
  await page.click("#save-scene");
  await page.waitForSelector("#scene-errors li");
  const refusal = await page.textContent("#scene-errors");
  check(refusal.includes("crosswalk: the crosswalk polygon must be convex"), `a crossed crosswalk is refused with the loader's message (${refusal})`);
  check((await page.textContent("#scene-state")).includes("Not saved"), "the page says nothing was saved");
  await shot(page, "operator-scene-refused");

  // Keyboard: choose a point with N and move it with the arrows; Escape lets go, Undo puts the saved scene back.
  await page.click("#reset-scene");
  await page.focus("#scene-canvas");
  await page.keyboard.press("Escape");
  await page.keyboard.press("n");
  const chosen = await page.textContent("#point-info");
  check(chosen.startsWith("crosswalk point 1"), `N chooses the first point (${chosen})`);
  await page.keyboard.press("Shift+ArrowRight");
  check((await page.textContent("#point-info")).includes("[0.2950"), "an arrow key moves the chosen point");
  await page.click("#reset-scene");
  check(await page.isDisabled("#save-scene"), "Undo changes puts the saved scene back");

  // A camera that gives no picture: the API says why with 503, the page shows it and still draws the scene.
  const dead = await page.request.get("/api/cameras/cam9/snapshot.jpg");
  const deadText = await dead.text();
  check(dead.status() === 503 && deadText.includes("connection refused"), `an unplugged camera's snapshot is a 503 with the reason (${dead.status()} ${deadText})`);
  await page.goto("/operator/cameras/cam9");
  await page.waitForSelector("#snapshot-status.error");
  check((await page.textContent("#snapshot-status")).includes("connection refused"), "the page says why there is no picture");
  await shot(page, "operator-camera-unplugged");

  // Other roles: the page and the API refuse them.
  const police = await signIn(await fresh(), "police");
  const response = await police.goto("/operator/cameras/cam1");
  check(response.status() === 403, `police opening the operator's page gets 403 (${response.status()})`);
  const api = await police.request.get("/api/cameras");
  check(api.status() === 403, `police calling /api/cameras gets 403 (${api.status()})`);
});
