import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Browser, type Page } from "./support/csp-fixture";
import { ADMIN_STATE_FILE, APP_LOG_FILE, APP_URL, E2E_ADMIN, SANDBOX_AUTHORITY, STACK } from "./support/stack-config";
import type { RegisteredApp } from "@mail-connect/m365-sandbox/control-client";
import {
  atSandbox,
  authorizeButton,
  configureForSandbox,
  connectionCard,
  expectWrongUserRefused,
  REDIRECT_URI,
  sandboxControl,
  signInAtSandbox,
} from "./support/sandbox-pages";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

/**
 * Authorize / Re-Authorize against the Microsoft 365 sandbox, through the browser: the sandbox's
 * sign-in page and account picker, the /flexdeploy/rest/v2/oauth callback, and the traps around it.
 */
test.describe.configure({ mode: "serial" });

// The suite runs longer than the 5-minute re-confirmation window: confirm the prompt when it appears.
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const control = sandboxControl();
const WRONG_SECRET = "wrong~Secret.Value-not-the-real-one-42";
const mailer = SEED_USERS.mailer;
const approvals = SEED_USERS.approvals;
const other = SEED_USERS.other;

let app: RegisteredApp;
const secretsUsed: string[] = [WRONG_SECRET];
/** Every body the app sent to the browser during these tests. */
const appBodies: string[] = [];

function recordAppBodies(page: Page): void {
  page.on("response", async (r) => {
    if (!r.url().startsWith(APP_URL)) return;
    try {
      appBodies.push(await r.text());
    } catch {
      // redirects have no body
    }
  });
}

async function configure(
  page: Page,
  o: { clientId?: string; secret?: string; serverBaseUrl?: string } = {},
): Promise<void> {
  await configureForSandbox(
    page,
    { clientId: o.clientId ?? app.clientId, secret: o.secret ?? app.secretValue },
    o.serverBaseUrl ?? APP_URL,
  );
}

const card = connectionCard;
const authorizeIn = authorizeButton;

async function pickAtSandbox(page: Page, email: string): Promise<void> {
  await atSandbox(page);
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await page.getByRole("button", { name: new RegExp(email.replace(/[.]/g, "\\.")) }).click();
}

/** Signs in, or picks the account when this browser is already signed in to Microsoft with it. */
async function chooseAtSandbox(page: Page, user: { email: string; password: string }): Promise<void> {
  await atSandbox(page);
  const picker = page.getByRole("heading", { name: "Pick an account" });
  await expect(picker.or(page.getByRole("heading", { name: "Sign in" }))).toBeVisible();
  if (await picker.isVisible()) await pickAtSandbox(page, user.email);
  else await signInAtSandbox(page, user);
}

async function expectConnected(page: Page, role: "smtp" | "imap", username: string): Promise<void> {
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/);
  await expect(page.getByText(new RegExp(`Connected as ${username.replace(/[.]/g, "\\.")}`)).first()).toBeVisible();
  await expect(card(page, role).getByTestId(`connection-${role}-status`)).toContainText(
    `Connected as ${username} since`,
  );
  await expect(card(page, role)).toContainText("Healthy");
}

/** Makes sure the SMTP role is connected as mailer@ (signing in at the sandbox if needed). */
async function ensureSmtpConnected(page: Page): Promise<void> {
  await page.goto("/settings/email");
  const status = card(page, "smtp").getByTestId("connection-smtp-status");
  if (
    (await status.count()) &&
    (await status.textContent())?.includes(`Connected as ${mailer.email} since`) &&
    (await status.textContent())?.includes("Healthy")
  )
    return;
  await control.clearSessions();
  await authorizeIn(page, "smtp").click();
  await signInAtSandbox(page, mailer);
  await expectConnected(page, "smtp", mailer.email);
}

async function newAdminPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: ADMIN_STATE_FILE });
  const page = await context.newPage();
  recordAppBodies(page);
  await confirmPasswordWhenAsked(page);
  return page;
}

