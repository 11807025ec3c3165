import { test, expect, open, signUp, PASSWORD } from "./fixtures";
import type { Page } from "@playwright/test";

async function signIn(page: Page, js: boolean, email: string, password: string) {
  await open(page, "/sign-in", js);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("sign up, sign out and sign in again", async ({ page, javaScriptEnabled, herald }) => {
  await open(page, "/sign-up", javaScriptEnabled);
  await expect(page.getByText("You are the first person here")).toBeVisible();

  await signUp(page, javaScriptEnabled, "Ada Lovelace", "ada@example.org");
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await expect(page.getByText("Ada Lovelace")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await open(page, "/", javaScriptEnabled);
  await expect(page).toHaveURL(/\/sign-in$/);

  await signIn(page, javaScriptEnabled, "ada@example.org", PASSWORD);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();

  // Neither the password nor the session token ever reaches the server's log.
  const session = (await page.context().cookies()).find((c) => c.name === "herald_session");
  expect(session?.httpOnly).toBe(true);
  const logs = herald.logs.join("\n");
  expect(logs).toContain("account created");
  expect(logs).not.toContain(PASSWORD);
  expect(logs).not.toContain(session!.value);
});

test("a second person is refused when sign-up is by invitation", async ({ page, browser, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled, "Ada", "ada@example.org");
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();

  const stranger = await browser.newContext({ javaScriptEnabled, baseURL: page.url() });
  const strangerPage = await stranger.newPage();
  await open(strangerPage, "/sign-up", javaScriptEnabled);
  await expect(strangerPage.getByText("This Herald is invite-only.")).toBeVisible();
  await expect(strangerPage.getByRole("button", { name: "Create account" })).toHaveCount(0);
  await stranger.close();
});

test("an invitation link lets a second person in", async ({ page, browser, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled, "Ada", "ada@example.org");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Invite people" }).click();
  await page.getByRole("button", { name: "Make an invitation link" }).click();
  const link = await page.getByLabel(/New invitation link/).inputValue();
  expect(link).toContain("/sign-up?invite=");

  const guest = await browser.newContext({ javaScriptEnabled });
  const guestPage = await guest.newPage();
  await open(guestPage, link, javaScriptEnabled);
  await expect(guestPage.getByText("Your invitation is valid.")).toBeVisible();
  await guestPage.getByLabel("Your name").fill("Bob");
  await guestPage.getByLabel("Email").fill("bob@example.org");
  await guestPage.getByLabel("Password").fill(PASSWORD);
  await guestPage.getByRole("button", { name: "Create account" }).click();
  await expect(guestPage.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await expect(guestPage.getByText("Bob", { exact: true })).toBeVisible();
  await open(guestPage, "/settings", javaScriptEnabled);
  await expect(guestPage.getByRole("link", { name: "Invite people" })).toHaveCount(0);
  await guest.close();
});

test("a wrong password is refused with a message that does not say which part was wrong", async ({
  page,
  javaScriptEnabled,
}) => {
  await signUp(page, javaScriptEnabled, "Ada", "ada@example.org");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await signIn(page, javaScriptEnabled, "ada@example.org", "not my password");
  await expect(page.getByRole("alert")).toHaveText(
    "That email and password do not match an account here. Check both and try again.",
  );
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("a short password is refused with the rule", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled, "Ada", "ada@example.org", "short");
  await expect(page.getByRole("alert")).toHaveText("Use a password of at least 10 characters.");
  await open(page, "/", javaScriptEnabled);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test.describe("with open sign-up", () => {
  test.use({ signup: "open" });

  test("a duplicate sign-up is refused", async ({ page, browser, javaScriptEnabled }) => {
    await signUp(page, javaScriptEnabled, "Ada", "ada@example.org");
    await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();

    const other = await browser.newContext({ javaScriptEnabled, baseURL: new URL(page.url()).origin });
    const otherPage = await other.newPage();
    await signUp(otherPage, javaScriptEnabled, "Another Ada", "ADA@example.org");
    await expect(otherPage.getByRole("alert")).toHaveText(
      "An account with this email already exists. Sign in instead.",
    );
    await other.close();
  });
});
