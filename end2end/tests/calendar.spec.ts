// Scheduling and the calendar: schedule from the composer, see the post in the month and week
// views, carry it to another day and hour with the mouse, the keyboard and a finger, and find
// the new time still there after a reload; a move the server refuses goes back. Without
// JavaScript, the same is done with forms. The person's zone is UTC (the default), so the
// days below are UTC days.

import type { Locator, Page } from "@playwright/test";

import { test, expect, open, settled, signUpWithSandboxAccounts } from "./fixtures";

test.use({ sandbox: true });

const PAGE = "Sandbox Page 1";

/// `YYYY-MM-DD`, `days` from today (UTC).
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function toStep(page: Page, name: string) {
  const steps = page.getByRole("navigation", { name: "Steps" });
  if (await steps.isVisible()) {
    await steps.getByRole("button", { name }).click();
  }
}

/// Writes a post for the Page and schedules it for `local` from the composer; ends on its page.
async function schedulePost(page: Page, javaScriptEnabled: boolean, text: string, local: string) {
  await open(page, "/compose", javaScriptEnabled);
  await page.getByRole("textbox", { name: "Text", exact: true }).fill(text);
  await toStep(page, "Accounts");
  await page.getByRole("checkbox", { name: new RegExp(PAGE) }).check();
  await toStep(page, "Save");
  const when = page.getByLabel(/Date and time to publish/);
  await expect(when).not.toHaveValue("");
  await when.fill(local);
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(page).toHaveURL(/\/posts\/[0-9a-f-]{36}$/);
  await settled(page, javaScriptEnabled);
  await expect(page.getByText("Scheduled", { exact: true }).first()).toBeVisible();
}

function cell(page: Page, dayKey: string, hour?: number): Locator {
  return hour === undefined
    ? page.locator(`.month-grid [data-day="${dayKey}"]`)
    : page.locator(`.week-grid [data-day="${dayKey}"][data-hour="${hour}"]`);
}

/// Brings the post to the middle of the window, so both it and a nearby cell are in view.
async function centre(entry: Locator) {
  await entry.evaluate((element) => element.scrollIntoView({ block: "center" }));
}

/// Waits until the server holds the post at `local`: the move's answer may still be on its way
/// when the page shows the post at its new place.
async function serverHas(page: Page, text: string, local: string) {
  await expect
    .poll(async () => {
      const data = await page.request.post("/api/calendar", { form: { view: "list", date: day(0) } }).then((r) => r.json());
      return data.entries.find((entry: { text: string }) => entry.text === text)?.local;
    })
    .toBe(local);
}

async function dragWithMouse(page: Page, from: Locator, to: Locator) {
  await centre(from);
  const start = (await from.boundingBox())!;
  const end = (await to.boundingBox())!;
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 12 });
  await page.mouse.up();
}

test("schedule a post, then drag it to another day and another hour; the time holds", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "dragging needs JavaScript; the form path is below");
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  const text = "Bread at nine";
  await schedulePost(page, javaScriptEnabled, text, `${day(1)}T09:00`);
  await expect(page.getByRole("region", { name: "Schedule" })).toContainText("9:00");

  await open(page, `/calendar?view=month&date=${day(1)}`, javaScriptEnabled);
  const entry = page.getByRole("link", { name: new RegExp(text) });
  await expect(cell(page, day(1)).getByRole("link", { name: new RegExp(text) })).toBeVisible();
  await dragWithMouse(page, entry, cell(page, day(3)));
  await expect(cell(page, day(3)).getByRole("link", { name: new RegExp(`09:00 ${text}`) })).toBeVisible();
  await serverHas(page, text, `${day(3)}T09:00`);
  await page.reload();
  await settled(page, javaScriptEnabled);
  await expect(cell(page, day(3)).getByRole("link", { name: new RegExp(`09:00 ${text}`) })).toBeVisible();

  await open(page, `/calendar?view=week&date=${day(3)}`, javaScriptEnabled);
  await expect(cell(page, day(3), 9).getByRole("link", { name: new RegExp(text) })).toBeVisible();
  await dragWithMouse(page, page.getByRole("link", { name: new RegExp(text) }), cell(page, day(3), 14));
  await expect(cell(page, day(3), 14).getByRole("link", { name: new RegExp(`14:00 ${text}`) })).toBeVisible();
  await serverHas(page, text, `${day(3)}T14:00`);
  await page.reload();
  await settled(page, javaScriptEnabled);
  await expect(cell(page, day(3), 14).getByRole("link", { name: new RegExp(`14:00 ${text}`) })).toBeVisible();

  // A click without a drag still opens the post, which shows the new time.
  await page.getByRole("link", { name: new RegExp(text) }).click();
  await expect(page).toHaveURL(/\/posts\//);
  await expect(page.getByLabel(/New date and time/)).toHaveValue(`${day(3)}T14:00`);
});

