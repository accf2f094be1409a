"use client";
import { useRouter } from "next/navigation";
import { revokeOtherSessionsAction, revokeSessionAction } from "@/app/settings/account/actions";
import { Banner } from "@/app/components/banner";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import { formatUtc } from "@/lib/format/client-safe/utc";

export type SessionRow = {
  id: string;
  device: string;
  address: string;
  signedInAt: string;
  lastActivityAt: string;
  current: boolean;
};

export function SessionsList({ sessions }: { sessions: SessionRow[] }) {
  const router = useRouter();
  const one = useActionButton(revokeSessionAction);
  const others = useActionButton(revokeOtherSessionsAction);
  const message = bannerOf(others.result ?? one.result, "Signed out.");
  const hasOthers = sessions.some((s) => !s.current);
  return (
    <>
      <table className="audit" data-testid="sessions-table">
        <caption className="visually-hidden">Your sessions</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in (UTC)</th>
            <th scope="col">Last activity (UTC)</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td data-label="Device">
                {s.device}
                {s.current ? <strong> (this session)</strong> : null}
              </td>
              <td data-label="Address">{s.address}</td>
              <td data-label="Signed in">{formatUtc(s.signedInAt, "minute")}</td>
              <td data-label="Last activity">{formatUtc(s.lastActivityAt, "minute")}</td>
              <td data-label="Actions">
                {s.current ? (
                  <span className="hint">Use Sign out</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={one.pending}
                    onClick={async () => {
                      if ((await one.run({ sessionId: s.id }))?.ok) router.refresh();
                    }}
                  >
                    Sign out this session
                    <span className="visually-hidden">
                      {" "}
                      ({s.device}, {s.address})
                    </span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button
          type="button"
          className="btn"
          disabled={!hasOthers || others.pending}
          onClick={async () => {
            if ((await others.run({ everywhereElse: true }))?.ok) router.refresh();
          }}
        >
          {others.pending ? "Signing out…" : "Sign out everywhere else"}
        </button>
      </div>
      <div aria-live="polite">{message ? <Banner kind={message.kind}>{message.text}</Banner> : null}</div>
    </>
  );
}
