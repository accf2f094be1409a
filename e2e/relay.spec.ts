import { readFileSync } from "node:fs";
import path from "node:path";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { expect, test } from "./support/csp-fixture";
import { confirmPasswordWhenAsked } from "./support/password-prompt";
import { sandboxControl } from "./support/sandbox-pages";
import { STACK } from "./support/stack-config";
import { connectBothMailboxes, disconnectBothMailboxes } from "./support/test-email-page";

/**
 * The Relay page: enable the relay, create a credential (its password shown once), copy the settings,
 * send a message through the relay with nodemailer, and see the counters and the activity update.
 */
test.describe.configure({ mode: "serial" });

const control = sandboxControl();

test.beforeAll(async ({ browser }) => {
  await connectBothMailboxes(control, browser, "Mail Connect (e2e relay)");
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto("/settings/relay");
  const disable = page.getByRole("button", { name: "Disable the relay" });
  if (await disable.count()) {
    await disable.click();
    await expect(page.getByTestId("relay-state")).toContainText("Disabled");
  }
  const disableImap = page.getByRole("button", { name: "Disable the IMAP gateway" });
  if (await disableImap.count()) {
    await disableImap.click();
    await expect(page.getByTestId("imap-state")).toContainText("Disabled");
  }
  await page.close();
  await disconnectBothMailboxes(browser);
});

