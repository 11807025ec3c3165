// Lighthouse (its mobile preset, in Debian's Chromium, nothing fetched from the internet) on
// Herald's sign-in page and, signed in, on Posts, Compose and Calendar: prints the four
// category scores of each page, the figures behind performance, and every audit that cost a
// point elsewhere. Run by `scripts/lighthouse`, which builds Herald and installs Lighthouse.
//
// Herald runs from the release build with its sandbox networks, in a temporary data folder;
// the signed-in pages show a person with the sandbox's accounts connected and a few scheduled
// posts, so they are measured with something on them.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const HERALD_BIN = process.env.HERALD_BIN ?? join(ROOT, "target", "release", "herald");
const SITE_ROOT = process.env.LEPTOS_SITE_ROOT ?? join(ROOT, "target", "site");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const REPORTS = process.env.LIGHTHOUSE_REPORTS ?? join(ROOT, "target", "lighthouse");
// Performance varies from run to run; the run with the median performance score is reported.
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const PAGES = [
  { name: "Sign in", path: "/sign-in", signedIn: false },
  { name: "Posts", path: "/posts", signedIn: true },
  { name: "Compose", path: "/compose", signedIn: true },
  { name: "Calendar", path: "/calendar", signedIn: true },
];
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Playwright comes with the browser tests; it only fills in forms here.
const { chromium } = createRequire(join(ROOT, "end2end", "package.json"))("@playwright/test");

async function startHerald() {
  const dataDir = mkdtempSync(join(tmpdir(), "herald-lighthouse-"));
  const child = spawn(HERALD_BIN, ["serve", "--sandbox"], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dataDir,
      LEPTOS_SITE_ADDR: "127.0.0.1:0",
      LEPTOS_SITE_ROOT: SITE_ROOT,
      HERALD_DATA_DIR: dataDir,
      HERALD_SIGNUP: "open",
      HERALD_LOG_FORMAT: "json",
      RUST_LOG: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((found, failed) => {
    const timer = setTimeout(() => failed(new Error("Herald did not start within 30 s")), 30_000);
    child.once("exit", (code) => failed(new Error(`Herald exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const event = JSON.parse(line);
        if (event.message === "Herald is listening") {
          clearTimeout(timer);
          found(`http://${event.address}`);
        }
      } catch {
        // Not a log line of interest.
      }
    });
  });
  const stop = () => {
    child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, stop };
}

/// `YYYY-MM-DDT09:00`, `days` from today (UTC, the new person's zone).
function morning(days) {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T09:00`;
}

/// Signs a person up, connects the sandbox's accounts and schedules a few posts, with plain
/// forms; returns the session's Cookie header.
async function seed(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS.slice(1) });
  const context = await browser.newContext({ baseURL: url, javaScriptEnabled: false, locale: "en-US" });
  const page = await context.newPage();
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill("ada@example.org");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Posts", level: 1 }).waitFor();
  await page.goto("/accounts");
  await page.getByRole("link", { name: "Connect Facebook" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Add selected accounts" }).click();
  await page.getByRole("status").waitFor();
  for (const [days, text] of [
    [1, "Our spring menu is out: three new dishes, all from the garden."],
    [2, "Thank you to everyone who came on Saturday!"],
    [4, "Opening hours change next week: we open at 8 from Monday."],
  ]) {
    await page.goto("/compose");
    await page.getByRole("textbox", { name: "Text", exact: true }).fill(text);
    await page.getByRole("checkbox", { name: /Sandbox Page 1/ }).check();
    await page.getByLabel(/Date and time to publish/).fill(morning(days));
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
  }
  const cookies = await context.cookies();
  await browser.close();
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

const seconds = (audit) => (audit?.numericValue === undefined ? "n/a" : `${(audit.numericValue / 1000).toFixed(1)} s`);

async function measure(chrome, url, page, cookie) {
  const runs = [];
  for (let run = 0; run < RUNS; run += 1) {
    const result = await lighthouse(url + page.path, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
      extraHeaders: page.signedIn ? { Cookie: cookie } : undefined,
    });
    if (result.lhr.runtimeError) {
      throw new Error(`${page.name}: ${result.lhr.runtimeError.message}`);
    }
    runs.push(result);
  }
  runs.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score);
  const median = runs[Math.floor(runs.length / 2)];
  writeFileSync(join(REPORTS, `${page.path.slice(1)}.report.json`), median.report);
  return median.lhr;
}

function print(page, lhr) {
  const score = (id) => String(Math.round(lhr.categories[id].score * 100)).padStart(4);
  const audits = lhr.audits;
  console.log(
    `${page.name.padEnd(9)} performance ${score("performance")}  accessibility ${score("accessibility")}  ` +
      `best practices ${score("best-practices")}  SEO ${score("seo")}`,
  );
  console.log(
    `          first contentful paint ${seconds(audits["first-contentful-paint"])}, ` +
      `largest contentful paint ${seconds(audits["largest-contentful-paint"])}, ` +
      `time to interactive ${seconds(audits["interactive"])}, ` +
      `total blocking time ${Math.round(audits["total-blocking-time"].numericValue)} ms, ` +
      `layout shift ${audits["cumulative-layout-shift"].numericValue.toFixed(3)}, ` +
      `weight ${Math.round(audits["total-byte-weight"].numericValue / 1024)} KiB`,
  );
  for (const id of CATEGORIES.slice(1)) {
    for (const ref of lhr.categories[id].auditRefs) {
      const audit = audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        console.log(`          ${id}: ${audit.id} — ${audit.title}`);
      }
    }
  }
}

const herald = await startHerald();
let chrome;
try {
  mkdirSync(REPORTS, { recursive: true });
  const cookie = await seed(herald.url);
  chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
  console.log(`Lighthouse ${RUNS === 1 ? "" : `(median of ${RUNS} runs) `}on ${herald.url}, mobile preset`);
  for (const page of PAGES) {
    print(page, await measure(chrome, herald.url, page, cookie));
  }
  console.log(`Reports: ${REPORTS}`);
} finally {
  await chrome?.kill();
  herald.stop();
}
