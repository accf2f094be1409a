"use client";
import type { UseFormReturn } from "react-hook-form";
import type { SecretStatuses } from "@/app/settings/email/types";
import { type BasicAuthNotice, basicAuthNotices } from "@/lib/mail/client-safe/basic-auth-deadline";
import type { EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";

/**
 * Email Settings: a mailbox role with auth type Password on an Exchange Online host — Microsoft's timeline
 * for Basic authentication and a one-click "Switch to Microsoft OAuth". The switch sets the role's auth
 * type in the form and marks its stored password for removal; every other field stays. The admin reviews,
 * completes the Microsoft OAuth section and saves (the save is audited as any other).
 */
export function BasicAuthNotices({
  mailRole: role,
  form,
  secrets,
}: {
  mailRole: "smtp" | "imap";
  form: UseFormReturn<EmailSettingsInput>;
  secrets: SecretStatuses;
}) {
  const [smtpAuthType, smtpHost, imapUser, imapAuthType, imapHost] = form.watch([
    "smtpAuthType",
    "smtpHost",
    "imapUser",
    "imapAuthType",
    "imapHost",
  ]);
  const notice = basicAuthNotices({ smtpAuthType, smtpHost, imapUser, imapAuthType, imapHost }, new Date()).find(
    (n) => n.role === role,
  );
  if (!notice) return null;
  function switchToMicrosoft() {
    form.setValue(role === "smtp" ? "smtpAuthType" : "imapAuthType", "microsoft", { shouldDirty: true });
    if (secrets[role === "smtp" ? "smtpPassword" : "imapPassword"].set)
      form.setValue(role === "smtp" ? "smtpPasswordClear" : "imapPasswordClear", true, { shouldDirty: true });
    document.getElementById("msClientId")?.focus();
  }
  return <BasicAuthNoticePanel notice={notice} onSwitch={switchToMicrosoft} />;
}

function BasicAuthNoticePanel({ notice, onSwitch }: { notice: BasicAuthNotice; onSwitch: () => void }) {
  return (
    <div className="banner banner-warn field-wide" role="status" data-testid={`basic-auth-notice-${notice.role}`}>
      <p className="tight">
        <strong>{notice.headline}</strong>
      </p>
      {notice.details.map((d) => (
        <p key={d} className="tight">
          {d}
        </p>
      ))}
      <p className="tight">
        <a href={notice.source.href} target="_blank" rel="noopener noreferrer">
          {notice.source.label}
        </a>
        {notice.role === "smtp" ? (
          <>
            {" "}
            · <a href="/settings/relay">The Relay page</a>
          </>
        ) : null}
      </p>
      <div className="actions">
        <button type="button" className="btn" onClick={onSwitch} data-testid={`switch-to-oauth-${notice.role}`}>
          Switch to Microsoft OAuth
        </button>
      </div>
    </div>
  );
}
