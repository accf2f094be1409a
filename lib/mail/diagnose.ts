import type { CardLink, PhaseName } from "@/lib/mail/types";

/**
 * Server reply (or network error) → what it means and how to fix it. Every diagnosis names the
 * host, port, mailbox or account concerned, so the administrator does not have to guess which
 * field is wrong. Pure functions: the checks feed them a normalized failure.
 */

export type Protocol = "smtp" | "imap";

export type MailFailure = {
  /** Node/nodemailer/imapflow error code (ENOTFOUND, ECONNREFUSED, ETIMEDOUT, CERT_HAS_EXPIRED, EAUTH, …). */
  code?: string;
  message: string;
  /** The server's reply that caused the failure, if any (e.g. "535 5.7.3 Authentication unsuccessful"). */
  response?: string | null;
  /** Where the check stopped. */
  phase: PhaseName;
  /** Which timeout fired, if any. */
  timeout?: "connect" | "greeting" | "overall";
};

export type DiagnosisContext = {
  protocol: Protocol;
  host: string;
  port: number;
  security: string;
  authType: "microsoft" | "password" | "none";
  /** SMTP user / Approval Reply Address: the mailbox named in `user=`. */
  mailbox: string;
  /** SMTP: the From address. */
  from?: string;
  /** The Microsoft account the token belongs to (who signed in), when known. */
  tokenAccount?: string | null;
  connectTimeoutMs: number;
  overallTimeoutMs: number;
};

export type Diagnosis = { summary: string; hint: string; links: CardLink[]; reauthorize?: Protocol };

export const FIELD = (name: string) => `/settings/email#${name}`;

const CERT_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
]);

const MS_DEFAULTS = {
  smtp: "smtp.office365.com port 587 with STARTTLS",
  imap: "outlook.office365.com port 993 with TLS",
} as const;

function fields(
  ctx: DiagnosisContext,
  ...names: Array<"host" | "port" | "security" | "user" | "from" | "password">
): CardLink[] {
  const p = ctx.protocol;
  const map = {
    host: { label: `${p.toUpperCase()} host`, href: FIELD(`${p}Host`) },
    port: { label: `${p.toUpperCase()} port`, href: FIELD(`${p}Port`) },
    security: { label: `${p.toUpperCase()} security`, href: FIELD(`${p}Security`) },
    user:
      p === "smtp"
        ? { label: "SMTP user", href: FIELD("smtpUser") }
        : { label: "Approval Reply Address", href: FIELD("imapUser") },
    from: { label: "From address", href: FIELD("smtpFrom") },
    password: { label: `${p.toUpperCase()} password`, href: FIELD(`${p}Password`) },
  } as const;
  return names.map((n) => map[n]);
}

