// Shared by the browser scenarios: Chromium from Debian (headless, no download), signing in, screenshots, checks.
import { chromium } from "playwright-core";
import path from "node:path";

export const params = JSON.parse(process.env.CWW_TEST ?? "{}");
const shots = process.env.CWW_SCREENSHOTS ?? "artifacts/screenshots";

export function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
  console.log(`ok: ${message}`);
}

export async function shot(page, name) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

// Runs a scenario with a fresh browser; on failure, a screenshot of every open page and exit code 1.
export async function scenario(name, body) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  const fresh = () => browser.newContext({ baseURL: params.baseUrl, viewport: { width: 1400, height: 900 } });
  const context = await fresh();
  try {
    // A scenario gets a browser context, and a way to open another one (another user, no cookies shared).
    await body(context, fresh);
    console.log(`scenario ${name}: passed`);
  } catch (e) {
    console.error(`scenario ${name}: ${e.stack ?? e}`);
    for (const [i, page] of context.pages().entries()) {
      await page.screenshot({ path: path.join(shots, `${name}-FAILED-${i}.png`), fullPage: true }).catch(() => {});
    }
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

// Signs in through the form; returns the page on the role's home.
export async function signIn(context, user, password = params.password) {
  const page = await context.newPage();
  await page.goto("/signin");
  await page.fill("#username", user);
  await page.fill("#password", password);
  // Wait for the document the form's POST answers with (the refusal, or the page it redirects to) to load, so one
  // sign-in is over before the next begins: waiting for "load" alone returns at once, the page having loaded before the click.
  const navigated = page.waitForEvent("framenavigated", frame => frame === page.mainFrame());
  await page.click("#signin-button");
  await navigated;
  await page.waitForLoadState("load");
  return page;
}
