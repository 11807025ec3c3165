// Connecting Facebook Pages and Instagram accounts, with Herald's sandbox standing in for Meta:
// the login dialog, picking, the list that survives a reload, testing and disconnecting — and
// no token the sandbox issued ever reaching the browser or the logs.

import type { Page, Response } from "@playwright/test";

import { test, expect, open, settled, signUp, checkPage, type Herald } from "./fixtures";

test.use({ sandbox: true });

/// Every body the browser receives, kept to be searched for tokens afterwards.
function recordBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response: Response) => {
    try {
      bodies.push(await response.text());
    } catch {
      // Redirects and aborted loads have no body.
    }
  });
  return bodies;
}

async function issuedTokens(herald: Herald): Promise<string[]> {
  const log = await fetch(`${herald.sandboxUrl}/_sandbox/log`).then((r) => r.json());
  return log.issued_tokens as string[];
}

async function toAccounts(page: Page, javaScriptEnabled: boolean) {
  await signUp(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByRole("heading", { name: "Accounts", level: 1 })).toBeVisible();
}

test("connect Facebook, pick pages, test and disconnect", async ({ page, herald, javaScriptEnabled }) => {
  expect(herald.sandboxUrl).toBeTruthy();
  const bodies = recordBodies(page);
  await toAccounts(page, javaScriptEnabled);
  await expect(page.getByText("Sandbox: the networks here are Herald's own stand-ins.")).toBeVisible();

  await page.getByRole("link", { name: "Connect Facebook" }).click();
  await expect(page.getByText("Sandbox Tester").first()).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { name: "Choose accounts to add", level: 1 })).toBeVisible();
  for (const name of ["Sandbox Page 1", "Sandbox Page 2", "Sandbox Page 3"]) {
    await expect(page.getByRole("checkbox", { name: new RegExp(name) })).toBeChecked();
  }
  await page.getByRole("button", { name: "Add selected accounts" }).click();

  await expect(page.getByRole("status")).toHaveText("4 accounts added.");
  await settled(page, javaScriptEnabled);
  for (const name of ["Sandbox Page 1", "Sandbox Page 2", "Sandbox Page 3"]) {
    await expect(page.getByRole("heading", { name, level: 2 })).toBeVisible();
  }
  await expect(page.getByText("@sandbox.insta")).toBeVisible();
  const avatars = page.locator("img.avatar");
  await expect(avatars).toHaveCount(4);
  // The pictures really load (the page's CSP lets the sandbox's images in).
  await expect
    .poll(() => avatars.first().evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);

  await open(page, "/accounts", javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Sandbox Page 2", level: 2 })).toBeVisible();

  await page.getByRole("button", { name: "Test connection of Sandbox Page 1" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "The connection works: Meta accepted Herald's access.",
  );

  await page.getByRole("link", { name: "Disconnect Sandbox Page 2" }).click();
  await expect(page.getByText("Disconnect Sandbox Page 2? Herald forgets its access")).toBeVisible();
  await page.getByRole("button", { name: "Yes, disconnect" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Account disconnected. Herald no longer holds its access.",
  );
  await expect(page.getByRole("heading", { name: "Sandbox Page 2", level: 2 })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Sandbox Page 1", level: 2 })).toBeVisible();

  const tokens = await issuedTokens(herald);
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) {
    for (const body of bodies) {
      expect(body.includes(token), "a token reached the browser").toBe(false);
    }
    for (const line of herald.logs) {
      expect(line.includes(token), "a token reached the logs").toBe(false);
    }
  }
});

test("cancel at Meta adds nothing", async ({ page, javaScriptEnabled }) => {
  await toAccounts(page, javaScriptEnabled);

  await page.getByRole("link", { name: "Connect Facebook" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();

  await expect(page.getByRole("alert")).toHaveText("Connecting was canceled at Meta. Nothing was added.");
  await expect(page.getByRole("heading", { name: "No accounts connected" })).toBeVisible();
});

test("a replayed login is refused", async ({ page, javaScriptEnabled }) => {
  await toAccounts(page, javaScriptEnabled);
  let callback = "";
  page.on("request", (request) => {
    if (request.url().includes("/oauth/facebook/callback")) callback = request.url();
  });

  await page.getByRole("link", { name: "Connect Facebook" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Choose accounts to add", level: 1 })).toBeVisible();
  expect(callback).not.toBe("");

  await page.goto(callback);

  await expect(page.getByRole("alert")).toContainText("That connection link was already used");
  await expect(page.getByRole("heading", { name: "No accounts connected" })).toBeVisible();
});

test.describe("how the account pages look", () => {
  test.use({ viewport: { width: 375, height: 812 }, bypassCSP: true });
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "axe-core runs in the page");

  test("the pick page and the accounts list have no serious accessibility problem", async ({
    page,
    javaScriptEnabled,
  }, testInfo) => {
    await toAccounts(page, javaScriptEnabled);
    await page.getByRole("link", { name: "Connect Facebook" }).click();
    await checkPage(page, "/sandbox-dialog", testInfo, "375");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: "Choose accounts to add", level: 1 })).toBeVisible();
    await checkPage(page, "/accounts/pick", testInfo, "375");
    await page.getByRole("button", { name: "Add selected accounts" }).click();
    await expect(page.getByRole("status")).toHaveText("4 accounts added.");
    await checkPage(page, "/accounts", testInfo, "375-connected");
  });
});