function secs(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Network and TLS failures: the same for SMTP and IMAP. Null when the failure is not one of these. */
export function diagnoseConnection(f: MailFailure, ctx: DiagnosisContext): Diagnosis | null {
  const where = `${ctx.host}:${ctx.port}`;
  const code = f.code ?? "";
  const msg = f.message;

  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EDNS" || /getaddrinfo|ENOTFOUND|EAI_AGAIN/.test(msg)) {
    return {
      summary: `DNS failure: the host name ${ctx.host} cannot be resolved.`,
      hint:
        `The ${ctx.protocol.toUpperCase()} host ${ctx.host} does not resolve from this server. Check the host name for typos ` +
        `(Microsoft 365: ${MS_DEFAULTS[ctx.protocol]}), and that this server can reach a DNS resolver (a container or a ` +
        `locked-down network may have none).`,
      links: fields(ctx, "host"),
    };
  }
  if (code === "ECONNREFUSED" || /ECONNREFUSED/.test(msg)) {
    return {
      summary: `Connection refused by ${where}.`,
      hint:
        `Nothing accepts connections on ${where}, or a firewall actively rejects them. Check the port: ` +
        (ctx.protocol === "smtp"
          ? "SMTP submission is 587 with STARTTLS (465 with TLS); 25 is for server-to-server mail."
          : "IMAP is 993 with TLS (143 with STARTTLS).") +
        ` Microsoft 365: ${MS_DEFAULTS[ctx.protocol]}.`,
      links: fields(ctx, "host", "port"),
    };
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "ECONNRESET" || code === "EPIPE") {
    return {
      summary: `The connection to ${where} failed (${code}).`,
      hint:
        code === "ECONNRESET" || code === "EPIPE"
          ? `${where} closed the connection unexpectedly. A firewall or proxy may be interfering, or the security setting does not match the port (TLS on a STARTTLS port or the other way round).`
          : `There is no network route from this server to ${where}. Check the host name and the outbound firewall rules.`,
      links: fields(ctx, "host", "port", "security"),
    };
  }
  if (f.timeout === "connect") {
    return {
      summary: `Timeout: no connection to ${where} within ${secs(ctx.connectTimeoutMs)}.`,
      hint:
        `The connection to ${where} could not be established within the connect timeout. The host may be down, ` +
        `or a firewall silently drops the traffic (many networks and cloud providers block outbound mail ports). ` +
        `Check the host and port, and that this server may connect out to ${where}.`,
      links: [...fields(ctx, "host", "port"), { label: "Connect timeout", href: FIELD("connectTimeoutSeconds") }],
    };
  }
  if (f.timeout === "greeting") {
    return {
      summary: `Timeout: ${where} accepted the connection but never answered (no greeting within ${secs(ctx.connectTimeoutMs)}).`,
      hint:
        `Something listens on ${where} but does not speak ${ctx.protocol.toUpperCase()}, or waits for a TLS handshake: ` +
        `the security setting probably does not match the port (${ctx.security === "tls" ? "TLS selected on a port that expects STARTTLS or plain text" : "STARTTLS or none selected on a port that expects TLS from the start, e.g. 465 or 993"}). ` +
        `A proxy or firewall that intercepts the port has the same symptom. Microsoft 365: ${MS_DEFAULTS[ctx.protocol]}.`,
      links: fields(ctx, "port", "security"),
    };
  }
  if (f.timeout === "overall") {
    return {
      summary: `Timeout: the ${ctx.protocol.toUpperCase()} check did not finish within ${secs(ctx.overallTimeoutMs)} (stopped during ${f.phase}).`,
      hint:
        `${where} answered, but too slowly: the check stopped during "${f.phase}". The server may be overloaded or throttling ` +
        `this client; try again, or raise the overall timeout if the server is known to be slow.`,
      links: [{ label: "Overall timeout", href: FIELD("overallTimeoutSeconds") }],
    };
  }
  const certCode = CERT_CODES.has(code)
    ? code
    : ([...CERT_CODES].find((c) => msg.includes(c)) ??
      (/certificate|self[- ]signed|altnames/i.test(msg) ? "CERTIFICATE" : null));
  if (certCode) {
    const nameProblem =
      certCode === "ERR_TLS_CERT_ALTNAME_INVALID" ||
      certCode === "HOSTNAME_MISMATCH" ||
      /altnames|does not match/i.test(msg);
    return {
      summary: `TLS certificate error: the certificate of ${where} is not trusted (${certCode}).`,
      hint: nameProblem
        ? `The certificate presented by ${where} is not valid for the name ${ctx.host}. Use the host name the certificate is issued for ` +
          `(Microsoft 365: ${MS_DEFAULTS[ctx.protocol]}), not an IP address or an alias.`
        : certCode === "CERT_HAS_EXPIRED" || certCode === "CERT_NOT_YET_VALID"
          ? `The certificate of ${where} is outside its validity period. Check this server's clock; if the clock is right, the mail server's certificate must be renewed.`
          : `The certificate of ${where} is not signed by a certificate authority this server trusts. If a proxy inspects TLS or the ` +
            `mail server uses a private CA, add that CA to this server's trust store (NODE_EXTRA_CA_CERTS) and restart. ` +
            `Do not turn certificate verification off: the token or password would go to whoever answers.`,
      links: fields(ctx, "host"),
    };
  }
  if (
    /wrong version number|packet length too long|unknown protocol|EPROTO|ssl3_get_record|tlsv1 alert|handshake/i.test(
      `${code} ${msg}`,
    )
  ) {
    return {
      summary: `TLS handshake with ${where} failed.`,
      hint:
        `The TLS handshake failed (${msg.slice(0, 120)}). Usually the security setting does not match the port: ` +
        `TLS (implicit) is for ${ctx.protocol === "smtp" ? "465" : "993"}, STARTTLS for ${ctx.protocol === "smtp" ? "587" : "143"}. ` +
        `Microsoft 365: ${MS_DEFAULTS[ctx.protocol]}.`,
      links: fields(ctx, "port", "security"),
    };
  }
  return null;
}

