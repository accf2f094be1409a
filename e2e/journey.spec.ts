import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "./support/csp-fixture";
import { ADMIN_STATE_FILE, APP_LOG_FILE, APP_URL, E2E_ADMIN } from "./support/stack-config";
import {
  JWT_SHAPE,
  recordAppResponses,
  REFRESH_TOKEN_SHAPE,
  TokenHarvest,
  whereFound,
  whereShapeFound,
  type RecordedResponse,
} from "./support/security-sweep";
import { refreshTokenFingerprint, type RegisteredApp } from "@mail-connect/m365-sandbox/control-client";
import {
  atSandbox,
  authorizeButton,
  connectionCard,
  connectionStatus,
  escapeRegExp,
  expectWrongUserRefused,
  fillSandboxEmailSettings,
  REDIRECT_URI,
  sandboxControl,
  signInAtSandbox,
} from "./support/sandbox-pages";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

/**
 * The administrator's whole journey, as the FlexDeploy "Microsoft OAuth" page describes it, in a
 * real browser against the Microsoft 365 sandbox. Each step is named after the page's headings and
 * leaves a screenshot in the report. The second test is the security sweep over everything the
 * journey produced: no client secret, token or password in any response or in the server log.
 */
test.describe.configure({ mode: "serial" });

// The suite runs longer than the 5-minute re-confirmation window: confirm the prompt when it appears.
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const control = sandboxControl();
const mailer = SEED_USERS.mailer;
const approvals = SEED_USERS.approvals;
const other = SEED_USERS.other;

let app: RegisteredApp;
const responses: RecordedResponse[] = [];
const tokens = new TokenHarvest();
let journeyFinished = false;

const connection = connectionCard;
const resultCard = (page: Page, id: string) => page.getByTestId("test-email-results").getByTestId(`card-${id}`);

let shot = 0;
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  shot += 1;
  await testInfo.attach(`${String(shot).padStart(2, "0")} ${name}`, {
    body: await page.screenshot({ fullPage: true }),
    contentType: "image/png",
  });
}

/** axe: no serious or critical violation (WCAG 2.1 A/AA rules) on the page as it is now. */
async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `axe on ${where}`,
  ).toEqual([]);
}

async function expectChecklist(page: Page, expected: Record<string, boolean>): Promise<void> {
  for (const [key, done] of Object.entries(expected)) {
    await expect(page.getByTestId(`checklist-${key}`), `checklist: ${key}`).toHaveAttribute("data-done", String(done));
  }
}

async function expectConnected(page: Page, role: "smtp" | "imap", username: string): Promise<void> {
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/);
  await expect(page.getByRole("status").filter({ hasText: `Connected as ${username}` })).toBeVisible();
  await expect(connectionStatus(page, role)).toContainText(`Connected as ${username} since`);
  await expect(connection(page, role)).toContainText("Healthy");
  tokens.harvest();
}

/** Clicks Test Email Configuration and waits for every card to settle. */
async function runTest(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Test Email Configuration" }).click();
  await expect(page.getByTestId("run-summary")).toBeVisible({ timeout: 45_000 });
  tokens.harvest();
}

async function expectAllGreen(page: Page): Promise<void> {
  for (const id of ["smtp-token", "smtp", "imap-token", "imap"])
    await expect(resultCard(page, id), id).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("run-summary")).toContainText("All checks passed.");
  await expect(page.getByTestId("run-next")).toHaveText(
    "Mail can be sent and approval replies read with the saved settings.",
  );
}

test.beforeAll(async () => {
  // Access tokens shorter-lived than MSAL's 5-minute renewal margin: every Test goes to Microsoft
  // for a fresh token (rotating the refresh token), as it does once an hour with real tokens. This
  // is what lets the revoked-refresh-token step show up in Test without waiting an hour.
  await control.setAccessTokenLifetime(240);
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  await control.clearSessions();
});

test.afterAll(async ({ browser }) => {
  await control.setAccessTokenLifetime(3599);
  // Leave no connection behind for the other specs (the needs-reauth banner shows on every page).
  const context = await browser.newContext({ storageState: ADMIN_STATE_FILE });
  const page = await context.newPage();
  await confirmPasswordWhenAsked(page);
  await page.goto("/settings/email");
  for (const role of ["smtp", "imap"] as const) {
    const disconnect = connection(page, role).getByRole("button", { name: "Disconnect" });
    if (await disconnect.count()) {
      await disconnect.click();
      await connection(page, role).getByRole("button", { name: "Yes, disconnect" }).click();
      await expect(connection(page, role)).toContainText("Not connected.");
    }
  }
  // And Microsoft 365's own hosts instead of the sandbox's, as a real installation has them.
  await page.getByLabel("Cloud").selectOption("global");
  await page.getByLabel("SMTP host").fill("smtp.office365.com");
  await page.getByLabel("SMTP port").fill("587");
  await page.getByLabel("IMAP host").fill("outlook.office365.com");
  await page.getByLabel("IMAP port").fill("993");
  // Another cloud: the stored client secret is only sent to the authority it was saved for (issue 11 item 1).
  await page.getByLabel("Client Secret", { exact: true }).fill("journey~clean-up-secret-value");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/Email Settings saved|Saved \(nothing had changed\)/)).toBeVisible();
  await context.close();
});

