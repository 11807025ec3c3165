// A fresh Herald for every test: its own process, port and temporary data directory, so no
// test sees another's accounts and no running Herald is ever reused.

import { test as base, expect, type Page, type TestInfo } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const CRATE_ROOT = resolve(__dirname, "..", "..");
const HERALD_BIN = process.env.HERALD_BIN ?? join(CRATE_ROOT, "target", "release", "herald");
const SITE_ROOT = process.env.LEPTOS_SITE_ROOT ?? join(CRATE_ROOT, "target", "site");

export type HeraldOptions = { signup: "open" | "invite"; sandbox: boolean };

/// `sandboxUrl`: the in-process sandbox networks, when the test asked for them.
export type Herald = { url: string; logs: string[]; sandboxUrl?: string };

async function startHerald(options: HeraldOptions): Promise<{ herald: Herald; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "herald-e2e-"));
  const child: ChildProcess = spawn(HERALD_BIN, options.sandbox ? ["serve", "--sandbox"] : ["serve"], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dataDir,
      LEPTOS_SITE_ADDR: "127.0.0.1:0",
      LEPTOS_SITE_ROOT: SITE_ROOT,
      HERALD_DATA_DIR: dataDir,
      HERALD_SIGNUP: options.signup,
      HERALD_LOG_FORMAT: "json",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  let sandboxUrl: string | undefined;
  child.stderr!.on("data", (chunk) => logs.push(String(chunk)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`Herald did not start:\n${logs.join("")}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`Herald exited with ${code}:\n${logs.join("")}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      logs.push(line);
      try {
        const event = JSON.parse(line);
        if (event.message === "sandbox networks are listening") {
          sandboxUrl = `http://${event.address}`;
        }
        if (event.message === "Herald is listening") {
          clearTimeout(timer);
          resolveUrl(`http://${event.address}`);
        }
      } catch {
        // Not a JSON log line; kept in `logs` for failure reports.
      }
    });
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { herald: { url, logs, sandboxUrl }, stop };
}

export const test = base.extend<HeraldOptions & { herald: Herald; wasmPanics: string[] }>({
  // A WASM panic (a hydration mismatch, say) leaves a page that looks right but no longer
  // reacts. Every panic is printed and fails the test (HERALD_E2E_PANICS=warn only prints).
  wasmPanics: [
    async ({ page }, use) => {
      const panics: string[] = [];
      page.on("console", (message) => {
        const text = message.text();
        // Debug builds say where a hydration mismatch was found, just before panicking.
        if (message.type() === "error" && (text.includes("panicked") || text.includes("hydration error"))) {
          panics.push(`${page.url()}: ${text.split("\n").slice(0, 3).join(" ")}`);
        }
      });
      await use(panics);
      for (const panic of panics) console.warn(`WASM panic: ${panic}`);
      if (process.env.HERALD_E2E_PANICS !== "warn") {
        expect(panics, "the WASM app panicked").toEqual([]);
      }
    },
    { auto: true },
  ],
  signup: ["invite", { option: true }],
  sandbox: [false, { option: true }],
  herald: async ({ signup, sandbox }, use) => {
    const { herald, stop } = await startHerald({ signup, sandbox });
    await use(herald);
    await stop();
  },
  baseURL: async ({ herald }, use) => {
    await use(herald.url);
  },
});

export { expect };

/// Opens a page and, when JavaScript is on, waits until the WASM app has hydrated it, so that
/// clicks exercise the hydrated app and not the plain HTML underneath.
export async function open(page: Page, path: string, javaScriptEnabled: boolean) {
  await page.goto(path);
  await settled(page, javaScriptEnabled);
}

/// After a page load the test did not start itself (a form that reloads the page), waits as
/// `open` does, so the next click reaches the hydrated app and not a page still waking up.
export async function settled(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await expect(page.locator("body[data-hydrated]")).toBeAttached();
    // Parts of a page inside <Suspense> hydrate once their data is read, a moment after the
    // app itself; waiting for the network to settle lets them finish.
    await page.waitForLoadState("networkidle");
  }
}

export const PASSWORD = "correct horse battery staple";

/// Creates an account through the sign-up page and waits for the app to open on Posts.
export async function signUp(
  page: Page,
  javaScriptEnabled: boolean,
  name = "Ada Lovelace",
  email = "ada@example.org",
  password = PASSWORD,
) {
  await open(page, "/sign-up", javaScriptEnabled);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/// Signs up and connects everything the sandbox's Facebook login offers: its Pages and the
/// Instagram account linked to the first ("Sandbox Page 1", "Sandbox Insta").
export async function signUpWithSandboxAccounts(page: Page, javaScriptEnabled: boolean) {
  await signUp(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await open(page, "/accounts", javaScriptEnabled);
  await page.getByRole("link", { name: "Connect Facebook" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Add selected accounts" }).click();
  await expect(page.getByRole("status")).toHaveText("4 accounts added.");
  await settled(page, javaScriptEnabled);
}

const AXE = require.resolve("axe-core/axe.min.js");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/// A full-page screenshot kept with the test results, and axe-core run inside the page, which
/// must find nothing serious or critical. Needs JavaScript and `bypassCSP` (to inject axe).
export async function checkPage(page: Page, path: string, testInfo: TestInfo, label: string) {
  const name = path === "/" ? "home" : path.slice(1).replace(/\//g, "-");
  await page.screenshot({ path: testInfo.outputPath(`${name}-${label}.png`), fullPage: true });
  await page.addScriptTag({ path: AXE });
  const violations: Violation[] = await page.evaluate(async () => {
    // @ts-expect-error axe is the global the script tag defines.
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations;
  });
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `${path} at ${label}`).toEqual([]);
}
