import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { toFormValues } from "@/lib/settings/email-repository";
import { emailSettingsForPage } from "@/lib/settings/page-data";
import { EmailSettingsForm } from "@/app/settings/email/email-settings-form";
import { connectionParams, MicrosoftConnections } from "@/app/settings/email/microsoft-connections";
import { TestEmailResults } from "@/app/settings/email/test-email-results";
import { testRunsForPage } from "@/lib/mail/test-run-repository";
import { expectedChecks } from "@/lib/mail/expected-checks";
import { RegistrationAssistant } from "@/app/settings/email/registration-assistant";
import { EmailSettingsIslandProvider } from "@/app/settings/email/email-settings-island";
import { loadMailRolesForPage } from "@/lib/microsoft/mail-roles-loader";
import { nextStep } from "@/app/settings/email/next-step";
import { expiryWarnings } from "@/lib/microsoft/credential-expiry";

export const metadata: Metadata = { title: "Email Settings" };

export default async function EmailSettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requireAdminPage("/settings/email");
  const stored = await emailSettingsForPage();
  const { values, secrets, certificate } = toFormValues(stored);
  const { status } = await loadMailRolesForPage();
  return (
    <>
      <h1>Email Settings</h1>
      <p className="lead">
        How this server sends mail (SMTP) and reads approval replies (IMAP), and the Microsoft app registration it signs
        in with.
      </p>
      <RegistrationAssistant />
      <EmailSettingsIslandProvider adminEmail={admin.email}>
        <EmailSettingsForm
          initial={values}
          secrets={secrets}
          certificate={certificate}
          lastSaved={stored.saved ? { by: stored.updatedBy, at: stored.updatedAt.toISOString() } : null}
          next={nextStep(status, stored.saved, expiryWarnings(stored, status, new Date()))}
        />
        {/* The steps in order: settings, then the Microsoft connections (Authorize), then Test. */}
        <MicrosoftConnections params={connectionParams(await searchParams)} />
        <TestEmailResults expected={expectedChecks(stored)} initialRuns={await testRunsForPage()} />
      </EmailSettingsIslandProvider>
    </>
  );
}
