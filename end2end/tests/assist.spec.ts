// AI assist in the composer, against the sandbox's OpenAI-compatible endpoint: a proposal
// streams into the preview beside the original, Publish waits while it is open, "Modify
// again" applies a new instruction to it, Confirm replaces the text, Cancel leaves it as it
// was — and a reload shows what was kept. Without JavaScript the same works through plain
// forms. Without AI set up, the panel says how to set it up.

import type { Page } from "@playwright/test";

import { test, expect, open, settled, signUp } from "./fixtures";

const TEXT = "Our bakery opens on Monday. Come and taste the sourdough!";

/// Slows the sandbox model so the test sees the proposal arrive piece by piece.
async function pace(page: Page, sandboxUrl: string, millis: number) {
  const response = await page.request.post(`${sandboxUrl}/openai/_sandbox/pace`, { data: { millis } });
  expect(response.ok()).toBe(true);
}

test.describe("with the sandbox's AI", () => {
  test.use({ sandbox: true });

  test("rephrase, modify again, confirm; rephrase again, cancel", async ({ page, herald, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "the plain-form path is below");
    await signUp(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
    await open(page, "/compose", javaScriptEnabled);
    const text = page.getByRole("textbox", { name: "Text", exact: true });
    await text.fill(TEXT);
    const publish = page.getByRole("button", { name: "Publish", exact: true });
    const proposal = page.getByRole("region", { name: "Proposal", exact: true });

    await pace(page, herald.sandboxUrl!, 250);
    await page.getByRole("button", { name: "Shorter" }).click();
    // Streaming: part of the answer shows while the rest is still coming.
    await expect(proposal).toHaveAttribute("aria-busy", "true");
    await expect(proposal).toContainText("Our bakery");
    await expect(proposal).toHaveAttribute("aria-busy", "true");
    await expect(publish).toBeDisabled();
    await expect(proposal).toHaveAttribute("aria-busy", "false", { timeout: 20_000 });
    await expect(proposal).toHaveText(/Our bakery opens on Monday\.$/);
    await expect(page.getByRole("region", { name: "Original", exact: true })).toContainText(TEXT);
    await expect(publish).toBeDisabled();
    await expect(text).toHaveValue(TEXT);

    await pace(page, herald.sandboxUrl!, 40);
    await page.getByLabel("New instruction for the proposal").fill("add emojis");
    await page.getByRole("button", { name: "Modify again" }).click();
    await expect(proposal).toContainText("🎉✨", { timeout: 20_000 });
    await expect(proposal).toHaveAttribute("aria-busy", "false");
    // The words the proposal added are marked.
    await expect(proposal.locator("ins")).toContainText("🎉✨");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(text).toHaveValue("Our bakery opens on Monday. 🎉✨");
    await expect(proposal).toHaveCount(0);
    await expect(publish).toBeEnabled();

    await page.getByRole("button", { name: "Friendlier" }).click();
    await expect(proposal).toContainText("Hey there!", { timeout: 20_000 });
    await expect(proposal).toHaveAttribute("aria-busy", "false");
    await expect(publish).toBeDisabled();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect(proposal).toHaveCount(0);
    await expect(text).toHaveValue("Our bakery opens on Monday. 🎉✨");
    await expect(publish).toBeEnabled();

    // Kept: the confirmed text, and every proposal with what became of it.
    await page.reload();
    await settled(page, javaScriptEnabled);
    await expect(text).toHaveValue("Our bakery opens on Monday. 🎉✨");
    const history = page.getByText("Proposals for this post (3)");
    await history.click();
    await expect(page.getByText(/Friendlier · cancelled/)).toBeVisible();
    await expect(page.getByText(/“add emojis” · confirmed/)).toBeVisible();
    await expect(page.getByText(/Shorter · modified again/)).toBeVisible();
  });

  test("the same with plain forms, without JavaScript", async ({ page, javaScriptEnabled }) => {
    test.skip(javaScriptEnabled, "the hydrated path is above");
    await signUp(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
    await open(page, "/compose", javaScriptEnabled);
    const text = page.getByRole("textbox", { name: "Text", exact: true });
    await text.fill(TEXT);
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page).toHaveURL(/\/compose\/[0-9a-f-]{36}/);
    const proposal = page.getByRole("region", { name: "Proposal", exact: true });
    const publish = page.getByRole("button", { name: "Publish", exact: true });

    await page.getByRole("button", { name: "Shorter" }).click();
    await expect(proposal).toHaveText(/Our bakery opens on Monday\.$/);
    await expect(publish).toBeDisabled();
    await expect(text).toHaveValue(TEXT);
    await page.getByLabel("New instruction for the proposal").fill("add emojis");
    await page.getByRole("button", { name: "Modify again" }).click();
    await expect(proposal).toContainText("🎉✨");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(text).toHaveValue("Our bakery opens on Monday. 🎉✨");
    await expect(publish).toBeEnabled();

    await page.getByRole("button", { name: "Friendlier" }).click();
    await expect(proposal).toContainText("Hey there!");
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect(proposal).toHaveCount(0);
    await expect(text).toHaveValue("Our bakery opens on Monday. 🎉✨");
  });
});

test("without AI set up, the composer says how to set it up", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await open(page, "/compose", javaScriptEnabled);
  const panel = page.getByRole("region", { name: "AI assist" });
  await expect(panel).toContainText("AI assist is off on this Herald");
  await expect(panel).toContainText("HERALD_AI_BASE_URL");
  await expect(panel.getByRole("button")).toHaveCount(0);
});
