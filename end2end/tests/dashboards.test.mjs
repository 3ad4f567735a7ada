// Dashboards over real data (MITRE ATT&CK for ICS, imported with `cairn
// import`): the home dashboard counts what was imported; a custom dashboard
// gets a donut of objects by kind and a line of relationships per month, one
// widget is moved, and after a reload both are where they were left; the
// ATT&CK matrix of an intrusion set colours a technique it uses.

import assert from "node:assert/strict";
import { test } from "node:test";
import { corpus, useCairn } from "./harness.mjs";

const cairn = useCairn({ seed: [corpus("attack/ics-attack-18.1.json.xz")] });

/** The ECharts option drawn in the widget titled `title`. */
const chartOption = (page, title) =>
  page.evaluate((title) => {
    const widget = [...document.querySelectorAll("[data-testid=widget]")].find(
      (w) => w.querySelector("h2")?.textContent === title,
    );
    const chart = widget?.querySelector("[data-testid=chart][data-state=ready]");
    const instance = chart && window.echarts.getInstanceByDom(chart);
    return instance ? JSON.parse(JSON.stringify(instance.getOption())) : null;
  }, title);

const widget = (page, title) =>
  page.locator("[data-testid=widget]", { has: page.locator("h2", { hasText: title }) });

test("the home dashboard shows what the ICS import brought", async () => {
  const counts = Object.fromEntries(await cairn.asAdmin("/api/knowledge/kind-counts"));
  assert.ok(counts["Intrusion-Set"] > 0 && counts["Malware"] > 0, JSON.stringify(counts));
  const page = await cairn.newPage();
  await page.goto(cairn.url);
  await page.getByTestId("dashboard").waitFor();
  for (const [kind, title] of [["Intrusion-Set", "Intrusion sets"], ["Malware", "Malware"]]) {
    const number = widget(page, title).getByTestId("number-value");
    await number.waitFor();
    assert.equal(Number((await number.innerText()).replace(/\D/g, "")), counts[kind], title);
    // Imported today: all of it is new in the last 30 days, none was there before.
    const added = await widget(page, title).getByTestId("number-added").innerText();
    assert.equal(added, `+${counts[kind].toLocaleString("en-US")} in the period`);
    assert.match(await widget(page, title).getByTestId("number-trend").innerText(), /new/);
  }
  // Ingestion per day draws today's objects; the techniques strip and the lists fill in.
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=chart][data-state=ready]").length >= 1);
  const ingestion = await chartOption(page, "Ingestion per day");
  const total = ingestion.series[0].data.reduce((a, b) => a + b, 0);
  assert.ok(total >= counts["Intrusion-Set"] + counts["Malware"], `ingested ${total}`);
  await widget(page, "Techniques used most").getByTestId("heat-strip").waitFor();
  assert.ok((await widget(page, "Techniques used most").locator(".heat-strip li").count()) > 5);
  await widget(page, "Most active intrusion sets").getByTestId("chart").and(page.locator("[data-state=ready]")).waitFor();
  const active = await chartOption(page, "Most active intrusion sets");
  assert.ok(active.yAxis[0].data.length > 0, "active intrusion sets are named");
  // A shorter period still counts everything, added today.
  await page.getByTestId("period").selectOption("7d");
  await page.waitForFunction(() => document.querySelector("[data-testid=period]").value === "7d");
  assert.deepEqual(page.errors, []);
});

