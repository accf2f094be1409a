import { readFileSync } from "node:fs";
import { expect, test, type Page } from "./support/csp-fixture";
import type { RegisteredApp } from "@mail-connect/m365-sandbox/control-client";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import { APP_URL } from "./support/stack-config";
import {
  authorizeButton,
  configureForSandbox,
  connectionStatus,
  REDIRECT_URI,
  sandboxControl,
  saveEmailSettings,
  signInAtSandbox,
} from "./support/sandbox-pages";
import { cardOf, disconnectBothMailboxes, testButton } from "./support/test-email-page";
import { confirmPasswordWhenAsked } from "./support/password-prompt";
import { type Fixture, pfxOf, selfSigned } from "./support/certificate-fixtures";

/**
 * Issue 13 section 3 in the browser: the Certificate credential. The app generates the key and the
 * certificate, the admin downloads the .cer and registers it (here: the sandbox's control API, as in
 * Azure's Certificates & secrets), Authorize and Test Email work with it; every bad upload is a field
 * error and nothing stored changes. The private key never reaches the browser.
 */
test.describe.configure({ mode: "serial" });
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const control = sandboxControl();
let app: RegisteredApp;
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

async function authorize(page: Page, role: "smtp" | "imap", user: { email: string; password: string }) {
  await control.clearSessions();
  await page.goto("/settings/email");
  await authorizeButton(page, role).click();
  await signInAtSandbox(page, user);
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/);
  await expect(connectionStatus(page, role)).toContainText(`Connected as ${user.email} since`);
}

const thumbprint = (page: Page) => page.getByTestId("certificate-thumbprint");

test.beforeAll(async () => {
  app = await control.registerApp({ displayName: "Mail Connect (e2e certificate)", redirectUris: [REDIRECT_URI] });
  await control.setAccessTokenLifetime(3599);
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
});

test.afterAll(async ({ browser }) => {
  await disconnectBothMailboxes(browser);
});

test("generate a certificate, download its .cer, register it, Authorize, Test Email green", async ({ page }) => {
  recordAppBodies(page);
  await configureForSandbox(page, { clientId: app.clientId, secret: app.secretValue });
  await page.getByLabel("Credential", { exact: true }).selectOption("certificate");
  await expect(page.getByLabel("Generate a new key and certificate")).toBeChecked();
  await saveEmailSettings(page);
  await expect(page.getByText(/A new certificate was generated: download its .cer/)).toBeVisible();
  await expect(thumbprint(page)).toHaveText(/^[0-9A-F]{64}$/);
  await expect(page.getByTestId("certificate-expiry")).toHaveText(
    new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download the .cer" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.cer$/);
  const cer = readFileSync((await download.path())!, "utf8");
  expect(cer).toMatch(/^-----BEGIN CERTIFICATE-----/);
  expect(cer).not.toContain("PRIVATE KEY");
  const registered = await control.addAppCertificate(app.clientId, { pem: cer });
  expect(registered.thumbprintSha256).toBe(await thumbprint(page).textContent());

  // Without a client secret at Microsoft's side the certificate is the only credential that can work.
  await control.addAppSecret(app.clientId, { value: "rotated~away-not-known-to-the-app-0000", replace: true });
  await authorize(page, "smtp", SEED_USERS.mailer);
  await authorize(page, "imap", SEED_USERS.approvals);
  await testButton(page).click();
  for (const id of ["smtp-token", "smtp", "imap-token", "imap"]) {
    await expect(cardOf(page, id)).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
  }
  await expect(page.getByTestId("run-summary")).toContainText("All checks passed.");
  expect(appBodies.some((b) => b.includes("PRIVATE KEY"))).toBe(false);
});

/** Chooses PEM upload with these files and saves; returns the field error shown. */
async function uploadPem(page: Page, files: Fixture, password = ""): Promise<void> {
  await page.getByLabel("Upload a PEM certificate and private key").check();
  await page.getByLabel("Certificate (PEM)").setInputFiles({
    name: "cert.pem",
    mimeType: "application/x-pem-file",
    buffer: Buffer.from(files.certificate),
  });
  await page.getByLabel("Private key (PEM)").setInputFiles({
    name: "key.pem",
    mimeType: "application/x-pem-file",
    buffer: Buffer.from(files.privateKey),
  });
  if (password) await page.getByLabel("Key password (if encrypted)").fill(password);
  await page.getByRole("button", { name: "Save" }).click();
}

test("each bad upload is refused as a field error and nothing stored changes", async ({ page }) => {
  await page.goto("/settings/email");
  const before = await thumbprint(page).textContent();
  expect(before).toMatch(/^[0-9A-F]{64}$/);
  const good = selfSigned();
  const cases: Array<{ name: string; upload: (p: Page) => Promise<void>; error: RegExp }> = [
    {
      name: "not a certificate",
      upload: (p) => uploadPem(p, { certificate: "hello, not a certificate", privateKey: good.privateKey }),
      error: /not a certificate/,
    },
    {
      name: "key does not match",
      upload: (p) => uploadPem(p, { certificate: good.certificate, privateKey: selfSigned().privateKey }),
      error: /does not match the certificate/,
    },
    {
      name: "expired",
      upload: (p) =>
        uploadPem(
          p,
          selfSigned({
            notBefore: new Date(Date.now() - 400 * 86_400_000),
            notAfter: new Date(Date.now() - 86_400_000),
          }),
        ),
      error: /expired on/,
    },
    { name: "RSA 1024", upload: (p) => uploadPem(p, selfSigned({ bits: 1024 })), error: /1024 bits: use 2048 bits/ },
    {
      name: "wrong PFX password",
      upload: async (p) => {
        await p.getByLabel("Upload a PFX file").check();
        await p.getByLabel("PFX file", { exact: true }).setInputFiles({
          name: "cert.pfx",
          mimeType: "application/x-pkcs12",
          buffer: pfxOf(good, "right-password"),
        });
        await p.getByLabel("PFX password").fill("wrong-password");
        await p.getByRole("button", { name: "Save" }).click();
      },
      error: /The PFX password is wrong/,
    },
  ];
  for (const c of cases) {
    await page.goto("/settings/email");
    await c.upload(page);
    await expect(page.locator("#msCertificate-error"), c.name).toHaveText(c.error);
    await page.goto("/settings/email");
    await expect(thumbprint(page), `${c.name}: the stored certificate is unchanged`).toHaveText(before!);
    await expect(connectionStatus(page, "smtp"), `${c.name}: the connection is kept`).toContainText("Connected as");
  }
});
