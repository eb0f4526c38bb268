// Sign-in and refusals: a wrong password, lockout (the same answer), a role opening another role's page and API, anonymous API
// calls, and a change without the anti-forgery token — all refused; the right password lands on the role's home.
import { params, scenario, check, shot, signIn } from "./lib.mjs";

await scenario("signin", async (context, fresh) => {
  // Anonymous: a page sends to the sign-in form, the API answers 401.
  const anon = await context.newPage();
  await anon.goto("/review");
  check(new URL(anon.url()).pathname === "/signin", `anonymous /review goes to the sign-in page (${anon.url()})`);
  const api = await anon.request.get("/api/me");
  check(api.status() === 401, `anonymous /api/me answers 401 (${api.status()})`);
  await shot(anon, "signin-form");

  // Wrong password: refused, still on the sign-in page.
  const wrong = await signIn(context, "police", "not-the-password");
  const refusal = await wrong.textContent("#refusal");
  check(refusal.includes("用户名或密码错误"), "a wrong password is refused, in the site's language (Chinese) before anyone signed in");
  check(new URL(wrong.url()).pathname === "/signin", "a wrong password stays on the sign-in page");
  await shot(wrong, "signin-wrong-password");

  // Right password: the police reviewer's home.
  const police = await signIn(context, "police");
  check(new URL(police.url()).pathname === "/review", `police lands on /review (${police.url()})`);

  // Another role's page and API: 403 with the reason.
  const response = await police.goto("/office");
  check(response.status() === 403, `police opening /office gets 403 (${response.status()})`);
  check((await police.textContent("#denied")).includes("campaign office"), "the 403 page says whose page it is");
  await shot(police, "denied-police-on-office");
  const forbidden = await police.request.get("/api/accounts");
  check(forbidden.status() === 403, `police calling the admins' /api/accounts gets 403 (${forbidden.status()})`);

  // A change without the anti-forgery token, from the signed-in page: 400, nothing done.
  const status = await police.evaluate(async () => (await fetch("/signout", { method: "POST" })).status);
  check(status === 400, `a POST without the anti-forgery token is refused with 400 (${status})`);
  const still = await police.request.get("/api/me");
  check(still.status() === 200, "the session is still there after the refused POST");

  // Lockout: after the limit of failures even the right password is refused, in the very words of a wrong password
  // (an attacker learns nothing about which names exist or are locked); the words say an admin can unlock it.
  const other = await fresh();
  for (let i = 0; i < params.lockoutFailures; i++) {
    await (await signIn(other, "operator", `wrong-${i}`)).close();
  }
  const locked = await signIn(other, "operator");
  check(new URL(locked.url()).pathname === "/signin", "a locked account stays on the sign-in page even with the right password");
  check((await locked.textContent("#refusal")) === refusal, "a locked account gets the same words as a wrong password");
  check(refusal.includes("锁定"), "the one refusal says an account may be locked (in the site's language, Chinese)");
  await shot(locked, "signin-locked");
});
