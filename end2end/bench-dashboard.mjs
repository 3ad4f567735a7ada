// `make bench-dashboard` (second half): the home dashboard as the analyst
// waits for it, through the real server and Chromium, on an existing store
// (the 1M store `make bench-scale BENCH_KEEP=DIR` leaves in DIR/cairn).
// Each run opens `/` in a fresh page and reads, with the page's own clock,
// the time from navigation start until every widget is complete: numbers,
// lists, distribution and heat strip in place, every chart drawn
// (`data-state=ready`), nothing loading. It also records when the first
// widget request left and when the last answer came back, to split the
// client's start from the server's work. Then the same for a custom
// dashboard holding one widget of each kind, as the baseline of the same run
// is a plain entity list page.
//
// Usage: CAIRN_BIN=…/release/cairn CAIRN_WEB_ROOT=dist \
//        node end2end/bench-dashboard.mjs surrealkv://DIR/cairn [runs]
// Not a test: figures go in docs/BENCHMARKS.md.

import { launchBrowser, startServer } from "./tests/harness.mjs";
import { catalogue } from "./widget-catalogue.mjs";

const db = process.argv[2];
const runs = Number(process.argv[3] ?? 7);
if (!db) {
  console.error("usage: node end2end/bench-dashboard.mjs STORE_URL [runs]");
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Waits until every widget of the page is complete; returns the page's timings. */
async function complete(page, widgets) {
  await page.waitForFunction(
    (widgets) => {
      const all = [...document.querySelectorAll("[data-testid=widget]")];
      if (all.length < widgets) return false;
      const loading = all.some((w) =>
        w.querySelector("[data-state=loading], [data-testid=chart]:not([data-state=ready])") ||
        /Loading…/.test(w.querySelector(".widget-body")?.textContent ?? ""));
      if (loading) return false;
      window.__completeAt ??= performance.now();
      return true;
    },
    widgets,
    { timeout: 60_000, polling: "raf" },
  );
  return page.evaluate(() => {
    const reads = performance
      .getEntriesByType("resource")
      .filter((e) => /\/api\/dashboard(s)?\//.test(e.name));
    return {
      complete: window.__completeAt,
      firstRequest: Math.min(...reads.map((e) => e.startTime)),
      lastAnswer: Math.max(...reads.map((e) => e.responseEnd)),
      requests: reads.length,
      slowestRequest: Math.max(...reads.map((e) => e.responseEnd - e.startTime)),
    };
  });
}

const server = await startServer({ db });
const chromium = await launchBrowser();
try {
  const context = await chromium.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.request.post(`${server.url}/api/auth/login`, {
    data: { login: "admin", password: process.env.CAIRN_ADMIN_PASSWORD ?? "browser test password" },
  });
  // Warm the server's caches and the browser's copy of the client once.
  {
    const page = await context.newPage();
    await page.goto(server.url);
    await complete(page, 14);
    await page.close();
  }
  const measure = async (label, path, widgets) => {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      await page.goto(server.url + path);
      samples.push(await complete(page, widgets));
      await page.close();
    }
    const pick = (key) => median(samples.map((s) => s[key]));
    console.log(
      `${label}: complete ${pick("complete").toFixed(0)} ms from navigation (median of ${runs}); ` +
        `first widget request at ${pick("firstRequest").toFixed(0)} ms, last answer at ${pick("lastAnswer").toFixed(0)} ms, ` +
        `${samples[0].requests} requests, slowest ${pick("slowestRequest").toFixed(0)} ms`,
    );
    return pick("complete");
  };
  const home = await measure("home dashboard (14 widgets)", "/", 14);
  // A custom dashboard with one widget of each kind that reads the store.
  const created = await context.request.post(`${server.url}/api/dashboards/import`, {
    data: { file: JSON.stringify(catalogue()) },
  });
  const id = await created.json();
  const custom = await measure("custom dashboard (one widget of each kind)", `/dashboards/${id}`, 13);
  console.log(`home / custom: ${(home / custom).toFixed(2)}`);
} finally {
  await chromium.close();
  await server.stop();
}
