// Access control in the browser: signing in and out, a wrong password, the
// rate limit, what a viewer may not do (in the page and at the server), and
// the administration pages creating a user and showing the audit log.

import assert from "node:assert/strict";
import { test } from "node:test";
import { ADMIN_PASSWORD, useCairn } from "./harness.mjs";

const cairn = useCairn();

async function signInWith(page, login, password) {
  await page.getByTestId("signin-login").fill(login);
  await page.getByTestId("signin-password").fill(password);
  await page.getByTestId("signin-submit").click();
}

test("sign in, fail with a wrong password, sign out", async () => {
  const page = await cairn.newPage({ as: null });
  await page.goto(`${cairn.url}/threats`);
  await page.getByTestId("signin").waitFor();
  assert.equal(await page.getByTestId("nav").count(), 0, "nothing of the platform before signing in");

  await signInWith(page, "admin", "not the password");
  assert.equal(await page.getByTestId("signin-error").innerText(), "password: wrong login or password");

  await signInWith(page, "admin", ADMIN_PASSWORD);
  await page.getByTestId("category-page").waitFor();
  assert.equal(new URL(page.url()).pathname, "/threats", "back where they were going");
  assert.equal(await page.getByTestId("whoami").innerText(), "Administrator");

  await page.getByTestId("signout").click();
  await page.getByTestId("signin").waitFor();
  // The session is over at the server too: a reload stays signed out.
  await page.reload();
  await page.getByTestId("signin").waitFor();
  assert.deepEqual(page.errors, []);
});

test("repeated failures hit the rate limit, even with the right password", async () => {
  await cairn.asAdmin("/api/admin/user-create", {
    login: "rita", name: "Rita", password: "rita's long password", groups: ["viewers"],
  });
  const page = await cairn.newPage({ as: null });
  await page.goto(cairn.url);
  for (let attempt = 0; attempt < 5; attempt++) {
    await signInWith(page, "rita", `wrong password ${attempt}`);
    await page.getByTestId("signin-error").getByText("wrong login or password").waitFor();
    await page.getByTestId("signin-submit").and(page.locator(":enabled")).waitFor();
  }
  await signInWith(page, "rita", "rita's long password");
  await page.getByTestId("signin-error").getByText(/too many failed attempts: try again in \d+ minutes/).waitFor();
  assert.equal(await page.getByTestId("nav").count(), 0);
});

test("a viewer sees no edit button and the server refuses the edit", async () => {
  await cairn.asAdmin("/api/admin/user-create", {
    login: "vera", name: "Vera Viewer", password: "vera's long password", groups: ["viewers"],
  });
  const page = await cairn.newPage({ as: "vera", password: "vera's long password" });
  await page.goto(`${cairn.url}/settings`);
  await page.getByTestId("store-facts").waitFor();
  assert.equal(await page.getByTestId("title-input").count(), 0, "no title form for a viewer");
  const tabs = await page.locator(".tabs a").allInnerTexts();
  assert.deepEqual(tabs, ["Platform", "Account"], "no administration tabs");

  // Called directly, with the viewer's own session, the edit is refused.
  const answer = await page.evaluate(async () => {
    const reply = await fetch("/api/platform/title", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ title: "Owned" }),
    });
    return { status: reply.status, body: await reply.json() };
  });
  assert.deepEqual(answer.body, { Forbidden: "Manage users and settings" });
  const platform = await cairn.asAdmin("/api/platform/get");
  assert.equal(platform.title, "Cairn");

  // An administration page by its address says no as well.
  await page.goto(`${cairn.url}/settings/users`);
  await page.getByText("You are not allowed to see this page.").waitFor();
  assert.deepEqual(page.errors, []);
});

test("an administrator creates a user in a group and finds the sign-ins in the audit log", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/settings/users`);
  await page.getByTestId("user-create").waitFor();
  await page.getByTestId("user-login").fill("alex");
  await page.getByTestId("user-name").fill("Alex Analyst");
  await page.getByTestId("user-password").fill("alex's long password");
  await page.getByTestId("user-groups").getByLabel("Viewers").uncheck();
  await page.getByTestId("user-groups").getByLabel("Analysts").check();
  await page.getByTestId("user-create-submit").click();
  const row = page.getByTestId("user-alex");
  await row.waitFor();
  assert.match(await row.innerText(), /Alex Analyst\s+Analysts/);

  // A too-short password is refused at the form.
  await page.getByTestId("user-login").fill("shorty");
  await page.getByTestId("user-password").fill("short");
  await page.getByTestId("user-create-submit").click();
  await page.getByText("password: must be at least 12 characters").waitFor();

  await page.goto(`${cairn.url}/settings/audit`);
  await page.getByTestId("audit-action").fill("user.create");
  await page.getByTestId("audit-apply").click();
  await page.getByTestId("audit-table").getByText("alex", { exact: true }).waitFor();
  await page.getByTestId("audit-action").fill("login_failed");
  await page.getByTestId("audit-apply").click();
  await page.getByTestId("audit-table").getByText("rita").first().waitFor();
  assert.deepEqual(page.errors, []);
});
