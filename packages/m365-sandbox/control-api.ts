import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "./context";
import { appOnlyRoute } from "./control-app-only";
import { certificateRoute, publicCertificate } from "./control-certificates";
import { ControlError, faultRoute } from "./control-faults";
import { appOf, bool, type Json, mailboxOf, num, str, strings, tenantOf, userOf } from "./control-input";
import { policyRoute } from "./control-policies";
import { readBody, sendJson } from "./identity/http";
import { parseScopeParam, isScopeError, OUTLOOK_RESOURCE } from "./scopes";
import {
  newFolders,
  type AppRecord,
  type AppSecretRecord,
  type MailboxRecord,
  type StoredMessage,
  type TenantRecord,
  type UserRecord,
} from "./store";
import { isLoopback, newGuid, normalizeAddress, randomToken } from "./util";

/**
 * The sandbox's control API: JSON over the identity server's HTTPS port under `/_sandbox/`,
 * answered only to loopback clients. `control-client.ts` is its typed client; the request and
 * response types live there.
 */

function publicUser(u: UserRecord): Json {
  return {
    id: u.id,
    tenantId: u.tenantId,
    email: u.userPrincipalName,
    displayName: u.displayName,
    isAdmin: u.isAdmin,
    accountEnabled: u.accountEnabled,
    tokensValidFrom: u.tokensValidFrom,
  };
}

function publicMailbox(ctx: SandboxContext, m: MailboxRecord): Json {
  const emails = (ids: string[]) => ids.map((id) => ctx.store.userById(id)?.userPrincipalName ?? id);
  return {
    email: m.address,
    tenantId: m.tenantId,
    type: m.type,
    owner: m.ownerUserId ? (ctx.store.userById(m.ownerUserId)?.userPrincipalName ?? null) : null,
    displayName: m.displayName,
    smtpClientAuthenticationDisabled: m.smtpClientAuthenticationDisabled,
    smtpAuthEnabled: ctx.store.smtpAuthEnabled(m),
    imapEnabled: m.imapEnabled,
    passwordAuthEnabled: m.passwordAuthEnabled,
    fullAccess: emails(m.fullAccess),
    sendAs: emails(m.sendAs),
    folders: m.folders.map((f) => ({ name: f.name, messages: f.messages.length })),
  };
}

function publicApp(a: AppRecord): Json {
  return {
    clientId: a.clientId,
    tenantId: a.tenantId,
    displayName: a.displayName,
    signInAudience: a.signInAudience,
    redirectUris: a.redirectUris,
    secrets: a.secrets.map((s) => ({
      id: s.id,
      displayName: s.displayName,
      expiresAt: s.expiresAt,
      hint: s.value.slice(0, 3),
    })),
    certificates: (a.certificates ?? []).map(publicCertificate),
    requiredScopes: a.requiredScopes,
    userConsentAllowed: a.userConsentAllowed,
    adminConsentedScopes: a.adminConsentedScopes,
    userConsents: a.userConsents,
  };
}

function headerValue(raw: string, name: string): string | null {
  const headerEnd = raw.search(/\r?\n\r?\n/);
  const head = (headerEnd >= 0 ? raw.slice(0, headerEnd) : raw).replace(/\r?\n[ \t]+/g, " ");
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, "im");
  const m = re.exec(head);
  return m?.[1]?.trim() ?? null;
}

function publicMessage(m: StoredMessage): Json {
  const raw = Buffer.from(m.raw, "base64").toString("utf8");
  return {
    uid: m.uid,
    flags: m.flags,
    internalDate: m.internalDate,
    subject: headerValue(raw, "Subject"),
    from: headerValue(raw, "From"),
    to: headerValue(raw, "To"),
    messageId: headerValue(raw, "Message-ID"),
    raw,
  };
}

