// `make bench-graph`: how fast a large investigation becomes interactive in
// headless Chromium, and how smoothly it pans.
//
// It imports a generated bundle (2,000 intrusion sets, malware, tools and
// techniques with 5,000 relationships among them) into a fresh store with
// `cairn import`, saves an investigation holding all of it through the
// server functions, then opens `/investigations/<id>` three times and reads,
// with the page's own clock: the server's answer, the layout, and the moment
// the graph is drawn and takes input (the canvas's `data-state=ready`). Then
// it drags the graph for about a second and counts the frames drawn.
// A 200-node, 500-edge investigation measured the same way in the same run
// is the baseline the large one is compared with.
//
// Usage: CAIRN_BIN=… CAIRN_WEB_ROOT=… node bench-graph.mjs

import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_PASSWORD, launchBrowser, startServer } from "./tests/harness.mjs";

const RUNS = 3;

/** A deterministic bundle of `nodes` objects and `edges` relationships. */
function bundle(nodes, edges, tag) {
  let seed = 0x2545f491 ^ nodes;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const hex = (n, width) => n.toString(16).padStart(width, "0");
  const uuid = (kind, n) => `${hex(kind, 8)}-0000-4000-8000-${hex(n, 12)}`;
  const at = "2024-01-01T00:00:00.000Z";
  const kinds = [
    ["intrusion-set", 0.1, {}],
    ["malware", 0.3, { is_family: true }],
    ["tool", 0.2, {}],
    ["attack-pattern", 0.4, {}],
  ];
  const objects = [];
  const byType = {};
  let n = 0;
  kinds.forEach(([type, share, extra], k) => {
    const count = k === kinds.length - 1 ? nodes - n : Math.round(nodes * share);
    for (let i = 0; i < count; i++, n++) {
      const id = `${type}--${uuid(k + 1 + tag * 16, n)}`;
      objects.push({ type, spec_version: "2.1", id, created: at, modified: at, name: `${type} ${tag}-${i}`, ...extra });
      (byType[type] ??= []).push(id);
    }
  });
  const all = objects.map((o) => o.id);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const seen = new Set();
  let r = 0;
  while (r < edges) {
    // Threats use malware, tools and techniques; malware and tools use techniques; the rest relate.
    const roll = random();
    let [from, verb, to] =
      roll < 0.35
        ? [pick(byType["intrusion-set"]), "uses", pick([...byType.malware, ...byType.tool, ...byType["attack-pattern"]])]
        : roll < 0.7
          ? [pick([...byType.malware, ...byType.tool]), "uses", pick(byType["attack-pattern"])]
          : [pick(all), "related-to", pick(all)];
    if (from === to || seen.has(`${from} ${to}`)) continue;
    seen.add(`${from} ${to}`);
    objects.push({
      type: "relationship", spec_version: "2.1", id: `relationship--${uuid(15 + tag * 16, r)}`,
      created: at, modified: at, relationship_type: verb, source_ref: from, target_ref: to,
    });
    r++;
  }
  return { objects, nodes: all, edges: objects.filter((o) => o.type === "relationship").map((o) => o.id) };
}

const sizes = [
  { label: "baseline, 200 nodes / 500 edges", nodes: 200, edges: 500 },
  { label: "2,000 nodes / 5,000 edges", nodes: 2000, edges: 5000 },
];
const dir = mkdtempSync(join(tmpdir(), "cairn-bench-graph-"));
const files = sizes.map((size, tag) => {
  const data = bundle(size.nodes, size.edges, tag);
  const file = join(dir, `graph-${tag}.json`);
  writeFileSync(file, JSON.stringify({ type: "bundle", id: `bundle--${"0".repeat(8)}-0000-4000-8000-${"0".repeat(11)}${tag}`, objects: data.objects }));
  Object.assign(size, data);
  return file;
});

