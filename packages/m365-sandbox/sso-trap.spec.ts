import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { SEED_APP, SEED_TENANT, SEED_USERS } from "./seed";
import { startSandbox, type RunningSandbox } from "./start";

/**
 * The sandbox's sign-in pages in a real browser: the SSO trap the FlexDeploy page warns about
 * (a browser signed in as another user authorizes that user silently), the account picker that
 * prevents it, logout, consent and cancel.
 */

let REDIRECT_URI = "";
const SCOPES =
  "https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid profile";

let sandbox: RunningSandbox;
let dataDir: string;
/** Stands in for the app's callback at https://localhost:PORT/flexdeploy/rest/v2/oauth. */
let callbackServer: Server;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "m365-sandbox-pw-"));
  // The sandbox creates its CA and a server certificate for localhost; the stand-in callback reuses it.
  const probe = await startSandbox({ dataDir });
  await probe.stop();
  callbackServer = createServer(
    { key: readFileSync(join(dataDir, "server-key.pem")), cert: readFileSync(join(dataDir, "server-cert.pem")) },
    (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end('<!doctype html><html lang="en"><title>callback</title><h1>callback</h1></html>');
    },
  );
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  REDIRECT_URI = `https://localhost:${(callbackServer.address() as AddressInfo).port}/flexdeploy/rest/v2/oauth`;
  sandbox = await startSandbox({ dataDir, appRedirectUris: [REDIRECT_URI] });
});

test.afterAll(async () => {
  await sandbox.stop();
  await new Promise<void>((resolve) => callbackServer.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

function authorizeUrl(extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: SEED_APP.clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: SCOPES,
    state: "pw-state",
    client_info: "1",
    ...extra,
  });
  return `${sandbox.authorityOrigin}/${SEED_TENANT.id}/oauth2/v2.0/authorize?${q}`;
}

function atCallback(extra = ""): RegExp {
  return new RegExp(`^${REDIRECT_URI.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\?${extra}`);
}

function callbackUser(page: Page): string | null {
  const url = new URL(page.url());
  const info = url.searchParams.get("client_info");
  if (!info) return null;
  const uid = (JSON.parse(Buffer.from(info, "base64url").toString()) as { uid: string }).uid;
  return Object.values(SEED_USERS).find((u) => u.id === uid)?.email ?? uid;
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("the SSO cookie authorizes the previously signed-in user silently; prompt=select_account shows the picker; logout ends it", async ({
  page,
}) => {
  // 1. Someone signs in as other@ in this browser.
  await page.goto(authorizeUrl());
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expectNoAxeViolations(page);
  await signIn(page, SEED_USERS.other.email, SEED_USERS.other.password);
  await expect(page).toHaveURL(atCallback("code="));
  expect(callbackUser(page)).toBe(SEED_USERS.other.email);

  // 2. With prompt=select_account the picker lists other@ and offers another account.
  await page.goto(authorizeUrl({ prompt: "select_account", login_hint: SEED_USERS.mailer.email }));
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await expect(page.getByRole("button", { name: new RegExp(SEED_USERS.other.email) })).toBeVisible();
  await expect(page.getByRole("button", { name: "Use another account" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Use another account" }).click();
  await expect(page.getByLabel("Email")).toHaveValue(SEED_USERS.mailer.email);

  // 3. The trap: without prompt (and without login_hint) nothing is shown, other@ is authorized.
  await page.goto(authorizeUrl());
  await expect(page).toHaveURL(atCallback("code="));
  expect(callbackUser(page)).toBe(SEED_USERS.other.email);

  // 4. Picking the account on the picker authorizes that account.
  await page.goto(authorizeUrl({ prompt: "select_account" }));
  await page.getByRole("button", { name: new RegExp(SEED_USERS.other.email) }).click();
  await expect(page).toHaveURL(/\?code=/);
  expect(callbackUser(page)).toBe(SEED_USERS.other.email);

  // 5. Logout clears the session: the next authorize asks for credentials again.
  await page.goto(`${sandbox.authorityOrigin}/${SEED_TENANT.id}/oauth2/v2.0/logout`);
  await expect(page.getByRole("heading", { name: "You signed out of your account" })).toBeVisible();
  await page.goto(authorizeUrl());
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.goto(authorizeUrl({ prompt: "select_account" }));
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("consent page when the app has no consent; Accept continues to the app", async ({ page }) => {
  await sandbox.control.reset({ appRedirectUris: [REDIRECT_URI] });
  await sandbox.control.updateApp(SEED_APP.clientId, { consentGranted: false });
  await page.goto(authorizeUrl({ login_hint: SEED_USERS.mailer.email }));
  await expect(page.getByLabel("Email")).toHaveValue(SEED_USERS.mailer.email);
  await page.getByLabel("Password").fill(SEED_USERS.mailer.password);
  // Enter submits the sign-in (not Cancel)
  await page.getByLabel("Password").press("Enter");
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await expect(page.getByText("https://outlook.office.com/SMTP.Send")).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page).toHaveURL(/\?code=/);
  expect(callbackUser(page)).toBe(SEED_USERS.mailer.email);
  const app = await sandbox.control.app(SEED_APP.clientId);
  expect(Object.keys(app.userConsents)).toEqual([SEED_USERS.mailer.id]);
});

test("Cancel on the sign-in page or the consent page returns error=access_denied", async ({ page }) => {
  await sandbox.control.reset({ appRedirectUris: [REDIRECT_URI] });
  await page.goto(authorizeUrl());
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/error=access_denied/);
  expect(new URL(page.url()).searchParams.get("state")).toBe("pw-state");

  await sandbox.control.updateApp(SEED_APP.clientId, { consentGranted: false });
  await page.goto(authorizeUrl());
  await signIn(page, SEED_USERS.approvals.email, SEED_USERS.approvals.password);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/error=access_denied/);
  expect(new URL(page.url()).searchParams.get("error_description")).toMatch(/^AADSTS65004: /);
});

test("errors Microsoft shows on its own page: unknown client (AADSTS700016), unregistered redirect URI (AADSTS50011)", async ({
  page,
}) => {
  await page.goto(authorizeUrl({ client_id: "11111111-2222-3333-4444-555555555555" }));
  await expect(page.getByRole("alert")).toContainText("AADSTS700016");
  await page.goto(authorizeUrl({ redirect_uri: REDIRECT_URI.toUpperCase() }));
  await expect(page.getByRole("alert")).toContainText("AADSTS50011");
  expect(page.url().startsWith(sandbox.authorityOrigin)).toBe(true);
});