/** The server does not offer STARTTLS although the settings require it. */
export function diagnoseStartTlsUnavailable(ctx: DiagnosisContext): Diagnosis {
  const where = `${ctx.host}:${ctx.port}`;
  return {
    summary: `STARTTLS unavailable: ${where} does not offer STARTTLS, so nothing was sent.`,
    hint:
      `The settings require STARTTLS, but ${where} does not offer it (or refused it). Credentials are never sent over an ` +
      `unencrypted connection. Use the port that supports STARTTLS (${ctx.protocol === "smtp" ? "587" : "143"}), or choose ` +
      `TLS (implicit) with port ${ctx.protocol === "smtp" ? "465" : "993"}. Microsoft 365: ${MS_DEFAULTS[ctx.protocol]}.`,
    links: fields(ctx, "port", "security"),
  };
}

function wrongUserSentence(ctx: DiagnosisContext): string {
  return ctx.tokenAccount && ctx.tokenAccount.toLowerCase() !== ctx.mailbox.toLowerCase()
    ? `The token belongs to ${ctx.tokenAccount}, the mailbox is ${ctx.mailbox}. `
    : "";
}

/** SMTP replies from Exchange Online (and generic servers). */
export function diagnoseSmtp(f: MailFailure, ctx: DiagnosisContext): Diagnosis {
  const network = diagnoseConnection(f, ctx);
  if (network) return network;
  const reply = f.response ?? "";
  const text = `${reply} ${f.message}`;

  if (/\b5\.7\.139\b/.test(text) || /SmtpClientAuthentication is disabled/i.test(text)) {
    const scope = /for the Mailbox/i.test(text)
      ? "this mailbox"
      : /for the Tenant/i.test(text)
        ? "the tenant"
        : "the tenant or this mailbox";
    return {
      summary: `SMTP AUTH is disabled for ${scope} (535 5.7.139): Microsoft 365 refuses authenticated SMTP for ${ctx.mailbox}.`,
      hint:
        `SMTP AUTH is off for ${scope}. Enable Authenticated SMTP for ${ctx.mailbox}: Microsoft 365 admin center → Users → ` +
        `Active users → ${ctx.mailbox} → Mail → Manage email apps → tick "Authenticated SMTP" → Save ` +
        `(PowerShell: Set-CASMailbox -Identity ${ctx.mailbox} -SmtpClientAuthenticationDisabled $false). ` +
        `Or tenant-wide: Exchange admin center → Settings → Mail flow → untick "Turn off SMTP AUTH protocol for your organization" ` +
        `(Set-TransportConfig -SmtpClientAuthenticationDisabled $false). The change can take up to an hour to apply. ` +
        `Security defaults in Entra ID also block SMTP AUTH.`,
      links: [{ label: "Microsoft: enable SMTP AUTH", href: "https://aka.ms/smtp_auth_disabled" }],
    };
  }
  if (/\b5\.7\.3\b/.test(text) || (/^535\b/.test(reply) && ctx.authType === "microsoft")) {
    if (ctx.authType === "password") {
      return {
        summary: `The server refused the user name and password for ${ctx.mailbox} (${reply.slice(0, 3) || "535"}).`,
        hint: `Check the SMTP user and password. Microsoft 365 no longer accepts passwords for SMTP in most tenants: use Microsoft OAuth.`,
        links: fields(ctx, "user", "password"),
      };
    }
    return {
      summary: `Token not valid for this mailbox: Microsoft refused the token for ${ctx.mailbox} (535 5.7.3 Authentication unsuccessful).`,
      hint:
        wrongUserSentence(ctx) +
        `The access token is not valid for the mailbox ${ctx.mailbox}. Usual causes: the wrong user was authorized ` +
        `(the token must belong to ${ctx.mailbox}, or to a delegate with Send As / Full Access on it); the app registration lacks ` +
        `the delegated permission SMTP.Send (Office 365 Exchange Online) or consent for it was not granted. Check API permissions ` +
        `in Azure, grant admin consent if needed, then Re-Authorize as ${ctx.mailbox}.`,
      links: fields(ctx, "user"),
      reauthorize: "smtp",
    };
  }
  if (/\b5\.7\.60\b/.test(text)) {
    return {
      summary: `${ctx.tokenAccount ?? ctx.mailbox} may not send as ${ctx.from} (550 5.7.60).`,
      hint:
        `The From address ${ctx.from} may not send as this account. Use the SMTP user (${ctx.mailbox}) as the From address ` +
        `(leave From blank), or grant Send As: Exchange admin center → Recipients → Mailboxes → ${ctx.from} → Delegation → ` +
        `Send as → add ${ctx.tokenAccount ?? ctx.mailbox} (PowerShell: Add-RecipientPermission -Identity ${ctx.from} -Trustee ` +
        `${ctx.tokenAccount ?? ctx.mailbox} -AccessRights SendAs).`,
      links: fields(ctx, "from", "user"),
    };
  }
  if (/\b5\.7\.57\b/.test(text)) {
    return {
      summary: `The server requires authentication to send (530/550 5.7.57).`,
      hint: `Microsoft 365 accepts mail submission only after AUTH: choose Microsoft OAuth as the SMTP auth type.`,
      links: [{ label: "SMTP auth type", href: FIELD("smtpAuthType") }],
    };
  }
  if (/\b5\.1\.(?:1|10)\b/.test(text) || /RecipientNotFound/i.test(text)) {
    return {
      summary: `The server refused the recipient of the test message (${reply.slice(0, 9)}).`,
      hint:
        `The test message goes to your own administrator address; the server says that address does not exist in its ` +
        `organization. Change your administrator email, or ask the mail administrator to create the mailbox.`,
      links: [],
    };
  }
  if (/^535\b|^534\b|^530\b/.test(reply) || f.code === "EAUTH") {
    return {
      summary: `Authentication failed for ${ctx.mailbox}: ${reply || f.message}`,
      hint:
        ctx.authType === "password"
          ? `Check the SMTP user and password.`
          : wrongUserSentence(ctx) +
            `Check the permissions of the app registration (SMTP.Send) and Re-Authorize as ${ctx.mailbox}.`,
      links: fields(ctx, "user", ...(ctx.authType === "password" ? (["password"] as const) : [])),
      reauthorize: ctx.authType === "microsoft" ? "smtp" : undefined,
    };
  }
  if (/^4\d\d\b/.test(reply)) {
    return {
      summary: `The server deferred the request (${reply.slice(0, 9)}): a temporary problem.`,
      hint: `Temporary failures (4xx) such as throttling usually pass: try again in a few minutes.`,
      links: [],
    };
  }
  return {
    summary: `SMTP failed during ${f.phase}: ${reply || f.message}`,
    hint: `See the server response below. Check the SMTP settings against your provider's documentation (Microsoft 365: ${MS_DEFAULTS.smtp}).`,
    links: fields(ctx, "host", "port", "security"),
  };
}

