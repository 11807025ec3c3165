// Publishing for real (to Herald's sandbox standing in for Meta): one post with two pictures
// for a Facebook Page and an Instagram account, published with the background worker, each
// account's link shown when done, and exactly one post on each sandbox feed — a second press
// of Publish changes nothing.

import type { Page } from "@playwright/test";

import { test, expect, open, signUpWithSandboxAccounts } from "./fixtures";

test.use({ sandbox: true });

const PAGE = "Sandbox Page 1";
const INSTAGRAM = "Sandbox Insta";

/// A JPEG made by the browser's canvas, 1080×1350 unless told (a shape both networks take as it is).
async function picture(page: Page, colour: string, width = 1080, height = 1350) {
  const dataUrl = await page.evaluate(
    ([c, w, h]) => {
      const canvas = document.createElement("canvas");
      canvas.width = w;
      canvas.height = h;
      const context = canvas.getContext("2d")!;
      context.fillStyle = c;
      context.fillRect(0, 0, w, h);
      return canvas.toDataURL("image/jpeg", 0.9);
    },
    [colour, width, height] as const,
  );
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

/// A one-pixel PNG for the page without JavaScript (no canvas to draw with there).
const PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

type Published = { network: string; account_id: string; kind: string; text: string; permalink: string };

async function sandboxPosts(page: Page, sandboxUrl: string): Promise<Published[]> {
  const response = await page.request.get(`${sandboxUrl}/_sandbox/published`);
  expect(response.ok()).toBe(true);
  return response.json();
}

async function toStep(page: Page, name: string) {
  const steps = page.getByRole("navigation", { name: "Steps" });
  if (await steps.isVisible()) {
    await steps.getByRole("button", { name }).click();
  }
}

test("publish one post to a Page and an Instagram account, once", async ({ page, herald, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "uploading from the composer needs JavaScript; the plain-form path is below");
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  await open(page, "/compose", javaScriptEnabled);
  const text = "Two loaves, one oven, published by Herald.";
  await page.getByRole("textbox", { name: "Text", exact: true }).fill(text);
  await toStep(page, "Accounts");
  await page.getByRole("checkbox", { name: new RegExp(PAGE) }).check();
  await page.getByRole("checkbox", { name: new RegExp(INSTAGRAM) }).check();
  await toStep(page, "Media and preview");
  await page.getByLabel("Upload pictures or videos").setInputFiles([
    { name: "red.jpg", mimeType: "image/jpeg", buffer: await picture(page, "#c0392b") },
    { name: "blue.jpg", mimeType: "image/jpeg", buffer: await picture(page, "#2e86c1") },
  ]);
  await expect(page.getByRole("list", { name: "Chosen media, in order" }).getByRole("listitem")).toHaveCount(2);
  await toStep(page, "Save");
  // Two quick presses: the first saves and publishes, the second finds the button waiting.
  await page.getByRole("button", { name: "Publish", exact: true }).dblclick();

  await expect(page).toHaveURL(/\/posts\/[0-9a-f-]{36}$/);
  const results = page.getByRole("region", { name: "On each account" });
  await expect(results.getByRole("link", { name: "See it on Facebook" })).toBeVisible({ timeout: 30_000 });
  await expect(results.getByRole("link", { name: "See it on Instagram" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Published", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("table", { name: /Every call Herald made/ })).toContainText("Publish");

  const id = new URL(page.url()).pathname.split("/").pop()!;
  const posts = (await sandboxPosts(page, herald.sandboxUrl!)).filter((post) => post.text === text);
  expect(posts.map((post) => post.network).sort()).toEqual(["facebook", "instagram"]);

  // Publishing again — another press, another tab — changes nothing.
  const post = await page.request.post("/api/get_post", { form: { id } }).then((r) => r.json());
  const again = await page.request.post("/api/publish_post", { form: { id, revision: String(post.revision) } });
  expect(again.ok()).toBe(true);
  await page.waitForTimeout(1_000);
  expect((await sandboxPosts(page, herald.sandboxUrl!)).filter((p) => p.text === text)).toHaveLength(2);

  // The live posts open: the sandbox serves them at their permalinks.
  const instagram = posts.find((p) => p.network === "instagram")!;
  await expect(results.getByRole("link", { name: "See it on Instagram" })).toHaveAttribute("href", instagram.permalink);

  // The sandbox's feed page, linked from Accounts, lists each account's one post.
  await open(page, "/accounts", javaScriptEnabled);
  const feeds = page.getByRole("link", { name: "See what the sandbox networks received" });
  await expect(feeds).toHaveAttribute("href", `${herald.sandboxUrl}/_sandbox/feed`);
  await page.goto(`${herald.sandboxUrl}/_sandbox/feed`);
  await expect(page.getByText(text)).toHaveCount(2);
});

test("without JavaScript: publish from the plain form and watch it finish", async ({ page, herald, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled, "the plain-form path");
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  await open(page, "/media", javaScriptEnabled);
  await page.getByLabel("Picture or video").setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: PIXEL_PNG });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "File uploaded." })).toBeVisible();

  await open(page, "/compose", javaScriptEnabled);
  const text = "Published without JavaScript.";
  await page.getByRole("textbox", { name: "Text", exact: true }).fill(text);
  await page.getByRole("checkbox", { name: new RegExp(PAGE) }).check();
  await page.getByText("Add from the media library").click();
  await page.getByRole("checkbox", { name: "Add pixel.png" }).check();
  await page.getByRole("button", { name: "Publish", exact: true }).click();

  await expect(page).toHaveURL(/\/posts\/[0-9a-f-]{36}$/);
  // The page refreshes itself while publishing is under way.
  await expect(page.getByRole("link", { name: "See it on Facebook" })).toBeVisible({ timeout: 30_000 });
  const posts = (await sandboxPosts(page, herald.sandboxUrl!)).filter((post) => post.text === text);
  expect(posts).toHaveLength(1);
  expect(posts[0].network).toBe("facebook");
});

test("post a tall picture as an Instagram Story", async ({ page, herald, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "uploading from the composer needs JavaScript");
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  await open(page, "/compose", javaScriptEnabled);
  const text = "Tonight only: the late bake.";
  await page.getByRole("textbox", { name: "Text", exact: true }).fill(text);
  await toStep(page, "Accounts");
  await page.getByRole("checkbox", { name: new RegExp(INSTAGRAM) }).check();
  const where = page.getByRole("group", { name: `Where ${INSTAGRAM} shows it` });
  await expect(where.getByRole("radio", { name: "Feed" })).toBeChecked();
  await where.getByRole("radio", { name: "Story (24 hours)" }).check();
  await expect(page.getByText("A Story shows no caption")).toBeVisible();
  await toStep(page, "Media and preview");
  await page.getByLabel("Upload pictures or videos").setInputFiles([
    { name: "tall.jpg", mimeType: "image/jpeg", buffer: await picture(page, "#8e44ad", 1080, 1920) },
  ]);
  await expect(page.getByRole("list", { name: "Chosen media, in order" }).getByRole("listitem")).toHaveCount(1);
  await toStep(page, "Save");
  await page.getByRole("button", { name: "Publish", exact: true }).click();

  await expect(page).toHaveURL(/\/posts\/[0-9a-f-]{36}$/);
  const results = page.getByRole("region", { name: "On each account" });
  await expect(results.getByText("Published", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(results).toContainText("Story (24 hours)");
  const stories = (await sandboxPosts(page, herald.sandboxUrl!)).filter((post) => post.kind === "story");
  expect(stories).toHaveLength(1);
  expect(stories[0].text).toBe("");
});