test("the FlexDeploy Microsoft OAuth page, step by step, against the sandbox", async ({ page, context }, testInfo) => {
  test.setTimeout(300_000);
  recordAppResponses(context, responses);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: APP_URL });

  await test.step("Create the Application in Azure AD: register a new app, add the redirect URI, request permissions, add a client secret", async () => {
    app = await control.registerApp({ displayName: "Mail Connect (journey)", redirectUris: [REDIRECT_URI] });
    expect(app.redirectUris).toEqual([REDIRECT_URI]);
    expect(app.requiredScopes).toEqual(
      expect.arrayContaining([
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "https://graph.microsoft.com/User.Read",
      ]),
    );
    expect(app.secretValue).not.toBe(app.secretId); // the Value is what gets pasted, not the Secret ID
  });

  await test.step("Update System Settings › Match the Server Base URL (General Settings)", async () => {
    await page.goto("/settings/general");
    await expect(page.getByRole("heading", { name: "General Settings", level: 1 })).toBeVisible();
    const field = page.getByLabel("Server Base URL");
    await field.fill("http://mail-connect.contoso.com");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#serverBaseUrl-error")).toHaveText(/must use HTTPS/);
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAttribute("aria-describedby", /serverBaseUrl-error/);
    await screenshot(page, testInfo, "General Settings: http refused");
    await expectAccessible(page, "General Settings with an error");

    await field.fill(APP_URL);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/General Settings saved|Saved \(nothing had changed\)/)).toBeVisible();
    await page.reload();
    await expect(field).toHaveValue(APP_URL);
    await page.getByRole("button", { name: "Copy redirect URI" }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied, "the redirect URI copied from the page is the one registered in Azure").toBe(app.redirectUris[0]);
    await screenshot(page, testInfo, "General Settings: https saved, redirect URI copied");
  });

  await test.step("Populate OAuth Information (Email Settings: Microsoft OAuth, host, SMTP user, client id, secret, tenant, Approval Reply Address)", async () => {
    await page.goto("/settings/email");
    await expect(page.getByRole("heading", { name: "Email Settings", level: 1 })).toBeVisible();
    await page.getByLabel("SMTP auth type").selectOption("microsoft");
    await expect(page.getByLabel("SMTP host")).not.toHaveValue(""); // Microsoft 365 defaults filled in
    // The sandbox stands in for Microsoft 365: a Custom cloud whose authority and mail hosts point at it.
    await fillSandboxEmailSettings(page, { clientId: app.clientId, secret: app.secretValue });
    await screenshot(page, testInfo, "Email Settings: filled in");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/Email Settings saved|Saved \(nothing had changed\)/)).toBeVisible();
    await page.goto("/settings/email");
    await expect(page.getByLabel("Client Secret", { exact: true })).toHaveValue(""); // write-only
    await expect(page.locator("#msClientSecret-hint")).toContainText(`Set (ends …${app.secretValue.slice(-3)})`);
    await expect(connection(page, "smtp")).toContainText("Not connected.");
    // The setup checklist ticks what the server can verify so far; the values to paste into Azure.
    await expectChecklist(page, {
      https: true,
      redirect: false,
      "client-id": true,
      "tenant-id": true,
      secret: true,
      "authorized-smtp": false,
      "authorized-imap": false,
      test: false,
    });
    await expect(page.getByTestId("assistant-redirect-uri").locator("code")).toHaveText(app.redirectUris[0]);
    await expect(page.getByTestId("assistant-permissions").getByRole("listitem")).toHaveText(
      ["IMAP.AccessAsUser.All", "offline_access", "SMTP.Send", "User.Read"].map((p) => new RegExp(`^${p}`)),
    );
    await page.getByRole("button", { name: "Copy the redirect URI" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(app.redirectUris[0]);
    await page.getByRole("button", { name: "Copy IMAP.AccessAsUser.All" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("IMAP.AccessAsUser.All");
    await expect(authorizeButton(page, "smtp")).toHaveText(/^Authorize\b/);
    await expect(authorizeButton(page, "smtp")).toBeEnabled();
    await expectAccessible(page, "Email Settings, saved, not connected");
    await screenshot(page, testInfo, "Email Settings: saved, ready to authorize");
  });

  await test.step("Authorize and Validate › Authorize as the SMTP user", async () => {
    await authorizeButton(page, "smtp").click();
    await atSandbox(page, "Sign in");
    await expect(page.getByLabel("Email")).toHaveValue(mailer.email); // login_hint: the SMTP user
    await screenshot(page, testInfo, "Microsoft sign-in (sandbox)");
    await signInAtSandbox(page, mailer);
    await expectConnected(page, "smtp", mailer.email);
    await expect(connection(page, "smtp")).toContainText(`by ${E2E_ADMIN.email}`);
    await screenshot(page, testInfo, "Back: Connected as the SMTP user");
  });

  await test.step("Authorize the Approval Reply Address through the account picker", async () => {
    await authorizeButton(page, "imap").click();
    // The browser is signed in to Microsoft as the SMTP user now: the picker offers it, and another account.
    await atSandbox(page, "Pick an account");
    await expect(page.getByRole("button", { name: new RegExp(escapeRegExp(mailer.email)) })).toBeVisible();
    await screenshot(page, testInfo, "Microsoft account picker (sandbox)");
    await page.getByRole("button", { name: "Use another account" }).click();
    await expect(page.getByLabel("Email")).toHaveValue(approvals.email);
    await page.getByLabel("Password").fill(approvals.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectConnected(page, "imap", approvals.email);
    await expectAccessible(page, "Email Settings, connected, with the callback banner");
    await screenshot(page, testInfo, "Back: Connected as the Approval Reply Address");
  });

  await test.step("Test Email Configuration: all cards green, the mail arrived, the inbox was read", async () => {
    const before = (await control.messages(E2E_ADMIN.email)).length;
    await runTest(page);
    await expectAllGreen(page);
    await expect(resultCard(page, "smtp").getByTestId("summary")).toContainText(
      `Sent a test message from ${mailer.email} to ${E2E_ADMIN.email}`,
    );
    await expect(resultCard(page, "imap").getByTestId("summary")).toContainText(
      `as ${approvals.email} and opened INBOX`,
    );
    const inbox = await control.messages(E2E_ADMIN.email);
    expect(inbox.length).toBe(before + 1);
    expect(inbox.at(-1)!.subject).toMatch(/^Mail Connect test message /);
    expect(inbox.at(-1)!.from).toContain(mailer.email);
    // Everything verified: the checklist ticked itself (no reload) and folds the Azure values away.
    await expectChecklist(page, {
      https: true,
      redirect: true,
      "client-id": true,
      "tenant-id": true,
      secret: true,
      "authorized-smtp": true,
      "authorized-imap": true,
      test: true,
    });
    await expect(page.getByTestId("checklist-progress")).toContainText("Everything is set up and verified.");
    await expectAccessible(page, "Email Settings with test results");
    await screenshot(page, testInfo, "Test Email Configuration: all green");
  });

  await test.step("The SSO trap: signed in to Microsoft as another user, Re-Authorize is refused with the explanation", async () => {
    // Someone else is signed in to Microsoft in this browser (the FlexDeploy page's warning).
    await expectWrongUserRefused(page, control, other, mailer);
    await expectAccessible(page, "Email Settings with the wrong-user explanation");
    await screenshot(page, testInfo, "SSO trap: wrong account refused");
    await runTest(page);
    await expectAllGreen(page);
    await screenshot(page, testInfo, "SSO trap: the previous connection still tests green");
  });

  await test.step("Sign out of Microsoft, Re-Authorize as the right user: green again", async () => {
    await page.goto("/settings/email");
    await authorizeButton(page, "smtp").click();
    await atSandbox(page, "Pick an account");
    await page.getByRole("button", { name: new RegExp(escapeRegExp(other.email)) }).click();
    const [signOut] = await Promise.all([
      context.waitForEvent("page"),
      page.getByTestId("wrong-user").getByRole("link", { name: "sign out of Microsoft" }).click(),
    ]);
    await expect(signOut.getByRole("heading", { name: "You signed out of your account" })).toBeVisible();
    await signOut.close();
    await authorizeButton(page, "smtp").click();
    await signInAtSandbox(page, mailer);
    await expectConnected(page, "smtp", mailer.email);
    await runTest(page);
    await expectAllGreen(page);
    await screenshot(page, testInfo, "Re-Authorized as the right user: green");
  });

  await test.step("Refresh tokens revoked at Microsoft: Test shows Needs re-authorization", async () => {
    await control.revokeRefreshTokens(mailer.email); // e.g. a password change or "revoke sessions"
    await page.goto("/settings/email");
    await runTest(page);
    const token = resultCard(page, "smtp-token");
    await expect(token).toHaveAttribute("data-status", "failed");
    await expect(token.getByTestId("summary")).toContainText(
      `Needs re-authorization: Microsoft can no longer renew the sign-in of ${mailer.email}`,
    );
    await expect(token).toContainText("AADSTS50173");
    await expect(page.getByTestId("run-summary").getByRole("alert")).toContainText(
      "Re-Authorize the mailbox shown below, then test again.",
    );
    await expect(resultCard(page, "imap")).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId("checklist-authorized-smtp")).toHaveAttribute("data-done", "false");
    await expect(page.getByTestId("checklist-authorized-smtp")).toContainText("Needs re-authorization");
    await expect(connection(page, "smtp")).toContainText("Needs re-authorization."); // refreshed with the test's answer
    await page.reload();
    await expect(connection(page, "smtp")).toContainText("Needs re-authorization.");
    await expect(page.getByTestId("connection-health-banner")).toContainText(
      `Microsoft sign-in for ${mailer.email} (SMTP sender) needs re-authorization`,
    );
    await expectAccessible(page, "Email Settings, needs re-authorization");
    await screenshot(page, testInfo, "Revoked: Needs re-authorization");
  });

  await test.step("Re-Authorize from the failed card: green", async () => {
    await runTest(page);
    await resultCard(page, "smtp-token").getByRole("button", { name: "Re-Authorize the SMTP account" }).click();
    await signInAtSandbox(page, mailer); // the revocation ended the Microsoft session too
    await expectConnected(page, "smtp", mailer.email);
    await expect(page.getByTestId("connection-health-banner")).toHaveCount(0);
    await runTest(page);
    await expectAllGreen(page);
    await screenshot(page, testInfo, "Re-Authorized: green again");
  });

  await page.goto("/settings/audit");
  await expect(page.getByRole("cell", { name: "Microsoft account authorized" }).first()).toBeVisible();
  journeyFinished = true;
});

