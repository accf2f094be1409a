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

export const metadata: Metadata = { title: "Email Settings" };

export default async function EmailSettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage("/settings/email");
  const stored = await emailSettingsForPage();
  const { values, secrets } = toFormValues(stored);
  return (
    <>
      <h1>Email Settings</h1>
      <p className="lead">
        How this server sends mail (SMTP) and reads approval replies (IMAP), and the Microsoft app registration it signs
        in with.
      </p>
      <RegistrationAssistant />
      <EmailSettingsIslandProvider>
        <EmailSettingsForm
          initial={values}
          secrets={secrets}
          lastSaved={stored.saved ? { by: stored.updatedBy, at: stored.updatedAt.toISOString() } : null}
        />
        <TestEmailResults expected={expectedChecks(stored)} initialRuns={await testRunsForPage()} />
        <MicrosoftConnections params={connectionParams(await searchParams)} />
      </EmailSettingsIslandProvider>
    </>
  );
}
