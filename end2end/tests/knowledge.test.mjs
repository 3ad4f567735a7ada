// The analyst's reading path over real data (MITRE ATT&CK for ICS, imported
// with `cairn import`): list pages with URL filters, sorting and paging; entity
// pages with techniques by tactic; global search with highlights and keys.

import assert from "node:assert/strict";
import { test } from "node:test";
import { corpus, useCairn } from "./harness.mjs";

const cairn = useCairn({ seed: [corpus("attack/ics-attack-18.1.json.xz")] });

const names = (page) => page.locator("[data-testid=list-row] .entity-link").allInnerTexts();

test("a kind's list pages, sorts and filters, and the filters live in the URL", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/techniques/attack-patterns`);
  await page.getByTestId("list-total").getByText("1–50 of 95").waitFor();
  assert.equal((await names(page)).length, 50);
  // The navigation counts what the store holds.
  await page.locator(".nav-kind", { hasText: "Attack patterns" }).locator(".count").getByText("95").waitFor();

  const ascending = await names(page);
  // Names sort case-blind.
  const lower = (a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
  assert.deepEqual(ascending, [...ascending].sort(lower));
  await page.getByTestId("sort-name").click();
  await page.waitForURL(/sort=-name/);
  await page.waitForFunction((first) => document.querySelector("[data-testid=list-row] .entity-link")?.innerText !== first, ascending[0]);
  const descending = await names(page);
  assert.deepEqual(descending, [...descending].sort(lower).reverse());
  assert.ok(lower(descending[0], ascending[0]) > 0, `${descending[0]} after ${ascending[0]}`);

  await page.getByTestId("page-next").click();
  await page.getByTestId("list-total").getByText("51–95 of 95").waitFor();
  assert.equal((await names(page)).length, 45);
  assert.ok(await page.getByTestId("page-next").isDisabled());
  await page.getByTestId("page-previous").click();
  await page.getByTestId("list-total").getByText("1–50 of 95").waitFor();

  await page.getByTestId("filter-text").fill("service");
  await page.getByTestId("filter-text").press("Enter");
  await page.waitForURL(/q=service/);
  await page.waitForFunction(() => !document.querySelector("[data-testid=list-total]")?.innerText.endsWith("of 95"));
  const filtered = await names(page);
  assert.ok(filtered.length > 0 && filtered.length < 95, filtered.join(", "));
  for (const name of filtered) assert.match(name, /service/i);

  // The URL alone brings the same view back.
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=list-row]").length > 0);
  assert.deepEqual(await names(page), filtered);
  assert.equal(await page.getByTestId("filter-text").inputValue(), "service");
  await page.getByTestId("filter-clear").click();
  await page.getByTestId("list-total").getByText("1–50 of 95").waitFor();
  assert.deepEqual(page.errors, []);
});

test("a kind's own columns show and sort: ATT&CK ids and tactics of techniques", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/techniques/attack-patterns`);
  await page.getByTestId("list-total").getByText("1–50 of 95").waitFor();
  const ids = () => page.locator("[data-testid=cell-x_mitre_id]").allInnerTexts();
  await page.getByTestId("sort-x_mitre_id").click();
  await page.waitForURL(/sort=x_mitre_id/);
  // (By name, T0800 comes first too: wait for the second row.)
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=cell-x_mitre_id]")[1]?.innerText === "T0801");
  const ascending = await ids();
  assert.equal(ascending.length, 50);
  for (const id of ascending) assert.match(id, /^T08\d\d$/);
  assert.deepEqual(ascending, [...ascending].sort());
  // Each technique lists its tactics.
  const first = page.locator("[data-testid=list-row]").first();
  assert.match(await first.getByTestId("cell-kill_chain_phases").innerText(), /[a-z-]+/);
  // Again: descending, and the last page's order continues it.
  await page.getByTestId("sort-x_mitre_id").click();
  await page.waitForURL(/sort=-x_mitre_id/);
  await page.waitForFunction((top) => document.querySelector("[data-testid=cell-x_mitre_id]")?.innerText !== top, "T0800");
  const descending = await ids();
  assert.deepEqual(descending, [...descending].sort().reverse());
  await page.getByTestId("page-next").click();
  await page.getByTestId("list-total").getByText("51–95 of 95").waitFor();
  const rest = await ids();
  assert.ok(rest[0] < descending.at(-1), `${rest[0]} after ${descending.at(-1)}`);
  assert.equal(rest.at(-1), "T0800");
  assert.deepEqual(page.errors, []);
});

