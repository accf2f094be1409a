import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

/** The Monitoring settings: the webhook secret is encrypted and bound to its URL. */
let db: typeof import("@/lib/db/client").db;
let repo: typeof import("@/lib/monitor/monitor-settings-repository");
const SECRET = "whsec-0123456789abcdef";

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  ({ db } = await import("@/lib/db/client"));
  repo = await import("@/lib/monitor/monitor-settings-repository");
});

describe("monitoring settings", () => {
  it("stores the secret encrypted; a new URL without the secret typed again is refused (nothing saved)", async () => {
    const url = "https://hooks.example.com/a";
    expect(
      await repo.saveMonitorSettings(
        { intervalMinutes: 10, webhookUrl: url, webhookSecret: SECRET, version: 0 },
        "a@x.test",
      ),
    ).toEqual({
      changed: ["intervalMinutes", "webhookUrl", "webhookSecret"],
      secret: "replaced",
    });
    const row = await db.monitorSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(row.webhookSecretEnc).not.toContain(SECRET);
    expect(await repo.readWebhookTarget()).toEqual({ url, secret: SECRET });

    await expect(
      repo.saveMonitorSettings(
        { intervalMinutes: 10, webhookUrl: "https://elsewhere.example.com/b", webhookSecret: "", version: 1 },
        "a@x.test",
      ),
    ).rejects.toBeInstanceOf(repo.WebhookSecretError);
    expect((await db.monitorSettings.findUniqueOrThrow({ where: { id: 1 } })).webhookUrl).toBe(url);

    // the same URL keeps it
    expect(
      await repo.saveMonitorSettings(
        { intervalMinutes: 20, webhookUrl: url, webhookSecret: "", version: 1 },
        "a@x.test",
      ),
    ).toEqual({
      changed: ["intervalMinutes"],
      secret: "kept",
    });
  });

  it("the ciphertext decrypts only for its URL (a URL changed behind the app's back gets no secret)", async () => {
    await db.monitorSettings.update({ where: { id: 1 }, data: { webhookUrl: "https://attacker.example.com/x" } });
    expect(await repo.readWebhookTarget()).toBeNull();
    await db.monitorSettings.update({ where: { id: 1 }, data: { webhookUrl: "https://hooks.example.com/a" } });
    expect(await repo.readWebhookTarget()).not.toBeNull();
  });

  it("clearing the URL removes the secret; a short secret and a stale version are refused", async () => {
    const v = (await repo.getMonitorSettings()).version;
    await expect(
      repo.saveMonitorSettings(
        { intervalMinutes: 15, webhookUrl: "https://hooks.example.com/a", webhookSecret: "short", version: v },
        "a@x.test",
      ),
    ).rejects.toThrow(/at least 16/);
    await expect(
      repo.saveMonitorSettings({ intervalMinutes: 15, webhookUrl: "", webhookSecret: "", version: v - 1 }, "a@x.test"),
    ).rejects.toThrow(/changed by a@x.test/);
    expect(
      await repo.saveMonitorSettings(
        { intervalMinutes: 15, webhookUrl: "", webhookSecret: "", version: v },
        "a@x.test",
      ),
    ).toMatchObject({
      secret: "removed",
    });
    const row = await db.monitorSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect([row.webhookUrl, row.webhookSecretEnc]).toEqual([null, null]);
  });
});
