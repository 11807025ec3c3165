import { test, expect, signUp } from "./fixtures";
const PLACES = ["Posts", "Calendar", "Accounts", "Analytics", "Settings"];

test("every place is reachable from the main navigation and says what comes next", async ({
  page,
  javaScriptEnabled,
}) => {
  await signUp(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Main" });
  for (const place of PLACES) {
    await nav.getByRole("link", { name: place }).click();
    await expect(page.getByRole("heading", { name: place, level: 1 })).toBeVisible();
    await expect(nav.getByRole("link", { name: place })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText("Ada Lovelace")).toBeVisible();
  }
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("the navigation sits at the bottom of the screen", async ({ page, javaScriptEnabled }) => {
    await signUp(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();

    const nav = await page.getByRole("navigation", { name: "Main" }).boundingBox();
    expect(nav).not.toBeNull();
    expect(nav!.y + nav!.height).toBeGreaterThan(812 - 2);
    expect(nav!.width).toBeGreaterThan(370);
  });
});

test.describe("on a wide screen", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("the navigation is a side bar", async ({ page, javaScriptEnabled }) => {
    await signUp(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();

    const nav = await page.getByRole("navigation", { name: "Main" }).boundingBox();
    expect(nav).not.toBeNull();
    expect(nav!.x).toBeLessThan(1);
    expect(nav!.width).toBeLessThan(300);
    expect(nav!.height).toBeGreaterThan(400);
  });
});
