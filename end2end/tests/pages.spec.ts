// Every page at a phone and a desktop size: a screenshot kept with the test results, and an
// accessibility check (axe-core, run inside the page) that must find nothing serious.

import { test, expect, open, checkPage, PASSWORD } from "./fixtures";

const PUBLIC_PAGES = ["/sign-in", "/sign-up", "/offline", "/no-such-page"];
const SIGNED_IN_PAGES = ["/posts", "/calendar", "/accounts", "/analytics", "/settings", "/invitations"];

// Both sizes in English; the phone size in French too (French words run longer).
for (const [width, height, locale] of [
  [375, 812, "en-US"],
  [1280, 800, "en-US"],
  [375, 812, "fr-FR"],
] as const) {
  const label = `${width}${locale === "fr-FR" ? "-fr" : ""}`;
  test.describe(`at ${width}×${height} in ${locale}`, () => {
    // bypassCSP lets the test inject axe-core; Herald's own policy would (rightly) block it.
    test.use({ viewport: { width, height }, bypassCSP: true, locale });
    // axe runs as a script in the page, so it needs JavaScript.
    test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "axe-core runs in the page");

    test("every page looks right and has no serious accessibility problem", async ({
      page,
      javaScriptEnabled,
    }, testInfo) => {
      for (const path of PUBLIC_PAGES) {
        await open(page, path, javaScriptEnabled);
        await checkPage(page, path, testInfo, label);
      }
      // Through the API, as the sign-up form's words depend on the language.
      const signedUp = await page.request.post("/api/sign_up", {
        form: { display_name: "Ada Lovelace", email: "ada@example.org", password: PASSWORD },
        headers: { "Accept-Language": locale },
      });
      expect(signedUp.ok()).toBe(true);
      for (const path of SIGNED_IN_PAGES) {
        await open(page, path, javaScriptEnabled);
        await expect(page.locator("html")).toHaveAttribute("lang", locale.slice(0, 2));
        await checkPage(page, path, testInfo, label);
      }
    });
  });
}
