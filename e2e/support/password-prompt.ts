import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { E2E_ADMIN, STACK } from "./stack-config";

/** The password prompt (changes of where secrets go and Disconnect, 5 minutes after the last confirmation). */
export const passwordPrompt = (page: Page) => page.getByRole("dialog", { name: "Confirm your password" });

/**
 * For specs that are not about the prompt: whenever it appears (the suite runs longer than the
 * 5-minute window), confirm with the admin's password and carry on.
 */
export async function confirmPasswordWhenAsked(page: Page): Promise<void> {
  await page.addLocatorHandler(passwordPrompt(page), async (dialog) => {
    await dialog.getByLabel("Your password").fill(E2E_ADMIN.password);
    await dialog.getByRole("button", { name: "Confirm" }).click();
  });
}

/** Moves every session's sign-in and password confirmation `minutes` into the past (the app's database). */
export function ageConfirmations(minutes: number): void {
  const db = new Database(path.join(STACK.appDataDir, "mail-connect.db"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const shift = (value: unknown) => {
      const at = new Date(typeof value === "number" ? value : String(value)).getTime() - minutes * 60_000;
      return typeof value === "number" ? at : new Date(at).toISOString();
    };
    for (const [table, column] of [
      ["session", "createdAt"],
      ["PasswordConfirmation", "confirmedAt"],
    ] as const) {
      const rows = db.prepare(`SELECT rowid AS id, "${column}" AS at FROM "${table}"`).all() as {
        id: number;
        at: unknown;
      }[];
      const update = db.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE rowid = ?`);
      for (const row of rows) update.run(shift(row.at), row.id);
    }
  } finally {
    db.close();
  }
}