function addSecret(app: AppRecord, value?: string, expiresAt?: string): AppSecretRecord {
  const secret = {
    id: newGuid(),
    value: value ?? `${randomToken(3).slice(0, 3)}8Q~${randomToken(28)}`,
    displayName: "control-api",
    expiresAt: expiresAt ?? new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString(),
  };
  app.secrets.push(secret);
  return secret;
}

async function dispatch(
  ctx: SandboxContext,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Json,
): Promise<unknown> {
  const store = ctx.store;
  const segs = path.split("/").filter(Boolean).slice(1).map(decodeURIComponent); // drop "_sandbox"
  const [a, b, c] = segs;
  const route = `${method} ${a ?? ""}${b !== undefined ? "/:b" : ""}${c !== undefined ? `/${c}` : ""}`;

  switch (route) {
    case "GET info":
      return {
        authorityOrigin: ctx.origin,
        smtp: { host: ctx.endpoints.host, port: ctx.endpoints.smtpPort },
        imap: { host: ctx.endpoints.host, port: ctx.endpoints.imapPort },
        dataDir: store.dataDir,
        caCertFile: ctx.tls.caCertFile,
        caBundleFile: ctx.tls.caBundleFile,
      };
    case "GET state":
      return {
        tenants: store.data.tenants,
        users: store.data.users.map(publicUser),
        mailboxes: store.data.mailboxes.map((m) => publicMailbox(ctx, m)),
        apps: store.data.apps.map(publicApp),
      };
    case "POST reset":
      ctx.resetRuntime();
      ctx.reseed(strings(body, "appRedirectUris"));
      return { ok: true };

    // ---- tenants -----------------------------------------------------------------------------
    case "POST tenants": {
      const domains = strings(body, "domains");
      if (!domains || domains.length === 0) throw new ControlError(400, "missing 'domains'");
      const id = str(body, "id") ?? newGuid();
      if (store.tenantByIdOrDomain(id) || domains.some((d) => store.tenantByIdOrDomain(d)))
        throw new ControlError(409, "tenant exists");
      const tenant: TenantRecord = {
        id,
        displayName: str(body, "displayName") ?? domains[0] ?? id,
        domains,
        smtpClientAuthenticationDisabled: bool(body, "smtpClientAuthenticationDisabled") ?? false,
      };
      store.data.tenants.push(tenant);
      store.save();
      return tenant;
    }
    case "PATCH tenants/:b": {
      const tenant = tenantOf(ctx, b);
      const disabled = bool(body, "smtpClientAuthenticationDisabled");
      if (disabled !== undefined) tenant.smtpClientAuthenticationDisabled = disabled;
      store.save();
      return tenant;
    }

    // ---- users -------------------------------------------------------------------------------
    case "POST users": {
      const email = normalizeAddress(str(body, "email", true));
      if (store.userByUpn(email) || store.mailbox(email)) throw new ControlError(409, `exists: ${email}`);
      const tenant = tenantOf(ctx, str(body, "tenantId") ?? store.tenantForDomain(email.split("@")[1] ?? "")?.id);
      const user: UserRecord = {
        id: str(body, "id") ?? newGuid(),
        tenantId: tenant.id,
        userPrincipalName: email,
        displayName: str(body, "displayName") ?? email.split("@")[0] ?? email,
        password: str(body, "password", true),
        isAdmin: bool(body, "isAdmin") ?? false,
        accountEnabled: true,
        tokensValidFrom: null,
      };
      store.data.users.push(user);
      if (bool(body, "mailbox") !== false) {
        store.data.mailboxes.push({
          address: email,
          tenantId: tenant.id,
          type: "user",
          ownerUserId: user.id,
          displayName: user.displayName,
          smtpClientAuthenticationDisabled: null,
          imapEnabled: true,
          passwordAuthEnabled: false,
          fullAccess: [],
          sendAs: [],
          folders: newFolders(),
        });
      }
      store.save();
      return publicUser(user);
    }
    case "PATCH users/:b": {
      const user = userOf(ctx, b ?? "");
      const password = str(body, "password");
      if (password !== undefined) user.password = password;
      const enabled = bool(body, "accountEnabled");
      if (enabled !== undefined) user.accountEnabled = enabled;
      const isAdmin = bool(body, "isAdmin");
      if (isAdmin !== undefined) user.isAdmin = isAdmin;
      store.save();
      return publicUser(user);
    }
    case "POST users/:b/revoke-sessions": {
      // Like revokeSignInSessions: refresh tokens issued before now stop working (AADSTS50173).
      const user = userOf(ctx, b ?? "");
      user.tokensValidFrom = new Date(Date.now() + 1).toISOString();
      store.save();
      await new Promise((r) => setTimeout(r, 2));
      for (const s of ctx.sessions.values()) s.accounts = s.accounts.filter((x) => x.userId !== user.id);
      return publicUser(user);
    }

    // ---- refresh tokens ------------------------------------------------------------------------
    case "POST refresh-tokens/:b": {
      if (b !== "inactive") throw new ControlError(404, "unknown route");
      const email = str(body, "user");
      const fingerprint = str(body, "fingerprint");
      const user = email ? userOf(ctx, email) : undefined;
      let count = 0;
      for (const t of store.data.refreshTokens) {
        if (
          (user && t.userId === user.id) ||
          (fingerprint && t.fingerprint === fingerprint) ||
          (!user && !fingerprint)
        ) {
          t.inactive = true;
          count++;
        }
      }
      store.save();
      return { count };
    }
    case "GET refresh-tokens": {
      return store.data.refreshTokens.map((t) => ({
        fingerprint: t.fingerprint,
        familyId: t.familyId,
        sequence: t.sequence,
        user: store.userById(t.userId)?.userPrincipalName ?? t.userId,
        clientId: t.clientId,
        issuedAt: t.issuedAt,
        lastUsedAt: t.lastUsedAt,
        inactive: t.inactive,
      }));
    }

    // ---- mailboxes ------------------------------------------------------------------------------
    case "POST mailboxes": {
      const email = normalizeAddress(str(body, "email", true));
      if (store.mailbox(email) || store.userByUpn(email)) throw new ControlError(409, `exists: ${email}`);
      const tenant = tenantOf(ctx, str(body, "tenantId") ?? store.tenantForDomain(email.split("@")[1] ?? "")?.id);
      const mailbox: MailboxRecord = {
        address: email,
        tenantId: tenant.id,
        type: "shared",
        ownerUserId: null,
        displayName: str(body, "displayName") ?? email,
        smtpClientAuthenticationDisabled: null,
        imapEnabled: true,
        passwordAuthEnabled: false,
        fullAccess: [],
        sendAs: [],
        folders: newFolders(),
      };
      store.data.mailboxes.push(mailbox);
      store.save();
      return publicMailbox(ctx, mailbox);
    }
    case "GET mailboxes/:b":
      return publicMailbox(ctx, mailboxOf(ctx, b ?? ""));
    case "PATCH mailboxes/:b": {
      const mailbox = mailboxOf(ctx, b ?? "");
      if ("smtpClientAuthenticationDisabled" in body) {
        const v = body.smtpClientAuthenticationDisabled;
        if (v !== null && typeof v !== "boolean")
          throw new ControlError(400, "'smtpClientAuthenticationDisabled' must be boolean or null");
        mailbox.smtpClientAuthenticationDisabled = v;
      }
      const imap = bool(body, "imapEnabled");
      if (imap !== undefined) mailbox.imapEnabled = imap;
      const pw = bool(body, "passwordAuthEnabled");
      if (pw !== undefined) mailbox.passwordAuthEnabled = pw;
      store.save();
      return publicMailbox(ctx, mailbox);
    }
    case "POST mailboxes/:b/permissions": {
      const mailbox = mailboxOf(ctx, b ?? "");
      const user = userOf(ctx, str(body, "user", true));
      const set = (list: string[], on: boolean | undefined): string[] =>
        on === undefined ? list : on ? [...new Set([...list, user.id])] : list.filter((x) => x !== user.id);
      mailbox.fullAccess = set(mailbox.fullAccess, bool(body, "fullAccess"));
      mailbox.sendAs = set(mailbox.sendAs, bool(body, "sendAs"));
      store.save();
      return publicMailbox(ctx, mailbox);
    }
    case "GET mailboxes/:b/messages": {
      const mailbox = mailboxOf(ctx, b ?? "");
      const folderName = query.get("folder") ?? "INBOX";
      const folder = mailbox.folders.find((f) => f.name.toLowerCase() === folderName.toLowerCase());
      if (!folder) throw new ControlError(404, `folder not found: ${folderName}`);
      return folder.messages.map(publicMessage);
    }
    case "POST mailboxes/:b/messages": {
      const mailbox = mailboxOf(ctx, b ?? "");
      const raw = str(body, "raw", true);
      const uid = store.deliver(
        mailbox,
        str(body, "folder") ?? "INBOX",
        Buffer.from(raw.replace(/\r?\n/g, "\r\n"), "utf8"),
        strings(body, "flags") ?? [],
      );
      store.save();
      return { uid };
    }
    case "GET outbox":
      return store.data.outbox.map((m) => ({ ...m, raw: Buffer.from(m.raw, "base64").toString("utf8") }));

    // ---- apps ------------------------------------------------------------------------------------
    case "POST apps": {
      const tenant = tenantOf(ctx, str(body, "tenantId"));
      const clientId = str(body, "clientId") ?? newGuid();
      if (store.app(clientId)) throw new ControlError(409, `app exists: ${clientId}`);
      const requiredScopes = strings(body, "requiredScopes") ?? [
        `${OUTLOOK_RESOURCE}/SMTP.Send`,
        `${OUTLOOK_RESOURCE}/IMAP.AccessAsUser.All`,
        "https://graph.microsoft.com/User.Read",
      ];
      const audience = str(body, "signInAudience");
      if (audience !== undefined && audience !== "AzureADMyOrg" && audience !== "AzureADMultipleOrgs")
        throw new ControlError(400, "bad signInAudience");
      const app: AppRecord = {
        clientId,
        tenantId: tenant.id,
        displayName: str(body, "displayName") ?? "Test app",
        signInAudience: audience ?? "AzureADMyOrg",
        redirectUris: strings(body, "redirectUris") ?? [],
        secrets: [],
        requiredScopes,
        userConsentAllowed: bool(body, "userConsentAllowed") ?? true,
        adminConsentedScopes: bool(body, "consentGranted") === false ? [] : [...requiredScopes],
        userConsents: {},
      };
      const secret = addSecret(app, str(body, "secretValue"), str(body, "secretExpiresAt"));
      store.data.apps.push(app);
      store.save();
      return { ...publicApp(app), secretId: secret.id, secretValue: secret.value };
    }
    case "GET apps/:b":
      return publicApp(appOf(ctx, b ?? ""));
    case "PATCH apps/:b": {
      const app = appOf(ctx, b ?? "");
      const uris = strings(body, "redirectUris");
      if (uris) app.redirectUris = uris;
      const uca = bool(body, "userConsentAllowed");
      if (uca !== undefined) app.userConsentAllowed = uca;
      const granted = bool(body, "consentGranted");
      if (granted !== undefined) app.adminConsentedScopes = granted ? [...app.requiredScopes] : [];
      const audience = str(body, "signInAudience");
      if (audience === "AzureADMyOrg" || audience === "AzureADMultipleOrgs") app.signInAudience = audience;
      const required = strings(body, "requiredScopes");
      if (required) app.requiredScopes = required;
      store.save();
      return publicApp(app);
    }
    case "POST apps/:b/secrets": {
      const app = appOf(ctx, b ?? "");
      const secret = addSecret(app, str(body, "value"), str(body, "expiresAt"));
      if (bool(body, "replace")) app.secrets = [secret];
      store.save();
      return secret;
    }
    case "POST apps/:b/revoke-consent": {
      const app = appOf(ctx, b ?? "");
      const email = str(body, "user");
      if (email) delete app.userConsents[userOf(ctx, email).id];
      else {
        app.userConsents = {};
        app.adminConsentedScopes = [];
      }
      store.save();
      return publicApp(app);
    }

    // ---- behaviour ------------------------------------------------------------------------------
    case "PUT latency": {
      ctx.latency = {
        http: num(body, "http") ?? ctx.latency.http,
        smtp: num(body, "smtp") ?? ctx.latency.smtp,
        imap: num(body, "imap") ?? ctx.latency.imap,
      };
      return ctx.latency;
    }
    case "PUT access-token-lifetime": {
      const seconds = num(body, "seconds");
      if (seconds === undefined || seconds < 1) throw new ControlError(400, "'seconds' must be >= 1");
      ctx.accessTokenLifetimeSeconds = Math.floor(seconds);
      return { seconds: ctx.accessTokenLifetimeSeconds };
    }
    case "GET token-calls":
      return ctx.tokenCalls;
    case "DELETE token-calls":
      ctx.tokenCalls = [];
      return { ok: true };
    case "POST sessions/:b": {
      if (b !== "clear") throw new ControlError(404, "unknown route");
      ctx.sessions.clear();
      return { ok: true };
    }
    case "POST access-tokens": {
      // Mint an access token directly (tests of SMTP/IMAP that do not need the browser flow).
      const user = userOf(ctx, str(body, "user", true));
      const scopeParam = (strings(body, "scopes") ?? []).join(" ");
      const parsed = parseScopeParam(scopeParam);
      if (isScopeError(parsed)) throw new ControlError(400, `bad scopes: ${parsed.kind}`);
      const now = Math.floor(Date.now() / 1000);
      const lifetime =
        body.expiresInSeconds === undefined ? ctx.accessTokenLifetimeSeconds : Number(body.expiresInSeconds);
      const token = ctx.signer.sign({
        aud: str(body, "audience") ?? parsed.audience,
        iss: ctx.accessTokenIssuer(user.tenantId),
        iat: now - (lifetime < 0 ? 3600 : 0),
        nbf: now - (lifetime < 0 ? 3600 : 0),
        exp: now + lifetime,
        appid: str(body, "clientId") ?? store.data.apps[0]?.clientId ?? newGuid(),
        name: user.displayName,
        oid: user.id,
        preferred_username: user.userPrincipalName,
        scp: parsed.permissions.join(" "),
        tid: user.tenantId,
        unique_name: user.userPrincipalName,
        upn: user.userPrincipalName,
        ver: "1.0",
      });
      return { accessToken: token };
    }
    default: {
      const answer =
        certificateRoute(ctx, route, b, body) ??
        faultRoute(ctx, route, body) ??
        appOnlyRoute(ctx, route, segs, body) ??
        (await policyRoute(ctx, route, b, body));
      if (answer === undefined) throw new ControlError(404, `unknown control route: ${method} ${path}`);
      return answer;
    }
  }
}

export async function handleControl(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    sendJson(res, 403, { error: "the control API answers loopback clients only" });
    return;
  }
  try {
    // large enough for `deliver` of a message the size Exchange Online accepts (35 MB; loopback clients only)
    const text = await readBody(req, 48 * 1024 * 1024);
    let body: Json = {};
    if (text) {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
        throw new ControlError(400, "body must be a JSON object");
      body = parsed as Json;
    }
    const result = await dispatch(ctx, req.method ?? "GET", path, query, body);
    sendJson(res, 200, result ?? { ok: true });
  } catch (err) {
    if (err instanceof ControlError) sendJson(res, err.status, { error: err.message });
    else if (err instanceof SyntaxError) sendJson(res, 400, { error: `invalid JSON: ${err.message}` });
    else throw err;
  }
}
