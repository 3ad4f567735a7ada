// Knowledge graphs and investigations over real data (MITRE ATT&CK for ICS,
// imported with `cairn import`): an intrusion set's graph, expanded by a
// double-click on a malware; an investigation started from search, with a
// shortest path, saved, reloaded, exported as STIX and turned into a report
// whose own graph holds the same objects, and grows by an object and a
// relationship the matrix allows.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { corpus, useCairn } from "./harness.mjs";

const cairn = useCairn({ seed: [corpus("attack/ics-attack-18.1.json.xz")] });

/** What the canvas draws, read from the cytoscape instance on its container. */
const drawn = (page) =>
  page.evaluate(() => {
    const cy = document.querySelector("[data-testid=graph-canvas]")._cyreg.cy;
    return {
      labels: cy.nodes(":visible").map((n) => n.data("label")),
      ids: cy.nodes().map((n) => n.id()),
      edges: cy.edges(":visible").length,
      kinds: Object.fromEntries(cy.nodes().map((n) => [n.data("label"), n.data("kind")])),
      positions: Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()])),
    };
  });

const ready = (page) => page.locator("[data-testid=graph-canvas][data-state=ready]").waitFor();

/** The on-screen point of the node labelled `label`, scrolled into view. */
async function nodePoint(page, label) {
  const canvas = page.getByTestId("graph-canvas");
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const at = await page.evaluate((label) => {
    const cy = document.querySelector("[data-testid=graph-canvas]")._cyreg.cy;
    const node = cy.nodes().filter((n) => n.data("label") === label)[0];
    if (!node) return null;
    cy.center(node);
    return node.renderedPosition();
  }, label);
  assert.ok(at, `no node labelled ${label}`);
  return { x: box.x + at.x, y: box.y + at.y };
}

async function clickNode(page, label, modifiers = []) {
  const { x, y } = await nodePoint(page, label);
  for (const key of modifiers) await page.keyboard.down(key);
  await page.mouse.click(x, y);
  for (const key of modifiers) await page.keyboard.up(key);
}

async function openEntity(page, listPath, name) {
  await page.goto(`${cairn.url}${listPath}`);
  await page.locator("[data-testid=list-row] .entity-link", { hasText: name }).first().click();
  await page.getByTestId("entity-title").getByText(name).waitFor();
}

async function addBySearch(page, text, name) {
  await page.getByTestId("graph-add-search").fill(text);
  await page.getByTestId("graph-add-option").filter({ hasText: name }).first().click();
}

