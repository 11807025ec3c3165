import { defineConfig } from "@playwright/test";

// Debian's Chromium: browsers are never downloaded (there is no internet here, and a pinned
// download would differ from what people run).
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // Each test starts its own Herald; two cores run two at a time comfortably.
  workers: 2,
  forbidOnly: !!process.env.CI,
  // No retries: a test that fails once is a failure to look at, not to hide.
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    headless: true,
    // English unless a spec asks for another language, whatever the machine is set to.
    locale: "en-US",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // Every spec runs twice: with the WASM app hydrated, and as plain HTML forms.
  projects: [
    { name: "hydrated", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
});