test("an intrusion set shows its techniques by tactic, and a technique is one click away", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/threats/intrusion-sets`);
  await page.locator("[data-testid=list-row] .entity-link", { hasText: "OilRig" }).click();
  await page.getByTestId("entity-title").getByText("OilRig").waitFor();
  assert.match(page.url(), /\/entity\/intrusion-set--/);
  assert.equal(await page.getByTestId("entity-kind").innerText(), "INTRUSION SET");
  await page.getByTestId("entity-description").waitFor();
  assert.ok((await page.getByTestId("entity-references").locator("a").count()) > 0);

  await page.getByTestId("tab-knowledge").click();
  await page.waitForURL(/\/knowledge$/);
  const techniques = page.getByTestId("techniques");
  await techniques.waitFor();
  const initial = await techniques.getByTestId("tactic-initial-access").innerText();
  assert.match(initial, /Spearphishing Attachment/);
  assert.match(initial, /Drive-by Compromise/);
  // A technique serving two tactics shows under both.
  assert.match(await techniques.getByTestId("tactic-persistence").innerText(), /Valid Accounts/);
  assert.match(await techniques.getByTestId("tactic-lateral-movement").innerText(), /Valid Accounts/);
  // The neighbours, grouped by relationship type and direction.
  assert.match(await page.getByTestId("group-uses-out").innerText(), /Spearphishing Attachment/);

  await techniques.getByTestId("tactic-initial-access").getByText("Spearphishing Attachment").click();
  await page.getByTestId("entity-title").getByText("Spearphishing Attachment").waitFor();
  assert.equal(await page.getByTestId("entity-kind").innerText(), "ATTACK PATTERN");
  assert.match(await page.getByTestId("entity-details").innerText(), /Kill-chain phases/);

  // A deep link loads the page directly; an unknown id says so.
  const url = page.url();
  await page.goto(url);
  await page.getByTestId("entity-title").getByText("Spearphishing Attachment").waitFor();
  await page.goto(`${cairn.url}/entity/malware--00000000-0000-4000-8000-000000000000`);
  await page.getByTestId("entity-missing").waitFor();
  assert.deepEqual(page.errors, []);
});

test("search finds a technique by a word of its description, from the keyboard", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/`);
  await page.getByTestId("dashboard").waitFor();
  await page.keyboard.press("/");
  await page.keyboard.type("brickerbot");
  const hit = page.getByTestId("search-hit").first();
  await hit.waitFor();
  assert.match(await hit.innerText(), /Denial of Service/);
  assert.equal(await hit.locator("mark").first().innerText(), "BrickerBot");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.getByTestId("entity-title").getByText("Denial of Service").waitFor();

  // Enter with no hit chosen opens every result, grouped by kind.
  await page.getByTestId("search-input").fill("substation");
  await page.getByTestId("search-input").press("Enter");
  await page.waitForURL(/\/search\?q=substation/);
  await page.getByTestId("search-page-hit").first().waitFor();
  assert.ok((await page.locator("[data-testid=search-page-hit] mark").count()) > 0);
  assert.deepEqual(page.errors, []);
});

test("pages fit 1280×800 and a 4K screen: nothing scrolls sideways, and 4K reads larger and wider", async () => {
  const measure = async (viewport) => {
    const page = await cairn.newPage({ viewport });
    const fits = async () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    // A list with columns of its own, an entity page and the dashboard.
    await page.goto(`${cairn.url}/techniques/attack-patterns`);
    await page.locator("[data-testid=list-row]").first().waitFor();
    assert.ok(await fits(), `the techniques list scrolls sideways at ${viewport.width}`);
    const table = await page.getByTestId("list-table").boundingBox();
    // One line of type: a column header.
    const line = await page.getByTestId("sort-name").boundingBox();
    await page.goto(`${cairn.url}/threats/intrusion-sets`);
    await page.locator("[data-testid=list-row] .entity-link").first().click();
    await page.getByTestId("entity-title").waitFor();
    assert.ok(await fits(), `an entity page scrolls sideways at ${viewport.width}`);
    await page.goto(cairn.url);
    await page.getByTestId("dashboard").waitFor();
    assert.ok(await fits(), `the dashboard scrolls sideways at ${viewport.width}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
    return { table, line };
  };
  const laptop = await measure({ width: 1280, height: 800 });
  const uhd = await measure({ width: 3840, height: 2160 });
  // On 4K the list uses the screen: most of its width, and larger type.
  assert.ok(uhd.table.width > 3840 * 0.6, `table ${uhd.table.width} px wide at 4K`);
  assert.ok(uhd.line.height >= laptop.line.height * 1.3, `a line ${laptop.line.height} → ${uhd.line.height} px`);
});
