import { test, expect, open, signUp as signUpAs, PASSWORD } from "./fixtures";
import type { Page } from "@playwright/test";

const NEW_PASSWORD = "a brand new passphrase";

async function signUp(page: Page, js: boolean) {
  await signUpAs(page, js, "Ada");
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
}

test("set a time zone", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled);
  await open(page, "/settings", javaScriptEnabled);
  await expect(page.getByRole("combobox", { name: "Time zone" })).toHaveValue("UTC");

  await page.getByRole("combobox", { name: "Time zone" }).fill("Europe/Paris");
  // Typing opens the list of suggestions; leaving the field closes it, as a person would.
  await page.keyboard.press("Tab");
  await page.getByRole("button", { name: "Save time zone" }).click();

  await expect(page.getByRole("status")).toHaveText("Your time zone was saved.");
  await open(page, "/settings", javaScriptEnabled);
  await expect(page.getByRole("combobox", { name: "Time zone" })).toHaveValue("Europe/Paris");
});

test("an unknown time zone is refused with a reason", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled);
  await open(page, "/settings", javaScriptEnabled);

  await page.getByRole("combobox", { name: "Time zone" }).fill("Mars/Olympus");
  // Typing opens the list of suggestions; leaving the field closes it, as a person would.
  await page.keyboard.press("Tab");
  await page.getByRole("button", { name: "Save time zone" }).click();

  await expect(page.getByRole("alert")).toContainText("is not a time zone Herald knows");
});

test("change the password and sign in with the new one", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled);
  await open(page, "/settings", javaScriptEnabled);

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Your password was changed. Your other sessions were signed out.",
  );

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await open(page, "/sign-in", javaScriptEnabled);
  await page.getByLabel("Email").fill("ada@example.org");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match");

  await page.getByLabel("Email").fill("ada@example.org");
  await page.getByLabel("Password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
});

test("rename yourself and see it in the header", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled);
  await open(page, "/settings", javaScriptEnabled);

  await page.getByLabel("Your name").fill("Ada Lovelace");
  await page.getByRole("button", { name: "Save name" }).click();

  await expect(page.getByRole("status")).toHaveText("Your name was saved.");
  await expect(page.getByRole("banner").getByText("Ada Lovelace")).toBeVisible();
});

test("sign out everywhere", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled);
  await open(page, "/settings", javaScriptEnabled);
  await expect(page.getByText("This device")).toBeVisible();

  await page.getByRole("button", { name: "Sign out everywhere" }).click();

  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await open(page, "/posts", javaScriptEnabled);
  await expect(page).toHaveURL(/\/sign-in$/);
});
