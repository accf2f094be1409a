"use client";
import { useRouter } from "next/navigation";
import { Banner } from "@/app/components/banner";
import { CopyButton } from "@/app/components/copy-button";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";

/** A value to paste into the product, with its copy button. */
export function Copyable({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <span className="copy-row">
      <code className="code" data-copy-source={value} data-testid={testId}>
        {value}
      </code>
      <CopyButton text={value} label={label} />
    </span>
  );
}

/** Enable / disable one listener of the Relay page (the SMTP relay, the IMAP gateway). */
export function ListenerSwitch<R>({
  enabled,
  action,
  name,
  testId,
}: {
  enabled: boolean;
  action: (input: { enabled: boolean }) => Promise<ActionResult<R>>;
  /** "the relay", "the IMAP gateway" */
  name: string;
  testId: string;
}) {
  const router = useRouter();
  const toggle = useActionButton(action);
  const message = bannerOf(toggle.result, "Saved.");
  return (
    <div className="stack">
      <p data-testid={testId}>
        Status: <strong>{enabled ? "Enabled" : "Disabled"}</strong>
      </p>
      <div className="actions actions-flush">
        <button
          type="button"
          className={enabled ? "btn" : "btn btn-primary"}
          disabled={toggle.pending}
          onClick={async () => {
            if ((await toggle.run({ enabled: !enabled }))?.ok) router.refresh();
          }}
        >
          {enabled ? `Disable ${name}` : `Enable ${name}`}
        </button>
      </div>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </div>
  );
}