test("security sweep: no client secret, token or password in any response or server log line of the journey", async () => {
  expect(journeyFinished, "the journey ran to its end").toBe(true);
  tokens.harvest();
  const log = readFileSync(APP_LOG_FILE, "utf8");

  // The evidence is real: many responses, and the token strings the sandbox issued to this app.
  expect(responses.length).toBeGreaterThan(50);
  expect(responses.some((r) => r.headers.includes("text/x-component"))).toBe(true); // RSC payloads and action results
  expect(responses.some((r) => r.body.includes("<!DOCTYPE html>"))).toBe(true);
  const issued = (await control.refreshTokens()).filter((t) => t.clientId === app.clientId);
  const harvested = new Set([...tokens.refreshTokens].map(refreshTokenFingerprint));
  const stored = issued.filter((t) => t.user !== other.email); // other@'s tokens were refused, never stored
  expect(stored.length, "refresh tokens issued to the journey's app").toBeGreaterThanOrEqual(8);
  expect(
    stored.filter((t) => !harvested.has(t.fingerprint)).map((t) => `${t.user} #${t.sequence}`),
    "every refresh token the app was issued (and stored) was read back for the sweep",
  ).toEqual([]);
  expect(tokens.accessTokens.size).toBeGreaterThanOrEqual(8);

  const needles: Record<string, string> = {
    "client secret": app.secretValue,
    "admin password": E2E_ADMIN.password,
    "mailer password": mailer.password,
    "approvals password": approvals.password,
    "other password": other.password,
  };
  for (const [i, t] of [...tokens.accessTokens].entries()) needles[`access token ${i + 1}`] = t;
  for (const [i, t] of [...tokens.refreshTokens].entries()) needles[`refresh token ${i + 1}`] = t;
  for (const [i, t] of [...tokens.idTokens].entries()) needles[`id token ${i + 1}`] = t;
  const leaks = Object.entries(needles)
    .map(([name, value]) => [name, whereFound(value, responses, log)] as const)
    .filter(([, where]) => where !== null);
  expect(leaks.map(([name, where]) => `${name} in ${where}`)).toEqual([]);

  // Tokens the app never stored (the wrong user's, refused in the SSO trap) by their shape.
  expect(whereShapeFound(JWT_SHAPE, responses, log), "JWT-shaped string").toBeNull();
  expect(whereShapeFound(REFRESH_TOKEN_SHAPE, responses, log), "refresh-token-shaped string").toBeNull();
});
