// Analytics in the sandbox: publish a post, make it a day older (the sandbox's control moves
// the networks' figures and Herald's snapshot jobs on together), then read its figures on the
// post's page and on the dashboard — a chart with its table, the best posts — and download the
// posts as CSV, whose row says what the page says. Hydrated and without JavaScript.

import { readFileSync } from "node:fs";

import type { Page } from "@playwright/test";

import { test, expect, open, settled, signUpWithSandboxAccounts, checkPage } from "./fixtures";

// A phone's screen, and axe-core injected into the page (hence bypassCSP).
test.use({ sandbox: true, viewport: { width: 375, height: 812 }, bypassCSP: true });

const PAGE = "Sandbox Page 1";

async function publishText(page: Page, text: string, javaScriptEnabled: boolean) {
  await open(page, "/compose", javaScriptEnabled);
  await page.getByRole("textbox", { name: "Text", exact: true }).fill(text);
  const steps = page.getByRole("navigation", { name: "Steps" });
  if (await steps.isVisible()) {
    await steps.getByRole("button", { name: "Accounts" }).click();
  }
  await page.getByRole("checkbox", { name: new RegExp(PAGE) }).check();
  if (await steps.isVisible()) {
    await steps.getByRole("button", { name: "Save" }).click();
  }
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page).toHaveURL(/\/posts\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("link", { name: "See it on Facebook" })).toBeVisible({ timeout: 30_000 });
  await settled(page, javaScriptEnabled);
}

/// Reloads until `check` passes: the snapshot an ageing makes due is taken a moment later.
async function eventually(page: Page, javaScriptEnabled: boolean, check: () => Promise<void>) {
  for (let attempt = 0; ; attempt++) {
    try {
      await check();
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      await page.waitForTimeout(500);
      await page.reload();
      await settled(page, javaScriptEnabled);
    }
  }
}

/// The CSV's rows as objects by heading (no quoted commas in what this test writes).
function rows(csv: string): Record<string, string>[] {
  const [heading, ...lines] = csv.trim().split("\n");
  const names = heading.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [names[i], cell])));
}

test("a published post's figures grow, and the dashboard and its CSV show them", async ({ page, javaScriptEnabled }, testInfo) => {
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  const text = "Counted by Herald";
  await publishText(page, text, javaScriptEnabled);

  const figures = page.getByRole("region", { name: "Figures" });
  await expect(figures).toContainText("No figures yet");
  await figures.getByRole("button", { name: "1 day older" }).click();
  await settled(page, javaScriptEnabled);
  await eventually(page, javaScriptEnabled, async () => {
    await expect(page.getByRole("region", { name: "Figures" }).getByText("Reach", { exact: true }).first()).toBeVisible({
      timeout: 3_000,
    });
  });
  const account = page.getByRole("article", { name: new RegExp(PAGE) });
  await expect(account.getByRole("img", { name: new RegExp(`How the figures of ${PAGE} grew`) })).toBeVisible();
  await account.getByText("Show as a table").click();
  const snapshots = account.getByRole("table", { name: /Every snapshot Herald took/ });
  await expect(snapshots.getByRole("row")).toHaveCount(2);
  // The first column is when the snapshot was taken (a row header); then one per metric.
  const headers = await snapshots.getByRole("columnheader").allInnerTexts();
  const reachColumn = headers.indexOf("Reach") - 1;
  expect(reachColumn, headers.join(" | ")).toBeGreaterThanOrEqual(0);
  const reach = await snapshots.getByRole("row").nth(1).getByRole("cell").nth(reachColumn).innerText();
  expect(Number(reach)).toBeGreaterThan(0);

  await open(page, "/analytics", javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  const best = page.getByRole("table", { name: /Posts by engagement rate/ });
  await expect(best.getByRole("link", { name: text })).toBeVisible();
  const bestRow = best.getByRole("row").filter({ hasText: text });
  const reached = await bestRow.getByRole("cell").nth(4).innerText();
  await expect(page.getByRole("img", { name: "Followers" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Posts per day" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Best time to post" })).toContainText("Not enough posts to suggest a time");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download posts (CSV)" }).click(),
  ]);
  const csv = rows(readFileSync((await download.path())!, "utf8"));
  const row = csv.find((r) => r.text === text)!;
  expect(row, JSON.stringify(csv)).toBeDefined();
  expect(row.account).toBe(PAGE);
  expect(row.network).toBe("facebook");
  expect(row.reach).toBe(reached);
  expect(row.views).toBe("");

  // The range and the account are a plain form: the address says what is shown.
  await page.getByLabel("Range").selectOption({ label: "Last 7 days" });
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(/range=7/);
  await settled(page, javaScriptEnabled);
  await expect(page.getByRole("table", { name: /Posts by engagement rate/ }).getByRole("link", { name: text })).toBeVisible();
  if (javaScriptEnabled) {
    await checkPage(page, "/analytics", testInfo, "phone");
  }
});

test("a custom range that runs backwards says so", async ({ page, javaScriptEnabled }) => {
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  await open(page, "/analytics?range=custom&from=2026-03-01&to=2026-02-01", javaScriptEnabled);
  await expect(page.getByRole("alert")).toContainText("Choose a first and a last day");
});