test("move a post with the keyboard; a move the server refuses goes back", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "carrying needs JavaScript");
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  const text = "Keyboard croissants";
  await schedulePost(page, javaScriptEnabled, text, `${day(2)}T10:30`);

  await open(page, `/calendar?view=month&date=${day(2)}`, javaScriptEnabled);
  await page.getByRole("link", { name: new RegExp(text) }).focus();
  await page.keyboard.press("Space");
  await expect(page.getByRole("status").filter({ hasText: "Picked up" })).toBeAttached();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await expect(cell(page, day(4)).getByRole("link", { name: new RegExp(`10:30 ${text}`) })).toBeVisible();
  await serverHas(page, text, `${day(4)}T10:30`);
  await page.reload();
  await settled(page, javaScriptEnabled);
  await expect(cell(page, day(4)).getByRole("link", { name: new RegExp(text) })).toBeVisible();

  // In the week view the arrows move it by an hour.
  await open(page, `/calendar?view=week&date=${day(4)}`, javaScriptEnabled);
  await page.getByRole("link", { name: new RegExp(text) }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(cell(page, day(4), 12).getByRole("link", { name: new RegExp(`12:30 ${text}`) })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(text) })).toBeFocused();
  await serverHas(page, text, `${day(4)}T12:30`);
  await page.reload();
  await settled(page, javaScriptEnabled);
  await expect(cell(page, day(4), 12).getByRole("link", { name: new RegExp(text) })).toBeVisible();

  // Escape puts it back; a move into the past is refused and undone, with the reason.
  await page.getByRole("link", { name: new RegExp(text) }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Escape");
  await expect(cell(page, day(4), 12).getByRole("link", { name: new RegExp(text) })).toBeVisible();
  await open(page, `/calendar?view=month&date=${day(4)}`, javaScriptEnabled);
  await page.getByRole("link", { name: new RegExp(text) }).focus();
  await page.keyboard.press("Space");
  for (let n = 0; n < 6; n++) await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toContainText("That time has already passed");
  await expect(cell(page, day(4)).getByRole("link", { name: new RegExp(text) })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("hold a post with a finger and drag it to another day", async ({ page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "carrying needs JavaScript");
    await signUpWithSandboxAccounts(page, javaScriptEnabled);
    const text = "Touch baguette";
    await schedulePost(page, javaScriptEnabled, text, `${day(1)}T08:00`);
    await open(page, `/calendar?view=month&date=${day(1)}`, javaScriptEnabled);

    const entry = page.getByRole("link", { name: new RegExp(text) });
    await centre(entry);
    const from = (await entry.boundingBox())!;
    const to = (await cell(page, day(2)).boundingBox())!;
    const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    const end = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
    const touch = await page.context().newCDPSession(page);
    await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [start] });
    // Held still long enough to pick it up, then carried.
    await page.waitForTimeout(700);
    for (let step = 1; step <= 10; step++) {
      const point = { x: start.x + ((end.x - start.x) * step) / 10, y: start.y + ((end.y - start.y) * step) / 10 };
      await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [point] });
    }
    await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });

    await expect(cell(page, day(2)).getByRole("link", { name: new RegExp(`08:00 ${text}`) })).toBeVisible();
    await serverHas(page, text, `${day(2)}T08:00`);
    await page.reload();
    await settled(page, javaScriptEnabled);
    await expect(cell(page, day(2)).getByRole("link", { name: new RegExp(text) })).toBeVisible();
  });
});

test("without JavaScript: schedule, move with the form, see it on the calendar, cancel", async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled, "the plain-form path");
  await signUpWithSandboxAccounts(page, javaScriptEnabled);
  const text = "Plain form pastries";
  await schedulePost(page, javaScriptEnabled, text, `${day(1)}T11:00`);
  const schedule = page.getByRole("region", { name: "Schedule" });
  await schedule.getByLabel(/New date and time/).fill(`${day(5)}T16:15`);
  await schedule.getByRole("button", { name: "Move to this time" }).click();
  await expect(page.getByLabel(/New date and time/)).toHaveValue(`${day(5)}T16:15`);

  await open(page, `/calendar?view=month&date=${day(5)}`, javaScriptEnabled);
  await expect(cell(page, day(5)).getByRole("link", { name: new RegExp(`16:15 ${text}`) })).toBeVisible();
  await open(page, `/calendar?view=week&date=${day(5)}`, javaScriptEnabled);
  await expect(cell(page, day(5), 16).getByRole("link", { name: new RegExp(text) })).toBeVisible();

  // A time already past is refused with the reason, and the post keeps its time.
  await page.getByRole("link", { name: new RegExp(text) }).click();
  await page.getByLabel(/New date and time/).fill(`${day(-1)}T09:00`);
  await page.getByRole("button", { name: "Move to this time" }).click();
  await expect(page.getByRole("alert")).toContainText("That time has already passed");
  await expect(page.getByLabel(/New date and time/)).toHaveValue(`${day(5)}T16:15`);

  await open(page, `/calendar?view=list&date=${day(0)}`, javaScriptEnabled);
  await page.getByRole("button", { name: `Cancel post: ${text}` }).click();
  await open(page, `/posts?status=canceled`, javaScriptEnabled);
  await expect(page.getByRole("link", { name: new RegExp(text) })).toBeVisible();
});