/** IMAP replies from Exchange Online (and generic servers). */
export function diagnoseImap(f: MailFailure, ctx: DiagnosisContext): Diagnosis {
  const network = diagnoseConnection(f, ctx);
  if (network) return network;
  const reply = f.response ?? "";
  const text = `${reply} ${f.message}`;

  if (/User is authenticated but not connected/i.test(text)) {
    const x = ctx.tokenAccount ?? "the signed-in account";
    return {
      summary: `Bad User is Authenticated But Not Connected: ${x} signed in, but the mailbox ${ctx.mailbox} could not be opened.`,
      hint:
        wrongUserSentence(ctx) +
        `Exchange accepted the sign-in but refused to connect it to ${ctx.mailbox}. Most often the wrong Microsoft account was ` +
        `authorized (a browser already signed in to Microsoft picks that account silently): sign out of Microsoft or use a ` +
        `private window, then Re-Authorize as ${ctx.mailbox}. If ${ctx.mailbox} is a shared mailbox, grant ${x} Full Access ` +
        `to it (Exchange admin center → Recipients → Mailboxes → ${ctx.mailbox} → Delegation → Read and manage) and set ` +
        `"Sign in as" to ${x}. It also happens when IMAP is disabled for ${ctx.mailbox} (Manage email apps → IMAP).`,
      links: [...fields(ctx, "user"), { label: "Sign in as", href: FIELD("imapSignInAs") }],
      reauthorize: ctx.authType === "microsoft" ? "imap" : undefined,
    };
  }
  if (/AUTHENTICATE failed/i.test(text)) {
    return {
      summary: `The IMAP server refused the token for ${ctx.mailbox} (NO AUTHENTICATE failed.).`,
      hint:
        wrongUserSentence(ctx) +
        `IMAP permission or consent is missing, or IMAP is disabled for the mailbox. The app registration needs the delegated ` +
        `permission IMAP.AccessAsUser.All of Office 365 Exchange Online (https://outlook.office.com/IMAP.AccessAsUser.All; a ` +
        `Microsoft Graph scope gives exactly this error) with consent granted. IMAP must be on for ${ctx.mailbox}: Microsoft 365 ` +
        `admin center → Users → ${ctx.mailbox} → Mail → Manage email apps → IMAP (Set-CASMailbox -Identity ${ctx.mailbox} ` +
        `-ImapEnabled $true). Then Re-Authorize.`,
      links: fields(ctx, "user"),
      reauthorize: ctx.authType === "microsoft" ? "imap" : undefined,
    };
  }
  if (
    /LOGIN failed|AUTHENTICATIONFAILED|Invalid credentials/i.test(text) ||
    (f.phase === "authenticate" && ctx.authType === "password")
  ) {
    return {
      summary: `The IMAP server refused the user name and password for ${ctx.mailbox}.`,
      hint: `Check the Approval Reply Address and the IMAP password. Microsoft 365 no longer accepts passwords for IMAP: use Microsoft OAuth.`,
      links: fields(ctx, "user", "password"),
    };
  }
  if (/STARTTLS/i.test(text) && /not support|unavailable|refused/i.test(text)) return diagnoseStartTlsUnavailable(ctx);
  if (f.phase === "SELECT INBOX") {
    return {
      summary: `Signed in, but INBOX of ${ctx.mailbox} could not be opened: ${reply || f.message}`,
      hint:
        wrongUserSentence(ctx) +
        `The account that signed in needs read access to ${ctx.mailbox} (its own mailbox, or Full Access on a shared one).`,
      links: fields(ctx, "user"),
      reauthorize: ctx.authType === "microsoft" ? "imap" : undefined,
    };
  }
  return {
    summary: `IMAP failed during ${f.phase}: ${reply || f.message}`,
    hint: `See the server response below. Check the IMAP settings against your provider's documentation (Microsoft 365: ${MS_DEFAULTS.imap}).`,
    links: fields(ctx, "host", "port", "security"),
  };
}
