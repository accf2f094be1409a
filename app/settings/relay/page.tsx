import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { EXCHANGE_LIMITS, formatBytes } from "@/lib/relay/client-safe/limits";
import { relayPageData } from "@/lib/relay/page-data";
import { CredentialForm, CredentialActions, RelaySwitch, SettingsToPaste } from "@/app/settings/relay/relay-controls";
import { Banner } from "@/app/components/banner";
import { ImapGatewaySection } from "@/app/settings/relay/imap-section";

export const metadata: Metadata = { title: "Relay" };

export default async function RelayPage() {
  await requireAdminPage("/settings/relay");
  const data = await relayPageData();
  const active = data.credentials.filter((c) => !c.revokedAt);
  return (
    <>
      <h1>Relay</h1>
      <p className="lead">
        Senders that cannot speak OAuth 2.0 (the product, printers, scripts) submit mail here with a relay credential;
        Mail Connect forwards each message to Microsoft 365 with the authorized SMTP connection before it answers, and
        passes Microsoft&apos;s reply back. A 250 means Microsoft accepted the message.
      </p>

      <section className="panel" aria-labelledby="relay-listener">
        <h2 id="relay-listener">SMTP relay</h2>
        <RelaySwitch enabled={data.state.smtpEnabled} />
        <p className="hint">
          Listens on {data.host}:{data.port} (RELAY_HOST, RELAY_SMTP_PORT), STARTTLS with this server&apos;s certificate
          (TLS 1.2 or newer), required before AUTH except from this machine. Every instance reads this switch every{" "}
          {data.pollSeconds} seconds.
          {data.state.updatedBy && data.state.updatedAt
            ? ` Last changed by ${data.state.updatedBy} at ${formatUtc(data.state.updatedAt)}.`
            : ""}
        </p>
        {data.upstream.problem ? (
          <div className="spaced-sm" data-testid="relay-upstream-problem">
            <Banner kind="warn">
              Forwarding to Microsoft failed at {formatUtc(data.upstream.problemAt!)}: {data.upstream.problem}
            </Banner>
          </div>
        ) : null}
        {data.upstream.blocker ? (
          <div className="spaced-sm">
            <Banner kind="warn">{data.upstream.blocker}</Banner>
          </div>
        ) : (
          <p className="hint">
            Forwards to {data.upstream.target} as {data.upstream.user} (XOAUTH2, the SMTP connection of Email Settings).
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby="relay-paste">
        <h2 id="relay-paste">Settings to paste into the sender</h2>
        <SettingsToPaste host={data.host} port={data.port} userHint={active[0]?.name ?? null} />
      </section>

      <section className="panel" aria-labelledby="relay-credentials">
        <h2 id="relay-credentials">Relay credentials</h2>
        {data.credentials.length === 0 ? <p className="hint">No credentials yet: create one below.</p> : null}
        {data.credentials.length ? (
          <table className="audit" data-testid="relay-credentials">
            <caption className="visually-hidden">Relay credentials</caption>
            <thead>
              <tr>
                <th scope="col">User name</th>
                <th scope="col">May send as</th>
                <th scope="col">Today</th>
                <th scope="col">Last use</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.credentials.map((c) => (
                <tr key={c.id} data-testid={`relay-credential-${c.name}`}>
                  <td data-label="User name">
                    <strong>{c.name}</strong>
                    <div className="hint">
                      {c.revokedAt ? `Revoked ${formatUtc(c.revokedAt)}` : `Password ends …${c.secretHint}`}
                    </div>
                  </td>
                  <td data-label="May send as">
                    {c.allowedFrom.join(", ")}
                    <div className="hint">
                      {c.allowedCidrs.length ? `From ${c.allowedCidrs.join(", ")}` : "From any address"};{" "}
                      {c.ratePerMinute} a minute
                    </div>
                  </td>
                  <td data-label="Today" data-testid={`relay-counts-${c.name}`}>
                    {c.today.relayed} relayed, {c.today.refused} refused
                    {c.lastError ? <div className="hint">Last error: {c.lastError}</div> : null}
                  </td>
                  <td data-label="Last use">
                    {c.lastUsedAt ? `${formatUtc(c.lastUsedAt)} from ${c.lastUsedFrom}` : "Never"}
                  </td>
                  <td data-label="Actions">{c.revokedAt ? null : <CredentialActions id={c.id} name={c.name} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <h3 className="section-title">New credential</h3>
        <CredentialForm defaultFrom={data.defaultFrom} />
      </section>

      <ImapGatewaySection pollSeconds={data.pollSeconds} />

      <section className="panel" aria-labelledby="relay-limits">
        <h2 id="relay-limits">Exchange Online limits</h2>
        <p className="hint">
          The relay answers a temporary 4xx before Microsoft would (counted in the database, so the limits hold across
          instances): {EXCHANGE_LIMITS.messagesPerMinute} messages a minute and{" "}
          {EXCHANGE_LIMITS.recipientsPerDay.toLocaleString("en-US")} recipients a day per mailbox,{" "}
          {EXCHANGE_LIMITS.recipientsPerMessage} recipients per message, messages up to{" "}
          {formatBytes(data.state.maxMessageBytes)}.
        </p>
      </section>

      <section className="panel" aria-labelledby="relay-activity">
        <h2 id="relay-activity">Recent activity</h2>
        {data.activity.length === 0 ? (
          <p className="hint">Nothing relayed yet.</p>
        ) : (
          <table className="audit" data-testid="relay-activity">
            <caption className="visually-hidden">Recent relay activity (never the content)</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Credential</th>
                <th scope="col">From</th>
                <th scope="col">Recipients</th>
                <th scope="col">Size</th>
                <th scope="col">Microsoft&apos;s reply</th>
              </tr>
            </thead>
            <tbody>
              {data.activity.map((a) => (
                <tr key={a.id}>
                  <td data-label="When">{formatUtc(a.createdAt)}</td>
                  <td data-label="Credential">{a.credentialName}</td>
                  <td data-label="From">{a.mailFrom}</td>
                  <td data-label="Recipients">{a.recipients}</td>
                  <td data-label="Size">{formatBytes(a.sizeBytes)}</td>
                  <td data-label="Reply">{a.reply}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
