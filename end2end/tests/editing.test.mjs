// The analyst's writing path over real data (MITRE ATT&CK for ICS): create an
// indicator in the generated form (an invalid pattern is refused at its
// field), relate it to a malware (the form offers only the relationship types
// the matrix allows), export the malware with its neighbours, and delete and
// restore the indicator.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { corpus, useCairn } from "./harness.mjs";

const cairn = useCairn({ seed: [corpus("attack/ics-attack-18.1.json.xz")] });

test("create, relate, export, delete and restore, in the browser", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/observations/indicators`);
  await page.getByTestId("create-object").click();
  const form = page.getByTestId("object-form");
  await form.waitFor();
  await form.getByTestId("field-name").fill("Triton loader hash");
  await form.getByTestId("field-pattern").fill("[file:hashes.MD5 = '6c39c3f4a08d3d78f2eb973a94bd7718'");
  await form.getByTestId("field-pattern_type").fill("stix");
  await form.getByTestId("field-valid_from").fill("2024-03-01T10:00:00");
  await form.getByTestId("form-save").click();
  // The STIX crate finds the unclosed bracket; the error shows at the field.
  const error = form.getByTestId("error-pattern");
  await error.waitFor();
  assert.match(await error.innerText(), /invalid STIX pattern/i);
  assert.match(page.url(), /\/observations\/indicators$/, "nothing was saved");

  await form.getByTestId("field-pattern").fill("[file:hashes.MD5 = '6c39c3f4a08d3d78f2eb973a94bd7718']");
  await form.getByTestId("form-save").click();
  await page.waitForURL(/\/entity\/indicator--/);
  await page.getByTestId("entity-title").getByText("Triton loader hash").waitFor();
  const indicatorUrl = page.url();

  // Relate it to a malware: only what the matrix allows is offered.
  await page.getByTestId("action-relate").click();
  const relate = page.getByTestId("relationship-form");
  await relate.getByTestId("relationship-target-kind").selectOption("Malware");
  const offered = await relate.getByTestId("relationship-type").locator("option").allInnerTexts();
  assert.ok(offered.includes("indicates"), offered.join(", "));
  assert.ok(!offered.includes("uses") && !offered.includes("targets"), offered.join(", "));
  assert.equal(await relate.getByTestId("relationship-type").inputValue(), "indicates");
  const picker = relate.getByTestId("relationship-target");
  await picker.getByTestId("picker-search").fill("Triton");
  await picker.getByTestId("picker-option").filter({ hasText: "Triton" }).first().click();
  await picker.getByTestId("picked").getByText("Triton").waitFor();
  await relate.getByTestId("relationship-save").click();
  await relate.waitFor({ state: "detached" });

  await page.getByTestId("tab-knowledge").click();
  const group = page.getByTestId("group-indicates-out");
  await group.getByText("Triton").waitFor();

  // Export the malware with depth 1: the bundle holds it, the indicator and the relationship.
  await group.getByText("Triton").click();
  await page.waitForURL(/\/entity\/malware--/);
  const malwareId = decodeURIComponent(page.url().split("/entity/")[1].split("/")[0]);
  await page.getByTestId("action-export").click();
  await page.getByTestId("export-depth").selectOption("1");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-download").click(),
  ]);
  assert.match(download.suggestedFilename(), /^triton-depth1\.json$/);
  const bundle = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(bundle.type, "bundle");
  const byType = (t) => bundle.objects.filter((o) => o.type === t);
  assert.ok(bundle.objects.some((o) => o.id === malwareId), "the malware itself");
  const indicator = byType("indicator").find((o) => o.name === "Triton loader hash");
  assert.ok(indicator, "the indicator one relationship away");
  assert.equal(indicator.pattern, "[file:hashes.MD5 = '6c39c3f4a08d3d78f2eb973a94bd7718']");
  assert.ok(
    byType("relationship").some(
      (r) => r.relationship_type === "indicates" && r.source_ref === indicator.id && r.target_ref === malwareId,
    ),
    "the new relationship",
  );
  // Depth 1 brings the techniques Triton uses, too.
  assert.ok(byType("attack-pattern").length > 0);

  // The malware's Indicators tab shows the pattern, checked.
  await page.getByTestId("tab-indicators").click();
  const detection = page.getByTestId("indicator-row").filter({ hasText: "Triton loader hash" });
  await detection.getByTestId("pattern-valid").waitFor();
  assert.match(await detection.getByTestId("indicator-pattern").innerText(), /6c39c3f4a08d3d78f2eb973a94bd7718/);

  // Delete the indicator: gone from its page, in the trash with its relationship.
  await page.goto(indicatorUrl);
  await page.getByTestId("action-delete").click();
  await page.getByTestId("delete-confirm").click();
  await page.waitForURL(/\/observations\/indicators\?deleted=1/);
  await page.goto(indicatorUrl);
  await page.getByTestId("entity-missing").waitFor();

  await page.goto(`${cairn.url}/data/trash`);
  const row = page.getByTestId("trash-row").filter({ hasText: "Triton loader hash" });
  await row.waitFor();
  assert.match(await row.innerText(), /\b1\b/, "one relationship went with it");
  await row.getByTestId("trash-restore").click();
  await page.getByTestId("trash-message").getByText(/is back/).waitFor();

  await page.goto(`${indicatorUrl}/knowledge`);
  await page.getByTestId("group-indicates-out").getByText("Triton").waitFor();
  assert.deepEqual(page.errors, []);
});

test("an edit is a new version in the history", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/arsenal/malwares`);
  await page.locator("[data-testid=list-row] .entity-link", { hasText: "Industroyer2" }).click();
  await page.getByTestId("entity-title").getByText("Industroyer2").waitFor();
  await page.getByTestId("action-edit").click();
  const form = page.getByTestId("object-form");
  assert.equal(await form.getByTestId("field-name").inputValue(), "Industroyer2");
  await form.getByTestId("field-labels").fill("grid, triaged");
  await form.getByTestId("form-save").click();
  await form.waitFor({ state: "detached" });
  await page.getByTestId("tab-history").click();
  const history = page.getByTestId("history-table");
  await history.getByText(/labels/).waitFor();
  assert.match(await history.innerText(), /admin/);
  assert.deepEqual(page.errors, []);
});

