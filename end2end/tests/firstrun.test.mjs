// A newcomer's first minute: on an empty store the dashboard offers demo
// data; loading it queues a work that fills the knowledge base, after which
// the offer is gone and the lists are full.

import assert from "node:assert/strict";
import { test } from "node:test";
import { useCairn } from "./harness.mjs";

const cairn = useCairn();

test("an empty store offers demo data, and loading it fills the knowledge base", async () => {
  const page = await cairn.newPage();
  await page.goto(cairn.url);
  const offer = page.getByTestId("first-run");
  await offer.waitFor();
  await offer.getByTestId("load-demo").click();
  await page.waitForURL(/\/data\/works$/);
  const work = page.getByTestId("work-row").first();
  await work.waitFor();
  assert.match(await work.innerText(), /demo-data-3000\.json/);
  await page.locator("[data-testid=work-row][data-status=complete]").waitFor({ timeout: 120_000 });
  const created = Number((await work.getByTestId("work-created").innerText()).replace(/\D/g, ""));
  assert.ok(created > 2500, `created ${created}`);

  await page.goto(cairn.url);
  await page.getByTestId("dashboard").waitFor();
  const total = page.getByTestId("knowledge-total");
  await total.waitFor();
  assert.match(await total.innerText(), /^\d[\d,]* entities across \d+ kinds\.$/);
  assert.doesNotMatch(await total.innerText(), /^0 /);
  assert.equal(await page.getByTestId("first-run").count(), 0);
  await page.goto(`${cairn.url}/threats/intrusion-sets`);
  await page.getByTestId("list-total").getByText(/^1–\d+ of \d+/).waitFor();
  assert.deepEqual(page.errors, []);
});
