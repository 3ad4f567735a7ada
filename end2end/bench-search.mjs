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
  const times = [];
  for (let i = 0; i < samples; i++) {
    const word = words[i % words.length];
    await input.fill("");
    await page.getByTestId("search-results").waitFor({ state: "detached" }).catch(() => {});
    await input.fill(word.slice(0, -1));
    // The last keystroke, then the first result on screen.
    const start = performance.now();
    await input.press(word.at(-1));
    await page.waitForFunction(
      (w) =>
        [...document.querySelectorAll("[data-testid=search-hit]")].some((a) =>
          a.textContent.toLowerCase().includes(w),
        ),
      word,
      { timeout: 30_000, polling: "raf" },
    );
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
  console.log(`search, keystroke to results on screen: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (${samples} samples)`);
} finally {
  await chromium.close();
  await server.stop();
}
