import Link from "next/link";
import { Banner } from "@/app/components/banner";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { getRelayState } from "@/lib/relay/relay-repository";

/** On the SMTP connection's card: why the relay last failed to forward (unreachable, throttled, sign-in refused). */
export async function RelayUpstreamNote() {
  const state = await getRelayState();
  if (!state.smtpEnabled || !state.lastUpstreamError || !state.lastUpstreamErrorAt) return null;
  return (
    <div className="spaced-sm" data-testid="connection-smtp-relay-problem">
      <Banner kind="warn">
        The SMTP relay could not forward a message at {formatUtc(state.lastUpstreamErrorAt)}: {state.lastUpstreamError}{" "}
        (<Link href="/settings/relay">Relay</Link>)
      </Banner>
    </div>
  );
}