test("a custom dashboard keeps its widgets where they were moved", async () => {
  const page = await cairn.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${cairn.url}/dashboards`);
  await page.getByTestId("dashboard-name").fill("ICS overview");
  await page.getByTestId("dashboard-create").click();
  await page.getByTestId("dashboard-title").getByText("ICS overview").waitFor();
  // STIX created dates of ATT&CK go back years: read all time (saved with the dashboard).
  await page.getByTestId("period").selectOption("all");
  await page.getByTestId("dashboard-saved").getByText("Saved").waitFor();
  await page.getByTestId("dashboard-edit").click();

  // A donut of objects by kind (the form's default series for a donut).
  await page.getByTestId("widget-add").click();
  await page.getByTestId("widget-title").fill("Objects by kind");
  await page.getByTestId("widget-kind").selectOption("donut");
  await page.getByTestId("widget-save").click();
  await widget(page, "Objects by kind").locator("[data-testid=chart][data-state=ready]").waitFor();
  const donut = await chartOption(page, "Objects by kind");
  const slices = Object.fromEntries(donut.series[0].data.map((d) => [d.name, d.value]));
  const counts = Object.fromEntries(await cairn.asAdmin("/api/knowledge/kind-counts"));
  assert.equal(slices["Attack-Pattern"], counts["Attack-Pattern"], JSON.stringify(slices));

  // A line of relationships created per month.
  await page.getByTestId("widget-add").click();
  await page.getByTestId("widget-title").fill("Relationships per month");
  await page.getByTestId("widget-kind").selectOption("line");
  await page.getByTestId("series-perspective").selectOption("relationships");
  await page.getByTestId("series-group-by").selectOption("time");
  await page.getByTestId("series-interval").selectOption("month");
  await page.getByTestId("series-date-field").selectOption("created");
  await page.getByTestId("widget-save").click();
  await widget(page, "Relationships per month").locator("[data-testid=chart][data-state=ready]").waitFor();
  const line = await chartOption(page, "Relationships per month");
  const months = line.xAxis[0].data;
  assert.ok(months.length > 3 && months.every((m) => /^\d{4}-\d{2}$/.test(m)), months.join(" "));
  assert.deepEqual([...months].sort(), months, "months in order");
  assert.ok(line.series[0].data.reduce((a, b) => a + b, 0) > 100);

  // Drag the donut six columns to the right by its title bar.
  const donutWidget = widget(page, "Objects by kind");
  assert.equal(await donutWidget.getAttribute("data-x"), "0");
  const handle = await donutWidget.getByTestId("widget-handle").boundingBox();
  const grid = await page.getByTestId("dashboard-grid").boundingBox();
  const column = (grid.width + 12) / 12;
  await page.mouse.move(handle.x + 40, handle.y + 10);
  await page.mouse.down();
  await page.mouse.move(handle.x + 40 + column * 3, handle.y + 10, { steps: 5 });
  await page.mouse.move(handle.x + 40 + column * 6, handle.y + 10, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    () => [...document.querySelectorAll("[data-testid=widget]")].find((w) => w.querySelector("h2")?.textContent === "Objects by kind")?.dataset.x === "6",
  );
  // And make the line taller by its corner.
  const lineWidget = widget(page, "Relationships per month");
  const corner = await lineWidget.getByTestId("widget-resize").boundingBox();
  await page.mouse.move(corner.x + 8, corner.y + 8);
  await page.mouse.down();
  await page.mouse.move(corner.x + 8, corner.y + 8 + 76 * 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    () => [...document.querySelectorAll("[data-testid=widget]")].find((w) => w.querySelector("h2")?.textContent === "Relationships per month")?.dataset.h === "6",
  );
  await page.getByTestId("dashboard-saved").getByText("Saved").waitFor();

  await page.reload();
  await widget(page, "Objects by kind").locator("[data-testid=chart][data-state=ready]").waitFor();
  assert.equal(await widget(page, "Objects by kind").getAttribute("data-x"), "6");
  assert.equal(await widget(page, "Relationships per month").getAttribute("data-h"), "6");
  assert.equal(await widget(page, "Relationships per month").getAttribute("data-y"), "4");
  assert.equal(await page.getByTestId("period").inputValue(), "all");
  assert.deepEqual(page.errors, []);
});

test("an intrusion set's ATT&CK matrix colours the techniques it uses", async () => {
  const page = await cairn.newPage();
  await page.goto(`${cairn.url}/threats/intrusion-sets`);
  await page.locator("[data-testid=list-row] .entity-link", { hasText: "OilRig" }).first().click();
  await page.getByTestId("entity-title").getByText("OilRig").waitFor();
  const id = new URL(page.url()).pathname.split("/")[2];
  const uses = new Set((await cairn.asAdmin("/api/knowledge/techniques", { id })).map((t) => t.stix_id));
  assert.ok(uses.size > 1, "OilRig uses several ICS techniques");
  await page.getByTestId("tab-matrix").click();
  await page.getByTestId("matrix").waitFor();
  const used = page.locator("[data-testid=matrix-cell]:not([data-count='0'])");
  const shown = new Set(await used.evaluateAll((cells) => cells.map((c) => c.querySelector("a").getAttribute("href").split("/").pop())));
  assert.deepEqual(shown, uses, "the cells coloured are the techniques it uses");
  const cell = used.first();
  const colour = await cell.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(colour, "rgba(0, 0, 0, 0)");
  assert.match(await cell.getAttribute("class"), /heat-[1-4]/);
  // Every cell shown is one it uses (the entity's matrix starts with only those).
  assert.equal(await page.locator("[data-testid=matrix-cell][data-count='0']").count(), 0);
  // The technique opens from its cell.
  const name = await cell.locator("a").innerText();
  await cell.locator("a").click();
  await page.getByTestId("entity-title").getByText(name).waitFor();

  // The base's matrix shows every technique, the used ones coloured.
  await page.goto(`${cairn.url}/matrix`);
  await page.getByTestId("matrix").waitFor();
  assert.ok((await page.locator("[data-testid=matrix-cell]").count()) > 70);
  assert.ok((await page.locator("[data-testid=matrix-cell].heat-4").count()) >= 1);
  assert.deepEqual(page.errors, []);
});
