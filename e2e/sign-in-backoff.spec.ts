import https from "node:https";
import { expect, test } from "./support/csp-fixture";
import { createTestAdmin, forgetAddressLimits, withAppDb } from "./support/admin-accounts";
import { APP_URL, STACK } from "./support/stack-config";

/**
 * Per-account backoff, besides the per-address limit: each attempt comes from another loopback address
 * (127.0.0.x), so only the per-account count can refuse it. An unknown account answers exactly like a
 * known one. The wait is then moved into the past in the database (the server's clock is never touched).
 */
test.use({ storageState: { cookies: [], origins: [] } });

type Answer = { status: number; body: string; ms: number };
let source = 20;

function signInFrom(email: string, password: string): Promise<Answer> {
  source++;
  const body = JSON.stringify({ email, password });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: STACK.appPort,
        localAddress: `127.0.0.${source}`,
        method: "POST",
        path: "/api/auth/sign-in/email",
        headers: {
          host: `localhost:${STACK.appPort}`,
          origin: APP_URL,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "backoff-spec",
        },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const shape = (a: Answer) => ({ status: a.status, body: a.body });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("after 5 failures the right password waits too, and an unknown account answers the same", async ({ page }) => {
  const admin = createTestAdmin("backoff");
  const unknown = `nobody-${Date.now().toString(36)}@contoso.test`;

  const first = await signInFrom(admin.email, "wrong-password-0");
  expect(first.status).toBe(401);
  const knownTimes: number[] = [];
  const unknownTimes: number[] = [];
  for (let i = 1; i <= 5; i++) {
    const known = await signInFrom(admin.email, `wrong-password-${i}`);
    const other = await signInFrom(unknown, `wrong-password-${i}`);
    expect(shape(known)).toEqual(shape(first));
    expect(shape(other)).toEqual(shape(first));
    knownTimes.push(known.ms);
    unknownTimes.push(other.ms);
  }
  // Waiting now: the right password gets the wrong password's answer, and so does the unknown account.
  const blockedKnown: number[] = [];
  const blockedUnknown: number[] = [];
  for (let i = 0; i < 3; i++) {
    const known = await signInFrom(admin.email, admin.password);
    const other = await signInFrom(unknown, admin.password);
    expect(shape(known)).toEqual(shape(first));
    expect(shape(other)).toEqual(shape(first));
    blockedKnown.push(known.ms);
    blockedUnknown.push(other.ms);
  }
  // Similar timing: the refusal during a wait hashes the password as a real check does (generous bounds: 2 cores).
  expect(median(blockedKnown)).toBeGreaterThan(median(knownTimes) / 4);
  expect(Math.abs(median(blockedKnown) - median(blockedUnknown))).toBeLessThan(Math.max(250, median(knownTimes)));

  // The browser form says the same as for a wrong password.
  forgetAddressLimits();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();

  // Never permanent: once the wait is over (moved 15 minutes back), the right password signs in.
  withAppDb((db) => {
    const rows = db.prepare(`SELECT rowid AS id, "lastFailureAt" AS at FROM "SignInBackoff"`).all() as {
      id: number;
      at: unknown;
    }[];
    for (const row of rows) {
      const ms = new Date(typeof row.at === "number" ? row.at : String(row.at)).getTime() - 15 * 60_000;
      db.prepare(`UPDATE "SignInBackoff" SET "lastFailureAt" = ? WHERE rowid = ?`).run(
        typeof row.at === "number" ? ms : new Date(ms).toISOString(),
        row.id,
      );
    }
  });
  const ok = await signInFrom(admin.email, admin.password);
  expect(ok.status).toBe(200);

  // The audit trail names the account, the address and the browser of each failure and refusal.
  forgetAddressLimits();
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings/);
  await page.goto("/settings/audit?event=auth.sign_in_throttled");
  const refused = page
    .getByTestId("audit-table")
    .getByRole("row")
    .filter({ hasText: "Sign-in refused: too many attempts" });
  await expect(
    refused
      .filter({ hasText: `Account: ${admin.email}` })
      .filter({ hasText: /From address: (::ffff:)?127\.0\.0\.\d+/ }),
  ).not.toHaveCount(0);
  await expect(
    refused.filter({ hasText: `Account: ${unknown}` }).filter({ hasText: "Browser: backoff-spec" }),
  ).not.toHaveCount(0);
  await page.goto("/settings/audit?event=auth.sign_in_failed");
  const failed = page
    .getByTestId("audit-table")
    .getByRole("row")
    .filter({ hasText: `Account: ${unknown}` });
  await expect(failed).toHaveCount(5);
});
