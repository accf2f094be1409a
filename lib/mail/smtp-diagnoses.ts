import { APP_ONLY_REFUSAL, diagnoseAppOnlyRefusal } from "@/lib/mail/app-only-diagnoses";
import { diagnoseConnection } from "@/lib/mail/connection-diagnoses";
import { SMTP_BASIC_AUTH_SOURCE } from "@/lib/mail/client-safe/basic-auth-deadline";
import {
  type Diagnosis,
  type DiagnosisContext,
  FIELD,
  fields,
  MS_DEFAULTS,
  type MailFailure,
  wrongUserSentence,
} from "@/lib/mail/diagnosis";

/** Microsoft's deadline for a password on SMTP AUTH, and the switch Email Settings offers (lib/mail/client-safe/basic-auth-deadline.ts). */
const BASIC_AUTH_DEADLINE =
  "Microsoft turns Basic authentication for SMTP AUTH off by default for existing tenants at the end of December 2026 " +
  "(an administrator can turn it back on until the final removal, announced for the second half of 2027). " +
  'Use "Switch to Microsoft OAuth" next to the SMTP auth type in Email Settings: the other fields stay.';

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
        `The change can take up to an hour to apply. Security defaults in Entra ID also block SMTP AUTH. ` +
        `Where SMTP AUTH must stay off, choose Microsoft Graph as the sender's Transport on Email Settings (Graph sendMail does not use SMTP AUTH).` +
        (ctx.authType === "password" ? ` With a password this helps only for a while: ${BASIC_AUTH_DEADLINE}` : ""),
      links: [
        { label: "Microsoft: enable SMTP AUTH", href: "https://aka.ms/smtp_auth_disabled" },
        ...(ctx.authType === "password"
          ? [
              { label: "SMTP auth type", href: FIELD("smtpAuthType") },
              { label: SMTP_BASIC_AUTH_SOURCE.label, href: SMTP_BASIC_AUTH_SOURCE.href },
            ]
          : []),
      ],
    };
  }
  if (/\b5\.7\.30\b/.test(text) || /Basic authentication is not supported for Client Submission/i.test(text)) {
    return {
      summary: `Exchange Online refuses the password for ${ctx.mailbox}: basic authentication is not supported for SMTP (550 5.7.30).`,
      hint:
        `Microsoft retired basic authentication (user name and password, app passwords included) for SMTP AUTH in ` +
        `Exchange Online. Choose Microsoft OAuth as the SMTP auth type, fill in the Microsoft OAuth section from your ` +
        `Azure app registration (delegated permission SMTP.Send of Office 365 Exchange Online), save, and Authorize as ` +
        `${ctx.mailbox} — for a shared mailbox, as a delegate with Send As on it, entered as "Sign in as". ` +
        `${BASIC_AUTH_DEADLINE} Devices that can only send with a password can use this server's SMTP relay (the Relay page).`,
      links: [
        { label: "SMTP auth type", href: FIELD("smtpAuthType") },
        { label: SMTP_BASIC_AUTH_SOURCE.label, href: SMTP_BASIC_AUTH_SOURCE.href },
        { label: "Relay", href: "/settings/relay" },
      ],
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
    const account = ctx.tokenAccount ?? ctx.mailbox;
    return {
      summary: `Microsoft refused the token of ${account} for SMTP (535 5.7.3 Authentication unsuccessful).`,
      hint:
        `Mail Connect authenticates SMTP as the account that authorized (${account}), the only identity Exchange Online ` +
        `accepts for SMTP AUTH; ${ctx.mailbox === account ? "it is also the sender" : `${ctx.mailbox} stays the sender (MAIL FROM and From)`}. ` +
        `So the token itself is not valid for SMTP: the app registration lacks the delegated permission SMTP.Send ` +
        `(Office 365 Exchange Online, https://outlook.office.com/SMTP.Send) or consent for it was not granted, or ` +
        `${account} is not the account's sign-in name (UPN). Check API permissions in Azure, grant admin consent if ` +
        `needed, then Re-Authorize as ${account}.`,
      links: fields(ctx, "user"),
      reauthorize: "smtp",
    };
  }
  if (/\b5\.7\.60\b/.test(text)) {
    const account = ctx.tokenAccount ?? ctx.mailbox;
    const from = ctx.from ?? ctx.mailbox;
    const fromIsMailbox = from.toLowerCase() === ctx.mailbox.toLowerCase();
    const grant =
      `grant ${account} Send As on ${from} in the Exchange admin center: ` +
      `\`Recipients → Mailboxes → ${from} → Delegation → Send as → add ${account}\` ` +
      `or in Exchange Online PowerShell: \`Add-RecipientPermission -Identity ${from} -Trustee ${account} -AccessRights SendAs\` ` +
      `(Full Access does not include Send As; the change can take up to an hour to apply).`;
    return {
      summary: `${account} may not send as ${from} (550 5.7.60).`,
      hint: fromIsMailbox
        ? `Mail Connect authenticates as ${account} and sends as ${from}; Exchange Online checks Send As when the message ` +
          `is submitted and refused it. To send from ${from}, ${grant} If ${account} is not the account that should sign ` +
          `in, correct "Sign in as" and Re-Authorize.`
        : `The From address ${from} is not the SMTP user. Use the SMTP user (${ctx.mailbox}) as the From address ` +
          `(leave From blank), or ${grant}`,
      links: fromIsMailbox
        ? [...fields(ctx, "user"), { label: "Sign in as", href: FIELD("smtpSignInAs") }]
        : fields(ctx, "from", "user"),
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
