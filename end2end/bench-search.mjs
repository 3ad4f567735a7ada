// Search as the analyst feels it: from the keystroke that completes a word in
// the top-bar box to the grouped results on screen, through the real server
// and Chromium, on an existing store (e.g. the 1M store `make bench-scale
// BENCH_KEEP=DIR` leaves in DIR/cairn).
//
// Usage: CAIRN_BIN=…/release/cairn CAIRN_WEB_ROOT=dist \
//        node end2end/bench-search.mjs surrealkv://DIR/cairn [samples]
// Prints p50/p95 in milliseconds. Not a test: figures go in docs/BENCHMARKS.md.

import { launchBrowser, startServer } from "./tests/harness.mjs";

const db = process.argv[2];
const samples = Number(process.argv[3] ?? 60);
if (!db) {
  console.error("usage: node end2end/bench-search.mjs STORE_URL [samples]");
  process.exit(2);
}
// Words analysts type: the generator's name parts (common: thousands of
// matches each), technique words, and rarer syllables.
const words = [
  "crimson", "silent", "iron", "velvet", "shadow", "emerald", "lynx", "panda",
  "spider", "viper", "falcon", "orca", "spearphishing", "injection", "credential",
  "sideloading", "scanning", "energy", "report", "campaign",
];

const server = await startServer({ db });
const chromium = await launchBrowser();
try {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.request.post(`${server.url}/api/auth/login`, {
    data: { login: "admin", password: process.env.CAIRN_ADMIN_PASSWORD ?? "browser test password" },
  });
  const page = await context.newPage();
  await page.goto(server.url);
  const input = page.getByTestId("search-input");
  await input.waitFor();
  // The keystroke's time in the page, to split each sample into the client's
  // part before the request, the request itself, and rendering after it.
  await page.evaluate(() => {
    window.addEventListener("keydown", () => { window.__keyAt = performance.now(); }, true);
  });
  const times = [];
  const request = [];
  const before = [];
  const after = [];
  const inPage = [];
  for (let i = 0; i < samples; i++) {
    const word = words[i % words.length];
    await input.fill("");
    await page.getByTestId("search-results").waitFor({ state: "detached" }).catch(() => {});
    await input.fill(word.slice(0, -1));
    // The last keystroke, then the first result on screen.
    const start = performance.now();
    await input.press(word.at(-1));
    await page.waitForFunction(
      (w) => {
        const shown = [...document.querySelectorAll("[data-testid=search-hit]")].some((a) =>
          a.textContent.toLowerCase().includes(w),
        );
        if (shown) window.__shownAt = performance.now();
        return shown;
      },
      word,
      { timeout: 30_000, polling: "raf" },
    );
    times.push(performance.now() - start);
    const split = await page.evaluate(() => {
      const fetches = performance
        .getEntriesByType("resource")
        .filter((e) => e.name.includes("knowledge/search") && e.startTime >= window.__keyAt);
      const last = fetches.at(-1);
      performance.clearResourceTimings();
      return last && { total: window.__shownAt - window.__keyAt, before: last.startTime - window.__keyAt, request: last.responseEnd - last.startTime, shown: window.__shownAt - last.responseEnd };
    });
    if (split) {
      before.push(split.before);
      request.push(split.request);
      after.push(split.shown);
      inPage.push(split.total);
    }
  }
  const at = (list, q) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].toFixed(1);
  };
  console.log(`search, keystroke to results on screen: p50 ${at(times, 0.5)} ms, p95 ${at(times, 0.95)} ms (${samples} samples)`);
  if (request.length > 0) {
    // From the keydown event in the page (without the automation's own
    // round trip that delivers the key) to the first result on screen.
    console.log(`  in the page, keydown to results on screen: p50 ${at(inPage, 0.5)} ms, p95 ${at(inPage, 0.95)} ms`);
    console.log(`  keystroke to request sent: p50 ${at(before, 0.5)} ms, p95 ${at(before, 0.95)} ms`);
    console.log(`  request (server and network): p50 ${at(request, 0.5)} ms, p95 ${at(request, 0.95)} ms`);
    console.log(`  response to first result seen: p50 ${at(after, 0.5)} ms, p95 ${at(after, 0.95)} ms`);
  }
} finally {
  await chromium.close();
  await server.stop();
}
