// An admin adds a police account and disables another from the accounts page; both changes show in the audit log
// on the same page, the new account can sign in, and the disabled one is refused (its open session ends too).
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("admin-accounts", async (context, fresh) => {
  // The police reviewer is signed in before being disabled.
  const policeContext = await fresh();
  const police = await signIn(policeContext, "police");
  check(new URL(police.url()).pathname === "/review", "police signs in before being disabled");

  const admin = await signIn(context, "admin");
  check(new URL(admin.url()).pathname === "/admin", "admin lands on /admin");
  await admin.waitForSelector('#accounts tr[data-user="police"]');
  await admin.fill('#new-account input[name="username"]', "reviewer2");
  await admin.selectOption('#new-account select[name="role"]', "police");
  await admin.fill('#new-account input[name="password"]', "reviewer2-password");
  await admin.click('#new-account button[type="submit"]');
  await admin.waitForSelector('#accounts tr[data-user="reviewer2"]');
  check(true, "the new account is listed");

  // A password too short is refused with the reason, nothing added.
  await admin.fill('#new-account input[name="username"]', "shorty");
  await admin.fill('#new-account input[name="password"]', "short");
  await admin.evaluate(() => document.querySelector('#new-account input[name="password"]').removeAttribute("minlength"));
  await admin.click('#new-account button[type="submit"]');
  await admin.waitForSelector("#error:not([hidden])");
  check((await admin.textContent("#error")).includes("at least 10 characters"), "a short password is refused with the reason");
  check(await admin.locator('#accounts tr[data-user="shorty"]').count() === 0, "the refused account is not listed");

  await admin.click('#accounts tr[data-user="police"] button:text("Disable")');
  await admin.waitForSelector('#accounts tr[data-user="police"] td:text("disabled")');
  await admin.waitForSelector('#audit td:text("account-disabled")');
  check(await admin.locator('#audit td:text("account-created")').count() >= 1, "the audit log shows the account created");
  const audit = await admin.textContent("#audit tbody");
  check(audit.includes("disabled: no → yes") && audit.includes("user name: reviewer2; role: police reviewer"), `the audit log says what changed in words (${audit.slice(0, 300)})`);
  check(!audit.includes('{"'), "the audit log shows no raw JSON");
  await shot(admin, "admin-accounts");

  // The disabled reviewer's open session ends at the next request; signing in again is refused.
  const after = await police.request.get("/api/me");
  check(after.status() === 401, `the disabled account's session no longer works (${after.status()})`);
  const again = await signIn(await fresh(), "police");
  check((await again.textContent("#refusal")).includes("已停用"), "the disabled account cannot sign in (refused in the site's language, Chinese, before anyone signed in)");

  const newcomer = await signIn(await fresh(), "reviewer2", "reviewer2-password");
  check(new URL(newcomer.url()).pathname === "/review", "the new reviewer signs in to the review queue");
});
