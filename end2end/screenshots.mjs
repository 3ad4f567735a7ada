// Takes screenshots of the main views in light and dark themes into
// docs/screenshots/: the home dashboard, a custom dashboard with every widget
// kind, the ATT&CK matrix, category, a list with the kind's own columns,
// an entity page, its knowledge and graph tabs, an investigation, search
// results, the generated form,
// settings, and the techniques list on a 4K screen.
// Usage (after `make build`): node end2end/screenshots.mjs
// It runs the real server on a fresh store holding ATT&CK for ICS.

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ADMIN_PASSWORD, corpus, launchBrowser, startServer } from "./tests/harness.mjs";
import { catalogue } from "./widget-catalogue.mjs";

const out = resolve(import.meta.dirname, "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });

// [file name, path, what to wait for, viewport, what to click first]
const laptop = { width: 1280, height: 800 };
const pages = [
  ["matrix", "/matrix", "matrix", { width: 1600, height: 1000 }],
  ["category", "/threats", "category-page", laptop],
  ["list", "/techniques/attack-patterns?sort=x_mitre_id", "list-table", laptop],
  ["search", "/search?q=spearphishing", "search-page-hit", laptop],
  ["form", "/observations/indicators", "object-form", laptop, "create-object"],
  ["settings", "/settings", "store-facts", laptop],
  ["list-4k", "/techniques/attack-patterns?sort=x_mitre_id", "list-table", { width: 3840, height: 2160 }],
];

const server = await startServer({ seed: [corpus("attack/ics-attack-18.1.json.xz")] });
const chromium = await launchBrowser();
try {
  for (const theme of ["light", "dark"]) {
    for (const [name, path, testId, viewport, click] of pages) {
      const context = await chromium.browser.newContext({ viewport, colorScheme: theme });
      await context.request.post(`${server.url}/api/auth/login`, {
        data: { login: "admin", password: ADMIN_PASSWORD },
      });
      const page = await context.newPage();
      await page.goto(server.url + path);
      if (click) await page.getByTestId(click).click();
      await page.getByTestId(testId).first().waitFor();
      await page.waitForLoadState("networkidle");
      const file = join(out, `${name}-${theme}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
    // The home dashboard and a custom one with every widget kind, whole pages.
    {
      const context = await chromium.browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: theme });
      await context.request.post(`${server.url}/api/auth/login`, { data: { login: "admin", password: ADMIN_PASSWORD } });
      const page = await context.newPage();
      const drawn = () =>
        page.waitForFunction(() => {
          const widgets = [...document.querySelectorAll("[data-testid=widget]")];
          return widgets.length > 0 && !widgets.some((w) => w.querySelector("[data-state=loading], [data-testid=chart]:not([data-state=ready])"));
        });
      await page.goto(server.url);
      await drawn();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, `dashboard-${theme}.png`), fullPage: true });
      const imported = await context.request.post(`${server.url}/api/dashboards/import`, { data: { file: JSON.stringify(catalogue()) } });
      await page.goto(`${server.url}/dashboards/${await imported.json()}`);
      await drawn();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, `custom-dashboard-${theme}.png`), fullPage: true });
      console.log(`dashboards (${theme})`);
      await context.close();
    }
    // An entity page and its knowledge tab: OilRig.
    const context = await chromium.browser.newContext({ viewport: laptop, colorScheme: theme });
    await context.request.post(`${server.url}/api/auth/login`, {
      data: { login: "admin", password: ADMIN_PASSWORD },
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/threats/intrusion-sets?q=oilrig`);
    await page.locator("[data-testid=list-row] .entity-link", { hasText: "OilRig" }).click();
    await page.getByTestId("entity-title").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(out, `entity-${theme}.png`) });
    await page.getByTestId("tab-knowledge").click();
    await page.getByTestId("techniques").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(out, `knowledge-${theme}.png`) });
    await page.getByTestId("tab-matrix").click();
    await page.getByTestId("matrix").waitFor();
    await page.screenshot({ path: join(out, `entity-matrix-${theme}.png`) });
    console.log(`entity and knowledge (${theme})`);
    // OilRig's graph, two relationships deep.
    await page.getByTestId("tab-graph").click();
    await page.getByTestId("graph-depth").selectOption("2");
    await page.locator("[data-testid=graph-canvas][data-state=ready]").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(out, `graph-${theme}.png`) });
    // An investigation started from that graph: OilRig expanded, then
    // Sandworm Team added by search, linked to the techniques they share.
    await page.getByTestId("graph-investigate").click();
    await page.waitForURL(/\/investigations\/investigation--/);
    await page.getByTestId("investigation-page").locator("[data-testid=graph-canvas][data-state=ready]").waitFor();
    await page.evaluate(() => document.querySelector("[data-testid=graph-canvas]")._cyreg.cy.nodes()[0].select());
    await page.getByTestId("graph-expand-selected").click();
    await page.waitForFunction(() => document.querySelector("[data-testid=graph-canvas]")._cyreg.cy.nodes().length > 1);
    await page.locator("[data-testid=graph-canvas][data-state=ready]").waitFor();
    await page.getByTestId("graph-add-search").fill("Sandworm");
    await page.getByTestId("graph-add-option").first().click();
    await page.locator("[data-testid=graph-canvas][data-state=ready]").waitFor();
    await page.getByTestId("investigation-notes").fill("Which techniques do OilRig and Sandworm Team share?");
    await page.getByTestId("investigation-save").click();
    await page.getByTestId("investigation-status").waitFor();
    await page.screenshot({ path: join(out, `investigation-${theme}.png`) });
    console.log(`graph and investigation (${theme})`);
    await context.close();
  }
} finally {
  await chromium.close();
  await server.stop();
}
