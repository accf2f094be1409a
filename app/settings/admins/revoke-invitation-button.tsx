"use client";
import { useRouter } from "next/navigation";
import { revokeInvitationAction } from "@/app/settings/admins/actions";
import { Banner } from "@/app/components/banner";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";

export function RevokeInvitationButton({ invitationId, email }: { invitationId: string; email: string }) {
  const router = useRouter();
  const revoke = useActionButton(revokeInvitationAction);
  const message = bannerOf(revoke.result, "Revoked.");
  return (
    <div>
      <button
        type="button"
        className="btn btn-small"
        disabled={revoke.pending}
        onClick={async () => {
          if ((await revoke.run({ invitationId }))?.ok) router.refresh();
        }}
      >
        {revoke.pending ? "Revoking…" : "Revoke"}
        <span className="visually-hidden"> the invitation for {email}</span>
      </button>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </div>
  );
}
