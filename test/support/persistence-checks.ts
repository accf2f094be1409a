import { expect } from "vitest";
import type { Db } from "@/lib/db/client";

/**
 * Every model and field through the generated client (shared by the SQLite and PostgreSQL
 * persistence tests): if a schema and its migrations drift apart, a create or read below fails.
 */
export async function exerciseEveryModel(db: Db): Promise<void> {
  const now = new Date();
  const user = await db.user.create({
    data: {
      id: "u1",
      name: "Admin",
      email: "admin@contoso.com",
      emailVerified: true,
      image: null,
      createdById: null,
      createdByEmail: null,
      lastSignInAt: now,
      mustChangePassword: true,
      twoFactorEnabled: true,
    },
  });
  const invitation = await db.adminInvitation.create({
    data: {
      tokenHash: "th",
      email: "new@contoso.com",
      createdById: user.id,
      createdByEmail: user.email,
      expiresAt: now,
      usedAt: now,
      revokedAt: null,
      userId: user.id,
    },
  });
  expect(await db.adminInvitation.findUnique({ where: { tokenHash: "th" } })).toEqual(invitation);
  expect((await db.user.findUniqueOrThrow({ where: { id: "u1" } })).mustChangePassword).toBe(true);
  await db.session.create({
    data: {
      id: "s1",
      token: "t1",
      expiresAt: now,
      userId: user.id,
      ipAddress: "127.0.0.1",
      userAgent: "test",
      lastActiveAt: now,
    },
  });
  await db.twoFactor.create({
    data: { id: "tf1", secret: "enc", backupCodes: "enc", userId: user.id, verified: true, lockedUntil: now },
  });
  await db.signInBackoff.create({ data: { emailHash: "eh", failures: 6, lastFailureAt: now } });
  await db.account.create({
    data: {
      id: "a1",
      accountId: "u1",
      providerId: "credential",
      userId: user.id,
      password: "hash",
      accessToken: null,
      refreshToken: null,
      idToken: null,
      accessTokenExpiresAt: now,
      refreshTokenExpiresAt: now,
      scope: "x",
    },
  });
  await db.verification.create({ data: { id: "v1", identifier: "i", value: "v", expiresAt: now } });
  await db.rateLimit.create({ data: { id: "r1", key: "k", count: 1, lastRequest: BigInt(Date.now()) } });
  await db.setupCode.create({ data: { codeHash: "h", usedAt: now } });
  await db.generalSettings.create({
    data: { serverBaseUrl: "https://a.contoso.com", updatedBy: "x", requireTwoFactor: true },
  });
  await db.emailSettings.create({
    data: {
      smtpAuthType: "microsoft",
      smtpHost: "smtp.office365.com",
      smtpPort: 587,
      smtpSecurity: "starttls",
      smtpUser: "m@c.com",
      smtpFrom: "f@c.com",
      smtpPasswordEnc: "e",
      smtpSignInAs: "d@c.com",
      imapUser: "a@c.com",
      imapHost: "outlook.office365.com",
      imapPort: 993,
      imapSecurity: "tls",
      imapAuthType: "microsoft",
      imapPasswordEnc: "e",
      imapSignInAs: "d@c.com",
      msClientId: "id",
      msClientSecretEnc: "e",
      msClientSecretExpiresAt: now,
      msTenantId: "t",
      msCloud: "custom",
      customAuthority: "https://x",
      customOutlookResource: "https://y",
      connectTimeoutMs: 1000,
      overallTimeoutMs: 2000,
      updatedBy: "x",
    },
  });
  await db.oAuthConnection.create({
    data: {
      account: "m@c.com",
      username: "m@c.com",
      homeAccountId: "h",
      tenantId: "t",
      scopes: "s",
      cacheEnc: "c",
      authorizedAt: now,
      authorizedBy: "x",
      lastRefreshAt: now,
      status: "needs_reauth",
      lastError: "e",
      lastErrorCode: "50173",
      lastErrorAt: now,
      notifiedAt: now,
      smtpHost: "smtp.office365.com",
      imapHost: "outlook.office365.com",
      signInFrequencySeconds: 86_400,
    },
  });
  await db.passwordConfirmation.create({ data: { sessionId: "s1", confirmedAt: now } });
  await db.oAuthState.create({
    data: {
      stateHash: "sh",
      verifierEnc: "v",
      nonce: "n",
      account: "m@c.com",
      roles: "smtp",
      userId: "u1",
      sessionHash: "h",
      expiresAt: now,
      usedAt: now,
      acceptAccount: "alias@c.com",
      result: "{}",
    },
  });
  await db.emailTestRun.create({
    data: { userId: "u1", userEmail: "admin@contoso.com", ok: true, durationMs: 5, resultsJson: "[]" },
  });
  await db.auditEvent.create({ data: { actorId: "u1", actorEmail: "a", action: "x", target: "t", details: "{}" } });
  await db.lease.create({ data: { name: "refresh", holder: "me", expiresAt: now } });

  const settings = await db.emailSettings.findUniqueOrThrow({ where: { id: 1 } });
  expect(settings.customOutlookResource).toBe("https://y");
  expect(settings.msClientSecretExpiresAt?.getTime()).toBe(now.getTime());
  expect(await db.oAuthConnection.findUniqueOrThrow({ where: { account: "m@c.com" } })).toMatchObject({
    lastErrorCode: "50173",
    smtpHost: "smtp.office365.com",
    imapHost: "outlook.office365.com",
    signInFrequencySeconds: 86_400,
  });
  expect((await db.oAuthState.findUniqueOrThrow({ where: { stateHash: "sh" } })).acceptAccount).toBe("alias@c.com");
  expect((await db.session.findUniqueOrThrow({ where: { token: "t1" } })).expiresAt.getTime()).toBe(now.getTime());
  expect((await db.rateLimit.findUniqueOrThrow({ where: { key: "k" } })).count).toBe(1);
  expect((await db.session.findUniqueOrThrow({ where: { token: "t1" } })).lastActiveAt?.getTime()).toBe(now.getTime());
  expect(await db.user.findUniqueOrThrow({ where: { id: "u1" } })).toMatchObject({ twoFactorEnabled: true });
  expect(await db.twoFactor.findFirstOrThrow({ where: { userId: "u1" } })).toMatchObject({
    failedVerificationCount: 0,
    verified: true,
  });
  expect((await db.signInBackoff.findUniqueOrThrow({ where: { emailHash: "eh" } })).failures).toBe(6);
  expect((await db.generalSettings.findUniqueOrThrow({ where: { id: 1 } })).requireTwoFactor).toBe(true);
  // the health monitor and its alerts (lib/monitor, lib/alerts)
  await db.monitorSettings.create({
    data: {
      id: 1,
      intervalMinutes: 15,
      webhookUrl: "https://hooks.example.com/x",
      webhookSecretEnc: "v1.a.b.c",
      version: 1,
      updatedBy: "a@c.com",
    },
  });
  await db.mailboxHealth.create({
    data: {
      role: "smtp",
      mailbox: "m@c.com",
      status: "failing",
      since: now,
      lastCheckAt: now,
      lastSummary: "s",
      lastAlertAt: now,
      alertsPaused: true,
    },
  });
  await db.healthCheck.create({
    data: {
      createdAt: now,
      role: "smtp",
      mailbox: "m@c.com",
      ok: false,
      durationMs: 12,
      summary: "s",
      hint: null,
      cards: "[]",
      instance: "i",
    },
  });
  const alert = await db.alertEvent.create({ data: { kind: "mailbox.failing", target: "m@c.com", summary: "s" } });
  await db.alertDelivery.create({
    data: { eventId: alert.id, channel: "webhook", ok: true, attempts: 3, detail: "d" },
  });
  expect(await db.mailboxHealth.findUniqueOrThrow({ where: { role: "smtp" } })).toMatchObject({
    alertsPaused: true,
    status: "failing",
  });
  expect((await db.healthCheck.findFirstOrThrow({ where: { role: "smtp", createdAt: { gte: now } } })).ok).toBe(false);
  expect(
    (await db.alertEvent.findUniqueOrThrow({ where: { id: alert.id }, include: { deliveries: true } })).deliveries,
  ).toHaveLength(1);
  expect((await db.monitorSettings.findUniqueOrThrow({ where: { id: 1 } })).intervalMinutes).toBe(15);
  await db.alertEvent.delete({ where: { id: alert.id } });
  expect(await db.alertDelivery.count()).toBe(0); // cascades with its event
  const counts = await Promise.all([
    db.user.count(),
    db.session.count(),
    db.account.count(),
    db.verification.count(),
    db.rateLimit.count(),
    db.setupCode.count(),
    db.generalSettings.count(),
    db.emailSettings.count(),
    db.oAuthConnection.count(),
    db.oAuthState.count(),
    db.emailTestRun.count(),
    db.auditEvent.count(),
    db.lease.count(),
    db.passwordConfirmation.count(),
    db.twoFactor.count(),
    db.signInBackoff.count(),
  ]);
  expect(counts).toEqual(Array(16).fill(1));
  await db.user.delete({ where: { id: "u1" } });
  expect(await db.session.count()).toBe(0); // cascades like the schema says
  expect(await db.passwordConfirmation.count()).toBe(0); // with the session
  expect(await db.twoFactor.count()).toBe(0); // with the user
}
