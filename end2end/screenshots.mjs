// Takes screenshots of the main pages in light and dark themes into docs/screenshots/.
// Usage (after `make build`): node end2end/screenshots.mjs
// It runs the real server on a fresh temporary store, like the browser tests.

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { launchBrowser, startServer } from "./tests/harness.mjs";

const out = resolve(import.meta.dirname, "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });
const pages = [
  ["dashboard", "/", "dashboard"],
  ["category", "/threats", "category-page"],
  ["settings", "/settings", "store-facts"],
];

const server = await startServer();
const chromium = await launchBrowser();
try {
  for (const theme of ["light", "dark"]) {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
    const page = await context.newPage();
    for (const [name, path, testId] of pages) {
      await page.goto(server.url + path);
      await page.getByTestId(testId).waitFor();
      await page.waitForLoadState("networkidle");
      const file = join(out, `${name}-${theme}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await chromium.close();
  await server.stop();
}
