import type { Diagnosis, DiagnosisContext } from "@/lib/mail/diagnosis";
import { appOnlySetup, SERVICE_PRINCIPAL_PLACEHOLDER } from "@/lib/microsoft/client-safe/app-only-setup";

/**
 * Exchange's refusal of an app-only (Application) token: `535 5.7.3 Authentication unsuccessful`
 * (SMTP) or `NO AUTHENTICATE failed.` (IMAP). The token was checked for its role before it was sent,
 * so what is missing is on Exchange's side: the app's service principal is not registered
 * (`New-ServicePrincipal`, often with the app registration's object id instead of the Enterprise
 * application's), or it has no FullAccess on the mailbox (`Add-MailboxPermission`). Exchange answers
 * both alike: the diagnosis gives both commands, with the admin's ids.
 */

/** The Exchange answer an app-only connection gets for each role. */
export const APP_ONLY_REFUSAL = { smtp: /\b5\.7\.3\b|^535\b/, imap: /AUTHENTICATE failed/i } as const;

export function diagnoseAppOnlyRefusal(ctx: DiagnosisContext, answer: string): Diagnosis {
  const app = ctx.appOnly!;
  const setup = appOnlySetup({
    clientId: app.clientId,
    tenantId: app.tenantId,
    servicePrincipalObjectId: null,
    mailboxes: [{ role: ctx.role, mailbox: ctx.mailbox }],
  });
  const [, servicePrincipal, grant] = setup.commands;
  return {
    summary: `Exchange refused the app for ${ctx.mailbox} (${answer}): the app's service principal is not registered in Exchange Online, or it has no FullAccess on ${ctx.mailbox}.`,
    hint:
      `The token carries ${app.roles.join(", ")}, so Azure is set up; Exchange does not let the app into ${ctx.mailbox} yet. ` +
      `In Exchange Online PowerShell (Connect-ExchangeOnline) register the service principal, once: ` +
      `\`${servicePrincipal?.command}\` then grant the mailbox: \`${grant?.command}\` ` +
      `${SERVICE_PRINCIPAL_PLACEHOLDER} is the Object ID on Entra ID → Enterprise applications → the app, NOT the Object ID ` +
      `on App registrations (the usual mistake: Exchange accepts it, and the app is still refused). ` +
      `The page's app-only setup fills in your ids. Changes can take a few minutes to reach Exchange.`,
    links: [{ label: "App-only setup (PowerShell)", href: "/settings/email#app-only-setup" }],
  };
}
