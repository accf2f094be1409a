import { APP_ONLY_REFUSAL, diagnoseAppOnlyRefusal } from "@/lib/mail/app-only-diagnoses";
import { diagnoseConnection, diagnoseStartTlsUnavailable } from "@/lib/mail/connection-diagnoses";
import { EXCHANGE_ONLINE_IMAP_HOSTS, IMAP_BASIC_AUTH_SOURCE } from "@/lib/mail/client-safe/basic-auth-deadline";
import {
  type Diagnosis,
  type DiagnosisContext,
  FIELD,
  fields,
  MS_DEFAULTS,
  type MailFailure,
  wrongUserSentence,
} from "@/lib/mail/diagnosis";

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
        `to it in the Exchange admin center: \`Recipients → Mailboxes → ${ctx.mailbox} → Delegation → Read and manage\` ` +
        `or in Exchange Online PowerShell: \`Add-MailboxPermission -Identity ${ctx.mailbox} -User ${ctx.tokenAccount ?? "<delegate>"} -AccessRights FullAccess -InheritanceType All\` ` +
        `and set "Sign in as" to ${x}. It also happens when IMAP is disabled for ${ctx.mailbox} (Manage email apps → IMAP).`,
      links: [...fields(ctx, "user"), { label: "Sign in as", href: FIELD("imapSignInAs") }],
      reauthorize: ctx.authType === "microsoft" ? "imap" : undefined,
    };
  }
  if (ctx.appOnly && APP_ONLY_REFUSAL.imap.test(text)) return diagnoseAppOnlyRefusal(ctx, "NO AUTHENTICATE failed.");
  if (/AUTHENTICATE failed/i.test(text)) {
    return {
      summary: `The IMAP server refused the token for ${ctx.mailbox} (NO AUTHENTICATE failed.).`,
      hint:
        wrongUserSentence(ctx) +
        `IMAP permission or consent is missing, or IMAP is disabled for the mailbox. The app registration needs the delegated ` +
        `permission IMAP.AccessAsUser.All of Office 365 Exchange Online (https://outlook.office.com/IMAP.AccessAsUser.All; a ` +
        `Microsoft Graph scope gives exactly this error) with consent granted. IMAP must be on for ${ctx.mailbox}, in the ` +
        `Microsoft 365 admin center: \`Users → ${ctx.mailbox} → Mail → Manage email apps → IMAP\` ` +
        `or in PowerShell: \`Set-CASMailbox -Identity ${ctx.mailbox} -ImapEnabled $true\` Then Re-Authorize.`,
      links: fields(ctx, "user"),
      reauthorize: ctx.authType === "microsoft" ? "imap" : undefined,
    };
  }
  if (
    /LOGIN failed|AUTHENTICATIONFAILED|Invalid credentials/i.test(text) ||
    (f.phase === "authenticate" && ctx.authType === "password")
  ) {
    if (ctx.authType === "password" && EXCHANGE_ONLINE_IMAP_HOSTS.has(ctx.host.toLowerCase()))
      return {
        summary: `Exchange Online refuses the password for ${ctx.mailbox}: Basic authentication for IMAP has been off in Exchange Online since 2022.`,
        hint: `No password works for IMAP on ${ctx.host}. Use "Switch to Microsoft OAuth" next to the IMAP auth type in Email Settings (the other fields stay), fill in the Microsoft OAuth section, save, and Authorize ${ctx.mailbox}.`,
        links: [
          { label: "IMAP auth type", href: FIELD("imapAuthType") },
          { label: IMAP_BASIC_AUTH_SOURCE.label, href: IMAP_BASIC_AUTH_SOURCE.href },
        ],
      };
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
