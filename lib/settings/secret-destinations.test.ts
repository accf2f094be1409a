import { describe, expect, it } from "vitest";
import { emailSettingsSchema, type EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";
import type { SecretField } from "@/lib/settings/client-safe/requirements";
import { columnsToForm, EMAIL_DEFAULTS, type StoredEmailSettings } from "@/lib/settings/email-columns";
import { planSecrets, SECRET_DESTINATIONS } from "@/lib/settings/secret-destinations";

/** Issue 11 item 1: a stored secret goes only to the destination it was saved with. */

const stored: StoredEmailSettings & { saved: boolean } = {
  ...EMAIL_DEFAULTS,
  saved: true,
  version: 3,
  smtpAuthType: "password",
  smtpHost: "smtp.contoso.com",
  smtpPort: 587,
  smtpSecurity: "starttls",
  smtpUser: "mailer@contoso.com",
  smtpPasswordEnc: "sealed-smtp",
  imapUser: "approvals@contoso.com",
  imapHost: "imap.contoso.com",
  imapPort: 993,
  imapSecurity: "tls",
  imapAuthType: "password",
  imapPasswordEnc: "sealed-imap",
  msClientId: "11111111-2222-3333-4444-555555555555",
  msTenantId: "contoso.onmicrosoft.com",
  msCloud: "custom",
  customAuthority: "https://login.example.test",
  customOutlookResource: "https://outlook.office.com",
  msClientSecretEnc: "sealed-secret",
};

/** A submission of the stored settings with `change` applied (secrets blank: kept). */
const submit = (change: Partial<EmailSettingsInput>, base = stored) =>
  emailSettingsSchema.parse({ ...columnsToForm(base), ...change });

/** Another valid value for each destination field. */
const OTHER: Record<string, Partial<EmailSettingsInput>> = {
  smtpHost: { smtpHost: "listener.evil.test" },
  smtpPort: { smtpPort: "2525" },
  smtpSecurity: { smtpSecurity: "tls" },
  imapHost: { imapHost: "listener.evil.test" },
  imapPort: { imapPort: "1993" },
  imapSecurity: { imapSecurity: "starttls" },
  msCloud: { msCloud: "usgov" },
  customAuthority: { customAuthority: "https://login.evil.test" },
  msTenantId: { msTenantId: "fabrikam.onmicrosoft.com" },
  msClientId: { msClientId: "99999999-2222-3333-4444-555555555555" },
};

// The client secret is in use once a role signs in with Microsoft.
const withMicrosoft = { ...stored, imapAuthType: "microsoft", imapPasswordEnc: null };
// The certificate's key is in use once a role signs in with Microsoft and the credential is Certificate.
const withCertificate = {
  ...withMicrosoft,
  msCredentialType: "certificate",
  msCertificateKeyEnc: "sealed-key",
  msCertificatePem: "-----BEGIN CERTIFICATE-----",
};
const BASES: Record<SecretField, typeof stored> = {
  smtpPassword: stored,
  imapPassword: stored,
  msClientSecret: withMicrosoft,
  msCertificate: withCertificate,
};
/** The secret given again in the same save: typed, or (the certificate) generated or uploaded again. */
const AGAIN: Record<SecretField, Partial<EmailSettingsInput>> = {
  smtpPassword: { smtpPassword: "typed-again" },
  imapPassword: { imapPassword: "typed-again" },
  msClientSecret: { msClientSecret: "typed-again" },
  msCertificate: { msCertificate: { kind: "generate" } },
};

describe("secret destinations", () => {
  const cases = Object.entries(SECRET_DESTINATIONS) as [SecretField, readonly string[]][];
  for (const [secret, fields] of cases) {
    const base = BASES[secret];
    for (const field of fields) {
      it(`${secret} × ${field}: kept → field error, nothing else; typed again → accepted`, () => {
        const kept = planSecrets(submit(OTHER[field], base), base);
        expect(Object.keys(kept.errors)).toEqual([secret]);
        expect(kept.errors[secret]).toMatch(
          secret === "msCertificate"
            ? /changed: the stored Certificate is only used for .* Upload or generate it again/
            : /changed: the stored .* is only sent to .* Type it again/,
        );
        expect(kept.sensitive).toBe(true);

        const typed = planSecrets(submit({ ...OTHER[field], ...AGAIN[secret] }, base), base);
        expect(typed.errors).toEqual({});
        // (the Certificate base also stores a client secret nobody uses: removed as its destination changed)
        expect(typed.drop).toEqual(secret === "msCertificate" ? ["msClientSecret"] : []);
        expect(typed.sensitive).toBe(true);
      });
    }
  }

  it("an unchanged destination keeps the stored secrets silently (and is not a sensitive change)", () => {
    expect(planSecrets(submit({ smtpUser: "other@contoso.com" }), stored)).toEqual({
      errors: {},
      drop: [],
      reauthorizeAll: false,
      sensitive: false,
    });
  });

  it("a stored secret nobody uses is removed when its destination changes, not refused", () => {
    const plan = planSecrets(submit({ smtpAuthType: "none", smtpFrom: "app@contoso.com", ...OTHER.smtpHost }), stored);
    expect(plan.errors).toEqual({});
    expect(plan.drop).toEqual(["smtpPassword"]);
  });

  it("cloud, authority, tenant or client id changed → every Microsoft connection is re-authorized; hosts do not", () => {
    for (const field of SECRET_DESTINATIONS.msClientSecret) {
      const plan = planSecrets(
        submit({ ...OTHER[field], msClientSecret: "typed-again" }, withMicrosoft),
        withMicrosoft,
      );
      expect(plan.reauthorizeAll, field).toBe(true);
    }
    const hostOnly = planSecrets(submit({ ...OTHER.smtpHost, smtpPassword: "typed" }), stored);
    expect(hostOnly.reauthorizeAll).toBe(false);
  });

  it("a stored client secret is not in use with the Certificate credential (removed, not refused, when its destination changes)", () => {
    const plan = planSecrets(submit({ ...OTHER.msTenantId, msCertificate: { kind: "generate" } }, withCertificate), {
      ...withCertificate,
    });
    expect(plan.errors).toEqual({});
    expect(plan.drop).toEqual(["msClientSecret"]);
  });

  it("the first save has nothing stored to protect", () => {
    const first = { ...stored, saved: false };
    expect(planSecrets(submit(OTHER.smtpHost), first)).toMatchObject({ errors: {}, sensitive: false });
  });
});

describe("Application roles: the client secret mints the app token sent to the mail host", () => {
  const app: StoredEmailSettings & { saved: boolean } = {
    ...stored,
    smtpAuthType: "microsoft",
    smtpPasswordEnc: null,
    imapAuthType: "microsoft",
    imapPasswordEnc: null,
    smtpConnectionType: "application",
    imapConnectionType: "application",
  };

  it("a changed mail host of an Application role asks for the Client Secret again (the stored one is kept otherwise)", () => {
    const plan = planSecrets(submit({ smtpHost: "listener.evil.test" }, app), app);
    expect(plan.errors.msClientSecret).toContain(
      "SMTP host changed: with an Application connection the stored Client Secret",
    );
    expect(plan.sensitive).toBe(true);
    const retyped = planSecrets(
      submit({ smtpHost: "listener.evil.test", msClientSecret: "new-secret-value" }, app),
      app,
    );
    expect(retyped.errors).toEqual({});
  });

  it("switching a role to Application is a sensitive change; a Delegated role's host change is not the secret's business", () => {
    const delegated = { ...app, smtpConnectionType: "delegated", imapConnectionType: "delegated" };
    expect(planSecrets(submit({ smtpConnectionType: "application" }, delegated), delegated)).toMatchObject({
      errors: {},
      sensitive: true,
    });
    expect(planSecrets(submit({ imapHost: "other.contoso.com" }, delegated), delegated).errors).toEqual({});
  });
});