test("a list's selection takes labels in bulk, and the filtered list exports whole", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/threats/intrusion-sets`);
  await page.getByTestId("list-total").getByText(/of 14$/).waitFor();
  const rows = page.getByTestId("list-row");
  await rows.nth(0).getByTestId("row-select").check();
  await rows.nth(1).getByTestId("row-select").check();
  const bar = page.getByTestId("bulk-bar");
  assert.equal(await bar.getByTestId("bulk-count").innerText(), "2 selected");
  await bar.getByTestId("bulk-label").fill("watchlist");
  await bar.getByTestId("bulk-add-label").click();
  await page.getByTestId("bulk-message").getByText("2 changed.").waitFor();

  // The label filter now finds exactly those two.
  await page.goto(`${cairn.url}/threats/intrusion-sets?label=watchlist`);
  await page.getByTestId("list-total").getByText("1–2 of 2").waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("list-export-csv").click(),
  ]);
  assert.equal(download.suggestedFilename(), "intrusion-sets.csv");
  const lines = (await readFile(await download.path(), "utf8")).trim().split("\n");
  assert.equal(lines.length, 3, lines.join("\n"));
  for (const line of lines.slice(1)) assert.match(line, /watchlist/);

  // Select the page, then delete needs a second click to confirm.
  await page.getByTestId("select-all").check();
  await page.getByTestId("bulk-delete").click();
  assert.equal(await page.getByTestId("bulk-delete").innerText(), "Confirm: move to trash");
  await page.getByTestId("bulk-delete").click();
  await page.getByTestId("bulk-message").getByText("2 moved to the trash.").waitFor();
  await page.getByTestId("list-empty").waitFor();
  assert.deepEqual(page.errors, []);
});