test("an intrusion set's graph: neighbours with kinds, expand a malware to its techniques, filters, export", async () => {
  const page = await cairn.newPage();
  await openEntity(page, "/threats/intrusion-sets", "TEMP.Veles");
  await page.getByTestId("tab-graph").click();
  await page.waitForURL(/\/graph$/);
  await ready(page);
  const first = await drawn(page);
  assert.ok(first.labels.includes("TEMP.Veles"));
  assert.ok(first.labels.includes("Triton"), first.labels.join(", "));
  assert.equal(first.kinds["Triton"], "Malware");
  // Triton's own techniques are not TEMP.Veles's.
  assert.ok(!first.labels.includes("Change Operating Mode"));
  assert.match(await page.getByTestId("graph-status").innerText(), new RegExp(`${first.labels.length} objects`));

  // Double-click the malware: its techniques come in.
  const { x, y } = await nodePoint(page, "Triton");
  await page.mouse.dblclick(x, y);
  await page.waitForFunction(() => {
    const cy = document.querySelector("[data-testid=graph-canvas]")._cyreg.cy;
    return cy.nodes().some((n) => n.data("label") === "Change Operating Mode");
  });
  const expanded = await drawn(page);
  assert.ok(expanded.labels.length > first.labels.length);
  assert.equal(expanded.kinds["Change Operating Mode"], "Attack-Pattern");

  // Selecting shows the node's details.
  await clickNode(page, "Triton");
  await page.getByTestId("graph-details-name").getByText("Triton").waitFor();

  // A filter reads the graph again: only `uses` relationships to malware.
  await page.getByTestId("filter-kinds").locator("summary").click();
  await page.getByTestId("filter-kinds").locator("input[value=Malware]").check();
  await page.getByTestId("filter-kinds").locator("summary").click();
  await page.waitForFunction(() => {
    const cy = document.querySelector("[data-testid=graph-canvas]")._cyreg.cy;
    return cy.nodes().every((n) => n.data("kind") === "Malware" || n.data("depth") === 0);
  });
  const malware = await drawn(page);
  assert.ok(malware.labels.includes("Triton"));
  assert.ok(malware.labels.length < first.labels.length);

  // Layouts, and the picture as PNG and SVG.
  await page.getByTestId("graph-layout").selectOption("concentric");
  await ready(page);
  const [png] = await Promise.all([page.waitForEvent("download"), page.getByTestId("graph-png").click()]);
  assert.match(png.suggestedFilename(), /^graph-temp-veles\.png$/);
  assert.deepEqual([...readFileSync(await png.path()).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const [svg] = await Promise.all([page.waitForEvent("download"), page.getByTestId("graph-svg").click()]);
  const svgText = readFileSync(await svg.path(), "utf8");
  assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svgText, /Triton/);
  assert.deepEqual(page.errors, []);
});

test("an investigation from search: add, find the path, save, reload, export, turn into a report", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/investigations`);
  await page.getByTestId("investigations-empty").waitFor();
  await page.getByTestId("investigation-name").fill("Triton reach");
  await addBySearch(page, "TEMP.Veles", "TEMP.Veles");
  await page.getByTestId("investigation-start").getByText("TEMP.Veles").waitFor();
  await page.getByTestId("investigation-create").click();
  await page.waitForURL(/\/investigations\/investigation--/);
  await ready(page);
  assert.deepEqual((await drawn(page)).labels, ["TEMP.Veles"]);

  // Two entities by search, each linked to what is there.
  await addBySearch(page, "Triton", "Triton");
  await page.waitForFunction(() => document.querySelector("[data-testid=graph-canvas]")._cyreg.cy.edges().length === 1);
  await addBySearch(page, "Change Operating Mode", "Change Operating Mode");
  await page.waitForFunction(() => document.querySelector("[data-testid=graph-canvas]")._cyreg.cy.nodes().length === 3);
  await ready(page);
  const built = await drawn(page);
  assert.equal(built.edges, 2);

  // The path between the two ends goes through Triton.
  await clickNode(page, "TEMP.Veles");
  await clickNode(page, "Change Operating Mode", ["Shift"]);
  await page.getByTestId("graph-paths").click();
  assert.equal(await page.getByTestId("graph-paths-summary").innerText(), "1 shortest path of 2 relationships");
  assert.equal(await page.getByTestId("graph-path").innerText(), "TEMP.Veles → Triton → Change Operating Mode");

  // Undo the last addition and redo it.
  await page.getByTestId("graph-undo").click();
  assert.equal((await drawn(page)).ids.length, 2);
  await page.getByTestId("graph-redo").click();
  assert.equal((await drawn(page)).ids.length, 3);

  // Notes, save, reload: the same graph in the same places.
  await page.getByTestId("investigation-notes").fill("Triton is how TEMP.Veles changes operating modes.");
  await page.getByTestId("investigation-save").click();
  await page.getByTestId("investigation-status").getByText("Saved").waitFor();
  const before = await drawn(page);
  await page.reload();
  await ready(page);
  const after = await drawn(page);
  assert.deepEqual([...after.ids].sort(), [...before.ids].sort());
  assert.equal(after.edges, 2);
  for (const id of after.ids) {
    assert.ok(Math.abs(after.positions[id].x - before.positions[id].x) < 1, id);
    assert.ok(Math.abs(after.positions[id].y - before.positions[id].y) < 1, id);
  }
  assert.equal(await page.getByTestId("investigation-notes").inputValue(), "Triton is how TEMP.Veles changes operating modes.");

  // Export: a STIX bundle of the three objects and the two relationships.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("investigation-export").click()]);
  const bundle = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(bundle.type, "bundle");
  const exported = bundle.objects.map((o) => o.id);
  for (const id of after.ids) assert.ok(exported.includes(id), id);
  assert.equal(bundle.objects.filter((o) => o.type === "relationship").length, 2);
  assert.equal(bundle.objects.length, 5);

  // A report holding everything in it, whose graph is the same.
  await page.getByTestId("investigation-report").click();
  await page.getByTestId("investigation-report-created").locator("a").click();
  await page.getByTestId("entity-title").getByText("Triton reach").waitFor();
  assert.equal(await page.getByTestId("entity-kind").innerText(), "REPORT");
  await page.getByTestId("tab-graph").click();
  await ready(page);
  const report = await drawn(page);
  assert.deepEqual([...report.ids].sort(), [...after.ids].sort());
  assert.equal(report.edges, 2);

  // Adding an object to the report's graph adds it to the report.
  await addBySearch(page, "Industroyer", "Industroyer");
  await page.waitForFunction(() => document.querySelector("[data-testid=graph-canvas]")._cyreg.cy.nodes().length === 4);
  await ready(page);
  // A relationship drawn between two of its objects: only what the matrix
  // allows between the two kinds is offered, and it joins the report.
  await clickNode(page, "Industroyer");
  await clickNode(page, "Change Operating Mode", ["Shift"]);
  await page.getByTestId("graph-relate").filter({ hasText: "Industroyer →" }).filter({ hasText: "→ Change Operating Mode" }).waitFor();
  const offered = await page.getByTestId("graph-relate-type").locator("option").allInnerTexts();
  assert.ok(offered.includes("uses"), offered.join(", "));
  assert.ok(!offered.includes("attributed-to") && !offered.includes("located-at"), offered.join(", "));
  await page.getByTestId("graph-relate-type").selectOption("uses");
  await page.getByTestId("graph-relate-save").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=graph-canvas]")._cyreg.cy.edges().length === 3);
  await page.getByTestId("tab-overview").click();
  await page.getByTestId("tab-graph").click();
  await ready(page);
  const grown = await drawn(page);
  assert.equal(grown.ids.length, 4);
  assert.equal(grown.edges, 3);

  // The list shows the investigation.
  await page.goto(`${cairn.url}/investigations`);
  await page.getByTestId("investigation-row").getByText("Triton reach").waitFor();
  assert.deepEqual(page.errors, []);
});
