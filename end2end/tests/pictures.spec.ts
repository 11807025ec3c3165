// Pictures made with AI on the media page, by the sandbox's image model: one per shape, each
// cropped to its network's shape — checked here from the pixel size of the file itself — and
// added to the library.

import { test, expect, open, signUp } from "./fixtures";

test.use({ sandbox: true });

test("pictures for a Facebook Page and an Instagram account come in their shapes", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "making pictures runs through the page's script; without it the card says so");
  await signUp(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await open(page, "/media", javaScriptEnabled);
  await page.getByLabel("Describe the picture").fill("A loaf of sourdough on a wooden table");
  await page.getByLabel("Style").fill("bright photo");
  await expect(page.getByRole("checkbox", { name: "Facebook post (1.91:1)" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Instagram square (1:1)" })).toBeChecked();
  await page.getByRole("checkbox", { name: "Story or Reel (9:16)" }).check();
  await page.getByRole("button", { name: "Make pictures" }).click();

  const made = page.getByRole("list", { name: "Pictures made" });
  await expect(made.getByRole("listitem")).toHaveCount(3, { timeout: 60_000 });
  const shapes: [string, number][] = [
    ["Facebook post (1.91:1)", 1.91],
    ["Instagram square (1:1)", 1],
    ["Story or Reel (9:16)", 9 / 16],
  ];
  for (const [label, ratio] of shapes) {
    const item = made.getByRole("listitem").filter({ hasText: label });
    await expect(item).toContainText("added to the library");
    const href = await item.getByRole("link").getAttribute("href");
    const [width, height] = await page.evaluate(async (url) => {
      const picture = new Image();
      picture.src = url!;
      await picture.decode();
      return [picture.naturalWidth, picture.naturalHeight];
    }, href);
    expect(Math.abs(width / height - ratio) / ratio, `${label}: ${width}×${height}`).toBeLessThan(0.01);
  }
  // In the library, and so offered in the composer.
  await expect(page.getByText("ai-facebook_landscape.png")).toBeVisible();
});