test.beforeAll(async () => {
  app = await control.registerApp({ displayName: "Mail Connect (e2e authorize)", redirectUris: [REDIRECT_URI] });
  secretsUsed.push(app.secretValue);
  await control.setAccessTokenLifetime(3599);
});

test.beforeEach(async ({ page }) => {
  recordAppBodies(page);
  await configure(page);
});

test.afterAll(async ({ browser }) => {
  // Leave no connection behind for the other specs (the needs-reauth banner shows on every page).
  const page = await newAdminPage(browser);
  await page.goto("/settings/email");
  for (const role of ["smtp", "imap"] as const) {
    const disconnect = card(page, role).getByRole("button", { name: "Disconnect" });
    if (await disconnect.count()) {
      await disconnect.click();
      await card(page, role).getByRole("button", { name: "Yes, disconnect" }).click();
      await expect(card(page, role)).toContainText("Not connected.");
    }
  }
  await page.context().close();
});

test("authorize: sign in as the SMTP user, then the IMAP mailbox through the account picker, then Re-Authorize by picking", async ({
  page,
}) => {
  await control.clearSessions();
  await expect(card(page, "smtp")).toContainText("Not connected.");
  await expect(authorizeIn(page, "smtp")).toHaveText(/^Authorize\b/);
  await expect(authorizeIn(page, "smtp")).toBeEnabled();

  await authorizeIn(page, "smtp").click();
  await atSandbox(page);
  // login_hint reached Microsoft despite prompt=select_account.
  await expect(page.getByLabel("Email")).toHaveValue(mailer.email);
  await signInAtSandbox(page, mailer);
  await expectConnected(page, "smtp", mailer.email);
  await expect(card(page, "smtp")).toContainText(`by ${E2E_ADMIN.email}`);
  await expect(card(page, "smtp")).toContainText("Scopes: https://outlook.office.com/SMTP.Send");
  await expect(card(page, "smtp")).toContainText(/Last refresh: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await expect(authorizeIn(page, "smtp")).toHaveText(/^Re-Authorize\b/);
  await expect(card(page, "imap")).toContainText("Not connected.");

  // The browser is now signed in to Microsoft as mailer@: the picker offers it; take another account.
  await authorizeIn(page, "imap").click();
  await atSandbox(page);
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await page.getByRole("button", { name: "Use another account" }).click();
  await expect(page.getByLabel("Email")).toHaveValue(approvals.email);
  await page.getByLabel("Password").fill(approvals.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectConnected(page, "imap", approvals.email);
  await expect(card(page, "imap")).toContainText("Scopes: https://outlook.office.com/IMAP.AccessAsUser.All");

  // Re-Authorize: pick the signed-in account, no password needed.
  await authorizeIn(page, "smtp").click();
  await pickAtSandbox(page, mailer.email);
  await expectConnected(page, "smtp", mailer.email);

  await page.goto("/settings/audit");
  await expect(page.getByRole("cell", { name: "Microsoft account authorized" }).first()).toBeVisible();
});

test("the SSO trap: another account signed in to Microsoft is refused with the explanation; the old connection keeps working", async ({
  page,
  context,
}) => {
  await ensureSmtpConnected(page);
  const before = await card(page, "smtp").getByTestId("connection-smtp-status").textContent();
  await expectWrongUserRefused(page, control, other, mailer);

  // Re-Authorize again: SSO offers only other@ — picking it is refused again.
  await authorizeIn(page, "smtp").click();
  await pickAtSandbox(page, other.email);
  await expect(page.getByTestId("wrong-user")).toContainText(`as ${other.email}`);
  await expect(card(page, "smtp").getByTestId("connection-smtp-status")).toHaveText(before!);

  // An alias must be confirmed explicitly; then it is stored, and said so.
  await page
    .getByTestId("wrong-user")
    .getByText(/really the same mailbox/)
    .click();
  const useAnyway = page.getByRole("button", { name: "Use this account anyway" });
  await useAnyway.click();
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/); // the required confirmation box stopped the form
  await page.getByLabel(`I confirm that ${other.email} signs in for ${mailer.email}`).check();
  await useAnyway.click();
  await pickAtSandbox(page, other.email);
  await expect(
    page.getByText(`Connected as ${other.email} (confirmed by you as the sign-in for ${mailer.email})`),
  ).toBeVisible();
  await expect(card(page, "smtp")).toContainText(`Connected as ${other.email} (confirmed sign-in for ${mailer.email})`);

  // Sign out of Microsoft (the link in the explanation), then Re-Authorize as the right user.
  await authorizeIn(page, "smtp").click();
  await pickAtSandbox(page, other.email);
  const [signOut] = await Promise.all([
    context.waitForEvent("page"),
    page.getByTestId("wrong-user").getByRole("link", { name: "sign out of Microsoft" }).click(),
  ]);
  await expect(signOut.getByRole("heading", { name: "You signed out of your account" })).toBeVisible();
  await signOut.close();
  await authorizeIn(page, "smtp").click();
  await signInAtSandbox(page, mailer);
  await expectConnected(page, "smtp", mailer.email);
});

test("state: a replayed, a tampered, another session's and an expired callback change nothing", async ({
  page,
  browser,
}) => {
  await ensureSmtpConnected(page);
  await control.clearSessions();

  // Replay and tampering of a completed callback.
  const callback = page.waitForRequest((r) => r.url().startsWith(REDIRECT_URI));
  await authorizeIn(page, "smtp").click();
  await signInAtSandbox(page, mailer);
  const callbackUrl = (await callback).url();
  await expectConnected(page, "smtp", mailer.email);
  const status = await card(page, "smtp").getByTestId("connection-smtp-status").textContent();

  await page.goto(callbackUrl);
  await expect(page).toHaveURL(/oauth_error=state_used/);
  await expect(page.getByText(/already used/)).toBeVisible();
  const tampered = new URL(callbackUrl);
  tampered.searchParams.set("state", `${tampered.searchParams.get("state")!.slice(0, -3)}abc`);
  await page.goto(tampered.toString());
  await expect(page.getByText(/did not match any authorization started here/)).toBeVisible();
  const noState = new URL(callbackUrl);
  noState.searchParams.delete("state");
  await page.goto(noState.toString());
  await expect(page.getByText(/had no state/)).toBeVisible();
  await expect(card(page, "smtp").getByTestId("connection-smtp-status")).toHaveText(status!);

  // Another admin session cannot use (or burn) this browser's pending authorization.
  // Hold Microsoft's redirect back (the picker's answer) instead of following it.
  let held = "";
  const loginPost = `${SANDBOX_AUTHORITY}/${SEED_TENANT.id}/login`;
  await page.route(loginPost, async (route) => {
    const answer = await route.fetch({ maxRedirects: 0 });
    held = answer.headers().location ?? "";
    await route.fulfill({ status: 200, contentType: "text/html", body: "<p>held</p>" });
  });
  await authorizeIn(page, "smtp").click();
  await pickAtSandbox(page, mailer.email);
  await expect.poll(() => held).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
  await page.unroute(loginPost);
  const otherContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const otherPage = await otherContext.newPage();
  recordAppBodies(otherPage);
  await otherPage.goto("/sign-in");
  await otherPage.getByLabel("Email").fill(E2E_ADMIN.email);
  await otherPage.getByLabel("Password").fill(E2E_ADMIN.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage).toHaveURL(/\/settings\//);
  await otherPage.goto(held);
  await expect(otherPage.getByText(/started by another administrator session/)).toBeVisible();
  await otherContext.close();
  await page.goto(held);
  await expectConnected(page, "smtp", mailer.email);

  // Without a session (a callback landing on another host), the admin is sent to sign in and told why.
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const anon = await anonymous.newPage();
  await anon.goto(held);
  await expect(anon).toHaveURL(/\/sign-in\?next=/);
  await anonymous.close();

  // Expired: more than 10 minutes between Authorize and the return (time moved on in the database).
  await page.goto("/settings/email");
  await authorizeIn(page, "smtp").click();
  await atSandbox(page);
  const sqlite = new Database(path.join(STACK.appDataDir, "mail-connect.db"));
  try {
    sqlite.pragma("busy_timeout = 5000");
    sqlite
      .prepare(`UPDATE "OAuthState" SET "expiresAt" = ? WHERE "usedAt" IS NULL`)
      .run(new Date(Date.now() - 60_000).toISOString().replace("Z", "+00:00")); // Prisma's text format
  } finally {
    sqlite.close();
  }
  await pickAtSandbox(page, mailer.email);
  await expect(page).toHaveURL(/oauth_error=state_expired/);
  await expect(page.getByText(/The authorization expired: more than 10 minutes passed/)).toBeVisible();
});

test("Microsoft's error redirects are translated: cancelled sign-in, and admin consent required (AADSTS65001)", async ({
  page,
}) => {
  await ensureSmtpConnected(page);
  const status = await card(page, "smtp").getByTestId("connection-smtp-status").textContent();

  await authorizeIn(page, "smtp").click();
  await atSandbox(page);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "AADSTS65004" })).toContainText(/declined/);
  await expect(page.getByRole("alert").filter({ hasText: "AADSTS65004" })).toContainText("Nothing was changed.");

  await control.updateApp(app.clientId, { consentGranted: false, userConsentAllowed: false });
  try {
    await authorizeIn(page, "smtp").click();
    await chooseAtSandbox(page, mailer);
    const banner = page.getByRole("alert").filter({ hasText: "AADSTS65001" });
    await expect(banner).toContainText("has not been granted consent");
    const consentLink = banner.getByRole("link", { name: "Grant admin consent" });
    await expect(consentLink).toHaveAttribute(
      "href",
      `${SANDBOX_AUTHORITY}/${SEED_TENANT.id}/adminconsent?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
    );
    await expect(card(page, "smtp").getByTestId("connection-smtp-status")).toHaveText(status!);
  } finally {
    await control.updateApp(app.clientId, { consentGranted: true, userConsentAllowed: true });
  }
});

test("a wrong client secret (AADSTS7000215) and an expired one (AADSTS7000222) are explained", async ({ page }) => {
  await ensureSmtpConnected(page);
  await configure(page, { secret: WRONG_SECRET });
  await authorizeIn(page, "smtp").click();
  await chooseAtSandbox(page, mailer);
  const wrong = page.getByRole("alert").filter({ hasText: "AADSTS7000215" });
  await expect(wrong).toContainText("Microsoft rejected the client secret");
  await expect(wrong).toContainText("Paste the secret's Value, not its Secret ID");

  const expired = await control.registerApp({
    displayName: "Mail Connect (expired secret)",
    redirectUris: [REDIRECT_URI],
    secretValue: "expired~Secret.Value-0123456789abcdefgh",
    secretExpiresAt: new Date(Date.now() - 86_400_000).toISOString(),
  });
  secretsUsed.push(expired.secretValue);
  await configure(page, { clientId: expired.clientId, secret: expired.secretValue });
  await authorizeIn(page, "smtp").click();
  await chooseAtSandbox(page, mailer);
  await expect(page.getByRole("alert").filter({ hasText: "AADSTS7000222" })).toContainText(
    "The client secret has expired",
  );
});

test("a revoked refresh token shows Needs re-authorization here and a banner on every page, until Re-Authorize", async ({
  page,
}) => {
  await ensureSmtpConnected(page);
  await card(page, "smtp").getByRole("button", { name: "Check sign-in" }).click();
  await expect(card(page, "smtp").getByTestId("check-smtp-result")).toContainText(
    `Microsoft accepted the stored sign-in of ${mailer.email}`,
  );

  await control.revokeRefreshTokens(mailer.email); // e.g. a password change
  await card(page, "smtp").getByRole("button", { name: "Check sign-in" }).click();
  await expect(card(page, "smtp")).toContainText("Needs re-authorization.");
  await expect(card(page, "smtp")).toContainText("AADSTS50173");
  await expect(authorizeIn(page, "smtp")).toHaveText(/^Re-Authorize\b/);

  for (const p of ["/settings/general", "/settings/audit", "/settings/email"]) {
    await page.goto(p);
    await expect(page.getByTestId("connection-health-banner"), p).toContainText(
      `Microsoft sign-in for ${mailer.email} (SMTP sender) needs re-authorization`,
    );
  }
  await page.goto("/settings/audit");
  await expect(page.getByRole("cell", { name: "Connection needs re-authorization" }).first()).toBeVisible();

  await page.goto("/settings/email");
  await authorizeIn(page, "smtp").click();
  await signInAtSandbox(page, mailer); // the revocation ended the Microsoft session too
  await expectConnected(page, "smtp", mailer.email);
  // The SMTP sender's banner is gone. (The earlier tests changed the client id, which marks every
  // connection "needs re-authorization" (issue 11 item 1), so the IMAP mailbox may still have its own.)
  await expect(page.getByTestId("connection-health-banner").filter({ hasText: mailer.email })).toHaveCount(0);
});

test("Authorize is disabled while changes are unsaved, warns on another origin, and is POST-only", async ({
  page,
  request,
}) => {
  await expect(authorizeIn(page, "smtp")).toBeEnabled();
  await page.getByLabel("SMTP user").fill("someone@contoso.test");
  await expect(authorizeIn(page, "smtp")).toBeDisabled();
  await expect(page.getByTestId("authorize-smtp-reasons")).toContainText("Save your changes to Email Settings first.");

  await configure(page, { serverBaseUrl: "https://mail-connect.contoso.com" });
  await expect(page.getByTestId("authorize-smtp-origin-warning")).toContainText(
    `You are using this page at ${APP_URL}, but the Server Base URL is https://mail-connect.contoso.com`,
  );
  await expect(authorizeIn(page, "smtp")).toBeEnabled();
  await configure(page);
  await expect(page.getByTestId("authorize-smtp-origin-warning")).toHaveCount(0);

  expect((await request.get("/api/oauth/authorize")).status()).toBe(405);
  // CSRF: a POST without this server's Origin is refused before anything is read.
  expect((await request.post("/api/oauth/authorize", { form: { role: "smtp" }, maxRedirects: 0 })).status()).toBe(403);
  expect(
    (
      await request.post("/api/oauth/authorize", {
        form: { role: "smtp" },
        headers: { origin: "https://evil.example" },
        maxRedirects: 0,
      })
    ).status(),
  ).toBe(403);
  const res = await request.post("/api/oauth/authorize", {
    form: { role: "nobody" },
    headers: { origin: APP_URL },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  expect(res.headers().location).toContain("oauth_error=not_ready");
});

test("no client secret or token appears in any response or in the server log", async () => {
  const all = appBodies.join("\n");
  expect(all.length).toBeGreaterThan(10_000);
  for (const secret of secretsUsed) expect(all).not.toContain(secret);
  const jwt = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./;
  const refreshToken = /\b1\.[A-Za-z0-9_-]{90,}/;
  expect(all).not.toMatch(jwt);
  expect(all).not.toMatch(refreshToken);
  const log = readFileSync(APP_LOG_FILE, "utf8");
  for (const secret of secretsUsed) expect(log).not.toContain(secret);
  expect(log).not.toMatch(jwt);
  expect(log).not.toMatch(refreshToken);
});
