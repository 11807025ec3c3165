// English and French: Herald starts in the browser's language, and the choice made in
// Settings sticks — across reloads, sign-outs and sign-ins.

import { test, expect, open, settled, signUp, PASSWORD } from "./fixtures";
import type { Page } from "@playwright/test";

const FRENCH_PLACES = ["Publications", "Calendrier", "Comptes", "Statistiques", "Réglages"];
const ENGLISH_PLACES = ["Posts", "Calendar", "Accounts", "Analytics", "Settings"];

async function expectLanguage(page: Page, lang: "en" | "fr") {
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

async function visitEveryPlace(page: Page, places: string[], navName: string, lang: "en" | "fr") {
  const nav = page.getByRole("navigation", { name: navName });
  for (const place of places) {
    await nav.getByRole("link", { name: place }).click();
    await expect(page.getByRole("heading", { name: place, level: 1 })).toBeVisible();
    await expectLanguage(page, lang);
  }
}

test.describe("with a French browser", () => {
  test.use({ locale: "fr-FR" });

  test("every page speaks French", async ({ page, javaScriptEnabled }) => {
    await open(page, "/sign-up", javaScriptEnabled);
    await expectLanguage(page, "fr");
    await expect(page.getByRole("heading", { name: "Créer un compte", level: 1 })).toBeVisible();
    await page.getByLabel("Votre nom").fill("Ada Lovelace");
    await page.getByLabel("E-mail").fill("ada@example.org");
    await page.getByLabel("Mot de passe").fill("court");
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await expect(page.getByRole("alert")).toHaveText(
      "Choisissez un mot de passe d’au moins 10 caractères.",
    );

    await page.getByLabel("Votre nom").fill("Ada Lovelace");
    await page.getByLabel("E-mail").fill("ada@example.org");
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await expect(page.getByRole("heading", { name: "Publications", level: 1 })).toBeVisible();

    await visitEveryPlace(page, FRENCH_PLACES, "Principale", "fr");
    await expect(page.getByText("Cet appareil")).toBeVisible();
    await expect(page.getByText(/Connecté le \d{1,2} [a-zéû.]+ \d{4}, \d{2}:\d{2}/)).toBeVisible();

    await page.getByRole("link", { name: "Inviter des personnes" }).click();
    await expect(page.getByRole("heading", { name: "Invitations", level: 1 })).toBeVisible();
    await page.getByRole("button", { name: "Créer un lien d’invitation" }).click();
    await expect(page.getByRole("columnheader", { name: "Expire" })).toBeVisible();

    await open(page, "/nulle-part", javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "Page introuvable" })).toBeVisible();
    await open(page, "/offline", javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "Vous êtes hors ligne" })).toBeVisible();

    await open(page, "/posts", javaScriptEnabled);
    await page.getByRole("button", { name: "Se déconnecter", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Connexion", level: 1 })).toBeVisible();
    await page.getByLabel("E-mail").fill("ada@example.org");
    await page.getByLabel("Mot de passe").fill("pas le bon mot de passe");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page.getByRole("alert")).toContainText("ne correspondent à aucun compte");
    await expectLanguage(page, "fr");
  });
});

test("switch the language in Settings, and it sticks", async ({ page, javaScriptEnabled }) => {
  await signUp(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await expectLanguage(page, "en");
  await open(page, "/settings", javaScriptEnabled);

  await page.getByRole("combobox", { name: "Language" }).selectOption({ label: "Français" });
  await page.getByRole("button", { name: "Save language" }).click();

  await expect(page.getByRole("status")).toHaveText("Votre langue a été enregistrée.");
  await expect(page.getByRole("heading", { name: "Réglages", level: 1 })).toBeVisible();
  await expectLanguage(page, "fr");
  await settled(page, javaScriptEnabled);
  await visitEveryPlace(page, FRENCH_PLACES, "Principale", "fr");

  // Still French after signing out and in again (the browser itself asks for English).
  await page.getByRole("button", { name: "Se déconnecter", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Connexion", level: 1 })).toBeVisible();
  await page.getByLabel("E-mail").fill("ada@example.org");
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: "Publications", level: 1 })).toBeVisible();
  await settled(page, javaScriptEnabled);

  // And back to English.
  await open(page, "/settings", javaScriptEnabled);
  await expect(page.getByRole("combobox", { name: "Langue" })).toHaveValue("fr");
  await page.getByRole("combobox", { name: "Langue" }).selectOption({ label: "English" });
  await page.getByRole("button", { name: "Enregistrer la langue" }).click();
  await expect(page.getByRole("status")).toHaveText("Your language was saved.");
  await settled(page, javaScriptEnabled);
  await visitEveryPlace(page, ENGLISH_PLACES, "Main", "en");
});

test("a person who chose French gets it on a new browser as soon as they sign in", async ({
  page,
  browser,
  javaScriptEnabled,
}) => {
  await signUp(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { name: "Posts", level: 1 })).toBeVisible();
  await open(page, "/settings", javaScriptEnabled);
  await page.getByRole("combobox", { name: "Language" }).selectOption({ label: "Français" });
  await page.getByRole("button", { name: "Save language" }).click();
  await expect(page.getByRole("status")).toHaveText("Votre langue a été enregistrée.");

  const phone = await browser.newContext({ locale: "en-GB", javaScriptEnabled, baseURL: page.url() });
  const phonePage = await phone.newPage();
  await open(phonePage, "/sign-in", javaScriptEnabled);
  await expectLanguage(phonePage, "en");
  await phonePage.getByLabel("Email").fill("ada@example.org");
  await phonePage.getByLabel("Password").fill(PASSWORD);
  await phonePage.getByRole("button", { name: "Sign in" }).click();
  await expect(phonePage.getByRole("heading", { name: "Publications", level: 1 })).toBeVisible();
  await expectLanguage(phonePage, "fr");
  await phone.close();
});
