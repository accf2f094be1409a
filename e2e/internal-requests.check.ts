import { existsSync, readFileSync } from "node:fs";
import { expect, test } from "./support/csp-fixture";
import { TRAP_LOG, TRAP_STATUS } from "./support/port-3000-trap";
import { APP_LOG_FILE, APP_URL, E2E_ADMIN, STACK } from "./support/stack-config";

/**
 * Issue 11, item 13, after the whole browser suite ("app" project): the listener the stack keeps on
 * port 3000 received nothing from this app (Next.js used to fetch http://127.0.0.1:3000/sign-in on every
 * sign-out and to forward misrouted actions there, with the admin's cookies), and signing out logs no error.
 */
test("no request of this app reached port 3000 during the suite; sign-out logs no error", async ({ browser }) => {
  const status = JSON.parse(readFileSync(TRAP_STATUS, "utf8")) as { listening: string[]; problems: string[] };
  expect(status.listening, `the port-3000 listener could not listen: ${status.problems.join(", ")}`).toContain(
    "127.0.0.1",
  );

  // One more sign-in and sign-out (the request that went to port 3000), and a misrouted action.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings\//);
  const logBefore = readFileSync(APP_LOG_FILE, "utf8").length;
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in to Mail Connect" })).toBeVisible();
  await context.close();
  await new Promise((r) => setTimeout(r, 500)); // the server's log lines reach the harness

  const log = readFileSync(APP_LOG_FILE, "utf8");
  expect(log.slice(logBefore)).not.toMatch(/error|failed/i);
  expect(log).not.toMatch(/failed to get redirect response|failed to forward action response|ECONNREFUSED/);

  const received = existsSync(TRAP_LOG)
    ? readFileSync(TRAP_LOG, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { method: string; url: string; headers: Record<string, string> })
    : [];
  // Other checkouts' stacks may run on this machine: only requests that carry this app's origin count.
  const ours = received.filter((r) =>
    [r.headers.origin, r.headers.referer, r.headers["x-forwarded-host"], r.headers.host].some((v) =>
      String(v ?? "").includes(`:${STACK.appPort}`),
    ),
  );
  expect(
    ours.map((r) => `${r.method} ${r.url}`),
    `requests to port 3000 (of ${received.length} received, from ${APP_URL})`,
  ).toEqual([]);
});