const server = await startServer({ seed: files });
const chromium = await launchBrowser();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.request.post(`${server.url}/api/auth/login`, { data: { login: "admin", password: ADMIN_PASSWORD } });
  const call = async (path, args) => {
    const reply = await context.request.post(`${server.url}/api/${path}`, { data: args });
    if (!reply.ok()) throw new Error(`${path}: ${await reply.text()}`);
    return reply.json();
  };
  const results = [];
  for (const size of sizes) {
    const id = await call("investigations/create", { name: size.label, objects: [] });
    const { investigation } = await call("investigations/open", { id });
    investigation.nodes = size.nodes.map((node) => ({ id: node, x: 0, y: 0, pinned: false }));
    investigation.edges = size.edges;
    await call("investigations/save", { investigation });
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await context.newPage();
      await page.goto(`${server.url}/investigations/${id}`);
      await page.locator("[data-testid=graph-canvas][data-state=ready]").waitFor({ timeout: 120_000 });
      const drawnCounts = await page.evaluate(() => {
        const canvas = document.querySelector("[data-testid=graph-canvas]");
        return [Number(canvas.dataset.nodes), Number(canvas.dataset.edges)];
      });
      if (drawnCounts[0] !== size.nodes.length || drawnCounts[1] !== size.edges.length) {
        throw new Error(`drew ${drawnCounts} instead of ${size.nodes.length},${size.edges.length}`);
      }
      const times = await page.evaluate(() => {
        const open = performance.getEntriesByType("resource").find((e) => e.name.includes("/api/investigations/open"));
        const vendor = performance.getEntriesByType("resource").filter((e) => e.name.includes("/vendor/"));
        const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
        const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
        return {
          loading: mark("cairn-graph-loading"),
          created: mark("cairn-graph-created"),
          synced: mark("cairn-graph-synced"),
          wasm: wasm?.responseEnd ?? NaN,
          answer: open?.responseEnd ?? NaN,
          library: Math.max(...vendor.map((e) => e.responseEnd)),
          layout: mark("cairn-graph-layout"),
          ready: mark("cairn-graph-ready"),
        };
      });
      // Drag the graph for about a second, counting frames.
      const box = await page.getByTestId("graph-canvas").boundingBox();
      await page.evaluate(() => {
        window.__frames = [];
        const tick = (t) => {
          window.__frames.push(t);
          if (!window.__stop) requestAnimationFrame(tick);
        };
        window.__stop = false;
        requestAnimationFrame(tick);
      });
      // Start the drag on empty background: a corner of the canvas.
      const [x, y] = [box.x + 8, box.y + box.height - 8];
      await page.mouse.move(x, y);
      await page.mouse.down();
      for (let step = 1; step <= 60; step++) {
        await page.mouse.move(x + step * 6, y - step * 4);
        await page.waitForTimeout(16);
      }
      await page.mouse.up();
      const frames = await page.evaluate(() => {
        window.__stop = true;
        const f = window.__frames;
        const gaps = f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b);
        return {
          fps: (f.length - 1) / ((f[f.length - 1] - f[0]) / 1000),
          p95: gaps[Math.floor(gaps.length * 0.95)],
          worst: gaps[gaps.length - 1],
        };
      });
      runs.push({ ...times, ...frames });
      console.log(
        `${size.label}, run ${run + 1}: client loaded ${times.wasm.toFixed(0)} ms, answer ${times.answer.toFixed(0)} ms, ` +
          `canvas from ${times.loading.toFixed(0)} ms, graph library ${times.library.toFixed(0)} ms, created ${times.created.toFixed(0)} ms, ` +
          `drawn ${times.synced.toFixed(0)} ms, layout from ${times.layout.toFixed(0)} ms, ` +
          `interactive at ${times.ready.toFixed(0)} ms; panning ${frames.fps.toFixed(1)} fps, ` +
          `p95 frame ${frames.p95.toFixed(1)} ms, worst ${frames.worst.toFixed(1)} ms`,
      );
      await page.close();
    }
    results.push({ label: size.label, ready: median(runs.map((r) => r.ready)), fps: median(runs.map((r) => r.fps)), p95: median(runs.map((r) => r.p95)) });
  }
  console.log("\nmedians over", RUNS, "runs (time from navigation start):");
  for (const r of results) {
    console.log(`  ${r.label.padEnd(34)} interactive at ${r.ready.toFixed(0)} ms; panning ${r.fps.toFixed(1)} fps, p95 frame ${r.p95.toFixed(1)} ms`);
  }
  const [base, large] = results;
  console.log(`  ratio large / baseline: interactive ${(large.ready / base.ready).toFixed(2)}x, p95 frame ${(large.p95 / base.p95).toFixed(2)}x`);
} finally {
  await chromium.close();
  await server.stop();
}