/** nodemailer through the relay, retried while the listener is starting (every instance polls the switch). */
async function sendThroughRelay(user: string, pass: string, subject: string) {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: STACK.relayPort,
    requireTLS: true,
    tls: { ca: readFileSync(path.join(STACK.appDataDir, "tls", "cert.pem"), "utf8"), servername: "localhost" },
    auth: { user, pass },
  });
  for (let attempt = 0; ; attempt++) {
    try {
      return await transport.sendMail({ from: "mailer@contoso.test", to: "admin@contoso.test", subject, text: "hi" });
    } catch (error) {
      if ((error as { code?: string }).code !== "ESOCKET" || attempt > 30) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

test("create a credential, copy the settings, relay a message, see the counters and the activity", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await confirmPasswordWhenAsked(page);
  await page.goto("/settings/relay");
  await expect(page.getByRole("heading", { level: 1, name: "Relay" })).toBeVisible();
  await expect(page.getByTestId("relay-state")).toContainText("Disabled");
  await page.getByRole("button", { name: "Enable the relay" }).click();
  await expect(page.getByText(/The SMTP relay is enabled/)).toBeVisible();
  await expect(page.getByTestId("relay-state")).toContainText("Enabled");

  const form = page.getByRole("form", { name: "New relay credential" });
  await form.getByLabel("Name (the SMTP user name)").fill("e2e-product");
  await expect(form.getByLabel("Allowed From addresses")).toHaveValue("mailer@contoso.test");
  await form.getByRole("button", { name: "Create credential" }).click();
  const secret = (await page.getByTestId("relay-secret-value").textContent()) ?? "";
  expect(secret).toMatch(/^mcr_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("relay-credential-e2e-product")).toContainText(`ends …${secret.slice(-4)}`);

  const settings = page.getByTestId("relay-settings");
  await expect(page.getByTestId("relay-host")).toHaveText("127.0.0.1");
  await expect(page.getByTestId("relay-port")).toHaveText(String(STACK.relayPort));
  await settings.getByRole("button", { name: "Copy port" }).click();
  await expect(settings.getByRole("button", { name: "Copied port" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(String(STACK.relayPort));

  const subject = `e2e relay ${Date.now()}`;
  const info = await sendThroughRelay("e2e-product", secret, subject);
  expect(info.response).toMatch(/^250 2\.0\.0 OK/);
  const inbox = await control.messages("admin@contoso.test");
  expect(inbox.some((m) => m.subject === subject)).toBe(true);

  // the activity is written within a moment of the answer
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("relay-counts-e2e-product")).toContainText("1 relayed, 0 refused", { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  const activity = page.getByTestId("relay-activity");
  await expect(activity).toContainText("e2e-product");
  await expect(activity).toContainText("mailer@contoso.test");
  await expect(activity).toContainText("250 2.0.0 OK");
  await expect(page.getByTestId("relay-credential-e2e-product")).toContainText("from 127.0.0.1");
  // after reload the password is no longer on the page
  await expect(page.getByTestId("relay-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // revoke: the credential stops working at once
  const row = page.getByTestId("relay-credential-e2e-product");
  await row.getByRole("button", { name: "Revoke e2e-product" }).click();
  await row.getByRole("button", { name: "Yes, revoke e2e-product" }).click();
  await expect(page.getByTestId("relay-credential-e2e-product")).toContainText("Revoked");
  const refused = await sendThroughRelay("e2e-product", secret, "after revoke").catch((e: { response?: string }) => e);
  expect((refused as { response?: string }).response).toMatch(/^535 /);
});

/** imapflow through the IMAP gateway, retried while the listener is starting (every instance polls the switch). */
async function readThroughGateway(user: string, pass: string) {
  for (let attempt = 0; ; attempt++) {
    const client = new ImapFlow({
      host: "127.0.0.1",
      port: STACK.relayImapPort,
      secure: true,
      tls: { ca: readFileSync(path.join(STACK.appDataDir, "tls", "cert.pem"), "utf8"), servername: "localhost" },
      auth: { user, pass },
      logger: false,
    });
    client.on("error", () => undefined);
    try {
      await client.connect();
      const box = await client.mailboxOpen("INBOX");
      await client.logout();
      return box;
    } catch (error) {
      if ((error as { code?: string }).code !== "ECONNREFUSED" || attempt > 30) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

test("IMAP gateway: scope a credential to the mailbox, copy the settings, read it through the gateway, see the login", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await confirmPasswordWhenAsked(page);
  await page.goto("/settings/relay");
  const form = page.getByRole("form", { name: "New relay credential" });
  await form.getByLabel("Name (the SMTP user name)").fill("e2e-reader");
  await form.getByRole("button", { name: "Create credential" }).click();
  const secret = (await page.getByTestId("relay-secret-value").textContent()) ?? "";
  expect(secret).toMatch(/^mcr_/);

  await expect(page.getByTestId("imap-state")).toContainText("Disabled");
  await page.getByRole("button", { name: "Enable the IMAP gateway" }).click();
  await expect(page.getByText(/The IMAP gateway is enabled/)).toBeVisible();
  await expect(page.getByTestId("imap-state")).toContainText("Enabled");

  const settings = page.getByTestId("imap-settings");
  await expect(page.getByTestId("imap-port")).toHaveText(String(STACK.relayImapPort));
  await expect(page.getByTestId("imap-user")).toHaveText("approvals@contoso.test");
  await settings.getByRole("button", { name: "Copy IMAP user name" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("approvals@contoso.test");

  // not scoped yet: refused, and the refusal is on the page
  const refused = await readThroughGateway("approvals@contoso.test", secret).catch((e: { response?: string }) => e);
  expect((refused as { response?: string }).response).toMatch(/NO \[AUTHORIZATIONFAILED\]/);

  const scope = page.getByRole("form", { name: "IMAP mailboxes of e2e-reader" });
  await scope.getByLabel("IMAP mailboxes e2e-reader may open, one per line").fill("approvals@contoso.test");
  await scope.getByRole("button", { name: "Save the IMAP mailboxes of e2e-reader" }).click();
  await expect(page.getByText("e2e-reader may open approvals@contoso.test through the IMAP gateway.")).toBeVisible();

  const box = await readThroughGateway("approvals@contoso.test", secret);
  expect(box.path).toBe("INBOX");
  await page.reload();
  await expect(page.getByTestId("imap-counts-e2e-reader")).toContainText("1 logins, 1 refused");
  const activity = page.getByTestId("imap-activity");
  await expect(activity).toContainText("Signed in");
  await expect(activity).toContainText("Refused");
  await expect(activity).toContainText("approvals@contoso.test");
  expect(await page.content()).not.toContain(secret);
});
