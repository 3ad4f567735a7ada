// The shell: it renders, the navigation works (also by deep link), themes switch
// and persist, and a server function round-trips to SurrealDB.

import assert from "node:assert/strict";
import { test } from "node:test";
import { useCairn } from "./harness.mjs";

const cairn = useCairn();

const SECTIONS = [
  "Dashboard", "Custom dashboards", "Analyses", "Cases", "Events", "Observations", "Threats",
  "Arsenal", "Techniques", "Entities", "Locations", "Investigations", "Data", "Settings",
];

test("the shell renders the navigation and the platform title from the store", async () => {
  const page = await cairn.newPage();
  await page.goto(cairn.url);
  await page.getByTestId("dashboard").waitFor();
  const labels = await page.locator(".nav-link").allInnerTexts();
  assert.deepEqual(labels.map((l) => l.trim()), SECTIONS);
  await assert.doesNotReject(page.getByTestId("platform-title").getByText("Cairn").waitFor());
  // Settings show real store facts, not invented numbers.
  await page.goto(`${cairn.url}/settings`);
  await page.getByTestId("store-facts").waitFor();
  const engine = await page.getByTestId("store-engine").innerText();
  assert.match(engine, /embedded SurrealKV at /);
  assert.match(await page.getByTestId("surrealdb-version").innerText(), /^3\./);
  assert.deepEqual(page.errors, []);
});

test("navigation opens categories and kinds, and deep links work", async () => {
  const page = await cairn.newPage();
  await page.goto(cairn.url);
  await page.locator(".nav-link", { hasText: "Threats" }).click();
  await page.getByTestId("category-page").waitFor();
  assert.equal(new URL(page.url()).pathname, "/threats");
  assert.equal(await page.locator(".topbar-title").innerText(), "Threats");
  // The open category lists its kinds from the registry.
  const kinds = await page.locator(".nav-kind > span:first-child").allInnerTexts();
  assert.ok(kinds.includes("Intrusion sets"), kinds.join(", "));
  // Each kind shows its live count: an empty store has none of anything.
  await page.locator(".nav-kind", { hasText: "Intrusion sets" }).locator(".count").getByText("0").waitFor();
  await page.locator(".nav-kind", { hasText: "Intrusion sets" }).click();
  await page.getByTestId("kind-page").waitFor();
  assert.equal(new URL(page.url()).pathname, "/threats/intrusion-sets");
  // An empty list says what to do next.
  assert.match(await page.getByTestId("list-empty").innerText(), /Import a STIX bundle/);

  // A deep link loads straight into the page.
  await page.goto(`${cairn.url}/locations/countries`);
  await page.getByTestId("kind-page").waitFor();
  assert.match(await page.locator("h1").innerText(), /Countries/);

  // An unknown address says so.
  await page.goto(`${cairn.url}/threats/no-such-kind`);
  await page.getByTestId("not-found").waitFor();
  await page.goto(`${cairn.url}/nowhere`);
  await page.getByTestId("not-found").waitFor();
  assert.deepEqual(page.errors, []);
});

test("the theme switches to dark and stays dark after a reload", async () => {
  const page = await cairn.newPage({ colorScheme: "light" });
  await page.goto(cairn.url);
  await page.getByTestId("dashboard").waitFor();
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await theme(), "light");
  const lightBackground = await background();
  await page.getByTestId("theme-toggle").click();
  assert.equal(await theme(), "dark");
  assert.notEqual(await background(), lightBackground);
  await page.reload();
  await page.getByTestId("dashboard").waitFor();
  assert.equal(await theme(), "dark");
});

test("the system's dark preference is the default theme", async () => {
  const page = await cairn.newPage({ colorScheme: "dark" });
  await page.goto(cairn.url);
  await page.getByTestId("dashboard").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
});

test("renaming the platform round-trips to SurrealDB and survives a reload", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/settings`);
  const input = page.getByTestId("title-input");
  await page.waitForFunction(() => document.querySelector("[data-testid=title-input]")?.value === "Cairn");

  // Bad input gets a clear error at the field, and nothing changes.
  await input.fill("   ");
  await page.getByTestId("title-save").click();
  assert.equal(await page.getByTestId("title-error").innerText(), "must not be empty");

  await input.fill("Threat Lab");
  await page.getByTestId("title-save").click();
  await page.getByTestId("title-saved").waitFor();
  await page.getByTestId("platform-title").getByText("Threat Lab").waitFor();

  await page.reload();
  await page.getByTestId("platform-title").getByText("Threat Lab").waitFor();
  await page.waitForFunction(() => document.querySelector("[data-testid=title-input]")?.value === "Threat Lab");
  assert.deepEqual(page.errors, []);
});
