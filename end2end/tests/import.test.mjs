// Importing from the browser: a real bundle uploaded through Data → Import
// becomes a work that the server's worker runs to completion, with its counts
// shown live, and the knowledge it brings appears in the lists.

import assert from "node:assert/strict";
import { test } from "node:test";
import { corpus, useCairn } from "./harness.mjs";

const cairn = useCairn();

test("uploading ATT&CK for ICS runs a work to completion and fills the lists", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/data/import`);
  await page.getByTestId("upload-zone").waitFor();
  await page.getByTestId("upload-input").setInputFiles(corpus("attack/ics-attack-18.1.json.xz"));
  await page.getByTestId("upload-done").waitFor();
  const row = page.getByTestId("work-row").first();
  await row.waitFor();
  assert.match(await row.innerText(), /ics-attack-18\.1\.json\.xz/);
  // The table follows the work live until it is done.
  await page.locator("[data-testid=work-row][data-status=complete]").waitFor({ timeout: 120_000 });
  assert.equal(await row.getByTestId("work-created").innerText(), "1,826");
  assert.match(await row.innerText(), /1,826 \/ 1,826/);

  await page.goto(`${cairn.url}/techniques/attack-patterns`);
  await page.getByTestId("list-total").getByText("1–50 of 95").waitFor();

  // A file that is not STIX fails plainly, and nothing is lost of what came before.
  await page.goto(`${cairn.url}/data/import`);
  await page.getByTestId("upload-input").setInputFiles({
    name: "notes.json", mimeType: "application/json", buffer: Buffer.from("{ not json"),
  });
  await page.locator("[data-testid=work-row][data-status=failed]").waitFor({ timeout: 60_000 });
  assert.match(await page.locator(".failure-row").first().innerText(), /\S/);
  await page.goto(`${cairn.url}/techniques/attack-patterns`);
  await page.getByTestId("list-total").getByText("1–50 of 95").waitFor();
  assert.deepEqual(page.errors, []);
});
