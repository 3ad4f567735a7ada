// The browser-test harness: starts the real `cairn` binary on a fresh temporary
// store and a free port, launches Debian's Chromium through playwright-core,
// and tears both down afterwards, also when a test fails.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "..", "..");
const binary = process.env.CAIRN_BIN ?? join(root, "target", "debug", "cairn");
const webRoot = process.env.CAIRN_WEB_ROOT ?? join(root, "dist");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** The first administrator's password (CAIRN_ADMIN_PASSWORD) on test servers. */
export const ADMIN_PASSWORD = "browser test password";

/** The shared test corpus beside the checkout. */
export const corpus = (path) => join(root, "..", "shared", "corpus", path);

/**
 * Starts cairn on a new store with the administrator `admin`, after importing
 * the bundles in `seed` with `cairn import`; resolves with { url, stop }.
 */
export async function startServer({ db, seed = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "cairn-e2e-"));
  const store = db ?? `surrealkv://${join(dir, "store")}`;
  if (seed.length > 0) {
    const imported = spawnSync(binary, ["import", "--db", store, "--json", ...seed], {
      env: { ...process.env, CAIRN_LOG: "error" },
      encoding: "utf8",
    });
    if (imported.status !== 0) throw new Error(`cannot seed the store: ${imported.stderr}`);
  }
  const child = spawn(binary, ["serve", "--bind", "127.0.0.1:0", "--db", store, "--web-root", webRoot], {
    env: {
      ...process.env,
      CAIRN_LOG: process.env.CAIRN_LOG ?? "warn,surrealkv=error",
      CAIRN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("cairn did not start within 60 s")), 60_000);
    child.once("exit", (code) => fail(new Error(`cairn exited early with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = line.match(/^Cairn is listening on (http:\/\/\S+)$/);
      if (match) {
        clearTimeout(timer);
        ok(match[1]);
      }
    });
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once("exit", ok));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop };
}

/**
 * Launches headless Debian Chromium. playwright-core gives every launch a fresh
 * temporary --user-data-dir of its own (and refuses one passed in `args`).
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      // Headless Chromium still builds the address bar's suggestion popup, a
      // page of its own in another renderer, for every new tab: about 0.9 s
      // of CPU per tab that no headless page can show, taken from the page
      // under test on a two-core machine.
      "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
    ],
  });
  return { browser, close: () => browser.close() };
}

/**
 * Per test file: one server (on a store holding `seed`) and one browser,
 * stopped after the file's tests.
 * Returns a getter for { url, newPage }.
 */
export function useCairn({ seed = [] } = {}) {
  const state = {};
  before(async () => {
    state.server = await startServer({ seed });
    state.chromium = await launchBrowser();
  });
  after(async () => {
    await state.chromium?.close();
    await state.server?.stop();
  });
  return {
    get url() {
      return state.server.url;
    },
    /**
     * A new page in a fresh context, signed in as `as` (a login with
     * `password`; `admin` by default, `null` for nobody), 1280×800 unless
     * `viewport` says otherwise; browser errors fail loudly.
     */
    async newPage({ colorScheme = "light", as = "admin", password = ADMIN_PASSWORD, viewport = { width: 1280, height: 800 } } = {}) {
      const context = await state.chromium.browser.newContext({
        viewport,
        colorScheme,
      });
      if (as) {
        // The context's request client shares its cookie jar with the pages.
        const reply = await context.request.post(`${state.server.url}/api/auth/login`, {
          data: { login: as, password },
        });
        if (!reply.ok()) throw new Error(`cannot sign in as ${as}: ${await reply.text()}`);
      }
      const page = await context.newPage();
      page.errors = [];
      page.on("pageerror", (error) => page.errors.push(error));
      return page;
    },
    /** Calls a server function as the administrator; resolves with its JSON answer. */
    async asAdmin(path, args = {}) {
      const context = await state.chromium.browser.newContext();
      try {
        await context.request.post(`${state.server.url}/api/auth/login`, {
          data: { login: "admin", password: ADMIN_PASSWORD },
        });
        const reply = await context.request.post(`${state.server.url}${path}`, { data: args });
        return await reply.json();
      } finally {
        await context.close();
      }
    },
  };
}
