import { APP_ONLY_REFUSAL, diagnoseAppOnlyRefusal } from "@/lib/mail/app-only-diagnoses";
import { diagnoseConnection } from "@/lib/mail/connection-diagnoses";
import {
  type Diagnosis,
  type DiagnosisContext,
  FIELD,
  fields,
  MS_DEFAULTS,
  type MailFailure,
  wrongUserSentence,
} from "@/lib/mail/diagnosis";

/** The failure code of a server that began its greeting (`220-` lines) and did not finish it in time. */
export const SLOW_GREETING = "ESLOWGREETING";

/** SMTP replies from Exchange Online (and generic servers). */
export function diagnoseSmtp(f: MailFailure, ctx: DiagnosisContext): Diagnosis {
  if (f.code === SLOW_GREETING) {
    const where = `${ctx.host}:${ctx.port}`;
    return {
      summary: `Too slow: ${where} started its greeting but did not finish it within ${Math.round(ctx.connectTimeoutMs / 100) / 10} s.`,
      hint:
        `${where} answers, but its greeting (220 lines) did not end within the connect timeout. The server may be ` +
        `overloaded or deliberately slow towards this client (tarpitting); try again, or raise the connect timeout if ` +
        `the server is known to be slow.`,
      links: [{ label: "Connect timeout", href: FIELD("connectTimeoutSeconds") }],
    };
  }
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
        `SMTP AUTH is off for ${scope}. Enable Authenticated SMTP for ${ctx.mailbox} in the Microsoft 365 admin center: ` +
        `\`Users → Active users → ${ctx.mailbox} → Mail → Manage email apps → tick "Authenticated SMTP" → Save\` ` +
        `or in Exchange Online PowerShell: \`Set-CASMailbox -Identity ${ctx.mailbox} -SmtpClientAuthenticationDisabled $false\` ` +
        `Or tenant-wide, in the Exchange admin center: ` +
        `\`Settings → Mail flow → untick "Turn off SMTP AUTH protocol for your organization"\` ` +
        `or in PowerShell: \`Set-TransportConfig -SmtpClientAuthenticationDisabled $false\` ` +
        `The change can take up to an hour to apply. Security defaults in Entra ID also block SMTP AUTH.`,
      links: [{ label: "Microsoft: enable SMTP AUTH", href: "https://aka.ms/smtp_auth_disabled" }],
    };
  }
  if (ctx.appOnly && APP_ONLY_REFUSAL.smtp.test(reply))
    return diagnoseAppOnlyRefusal(ctx, reply.replace(/\s*\[.*$/, "") || "535 5.7.3");
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
        `(leave From blank), or grant Send As in the Exchange admin center: ` +
        `\`Recipients → Mailboxes → ${ctx.from} → Delegation → Send as → add ${ctx.tokenAccount ?? ctx.mailbox}\` ` +
        `or in PowerShell: \`Add-RecipientPermission -Identity ${ctx.from} -Trustee ` +
        `${ctx.tokenAccount ?? ctx.mailbox} -AccessRights SendAs\``,
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
