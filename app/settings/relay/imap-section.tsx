import { Banner } from "@/app/components/banner";
import { ImapSettingsToPaste, ImapSwitch, MailboxScopeForm } from "@/app/settings/relay/imap-controls";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { imapPageData } from "@/lib/relay/imap/imap-page-data";

/** The Relay page's IMAP gateway: switch, settings to paste, mailbox scope per credential, recent sign-ins. */
export async function ImapGatewaySection({ pollSeconds }: { pollSeconds: number }) {
  const data = await imapPageData();
  return (
    <section className="panel" aria-labelledby="relay-imap">
      <h2 id="relay-imap">IMAP gateway</h2>
      <p className="hint">
        For the product reading the Approval Reply mailbox without OAuth: it logs in here with the mailbox and a relay
        credential; Mail Connect signs in to Microsoft with XOAUTH2 (the IMAP connection of Email Settings) and then
        relays the session unchanged. Exchange ends a session when its access token expires (
        <code className="code">* BYE Session invalidated - AccessTokenExpired</code>): the client reconnects and the
        gateway signs in with a fresh token.
      </p>
      <ImapSwitch enabled={data.enabled} />
      <p className="hint">
        Listens on {data.host}:{data.port} (RELAY_HOST, RELAY_IMAP_PORT), TLS from the first byte with this
        server&apos;s certificate (TLS 1.2 or newer). Every instance reads this switch every {pollSeconds} seconds.
      </p>
      {data.blocker ? (
        <div className="spaced-sm">
          <Banner kind="warn">{data.blocker}</Banner>
        </div>
      ) : (
        <p className="hint">
          Signs in to {data.upstream} for {data.mailbox} (XOAUTH2, the IMAP connection of Email Settings).
        </p>
      )}

      <h3 className="section-title">Settings to paste into the product</h3>
      <ImapSettingsToPaste host={data.host} port={data.port} mailbox={data.mailbox} />

      <h3 className="section-title">Mailboxes each credential may open</h3>
      {data.credentials.length === 0 ? (
        <p className="hint">No active relay credentials: create one under Relay credentials.</p>
      ) : (
        <table className="audit" data-testid="imap-scopes">
          <caption className="visually-hidden">IMAP mailboxes per relay credential</caption>
          <thead>
            <tr>
              <th scope="col">Credential</th>
              <th scope="col">May open (one per line; empty: none)</th>
              <th scope="col">Today</th>
            </tr>
          </thead>
          <tbody>
            {data.credentials.map((c) => (
              <tr key={c.id} data-testid={`imap-scope-${c.name}`}>
                <td data-label="Credential">
                  <strong>{c.name}</strong>
                </td>
                <td data-label="May open">
                  <MailboxScopeForm id={c.id} name={c.name} mailboxes={c.mailboxes} />
                </td>
                <td data-label="Today" data-testid={`imap-counts-${c.name}`}>
                  {c.today.logins} logins, {c.today.refused} refused
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3 className="section-title">Recent IMAP logins</h3>
      {data.logins.length === 0 ? (
        <p className="hint">No IMAP logins yet.</p>
      ) : (
        <table className="audit" data-testid="imap-activity">
          <caption className="visually-hidden">Recent IMAP gateway logins</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Credential</th>
              <th scope="col">Mailbox</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {data.logins.map((l) => (
              <tr key={l.id}>
                <td data-label="When">{formatUtc(l.at)}</td>
                <td data-label="Credential">{l.credential}</td>
                <td data-label="Mailbox">{l.mailbox}</td>
                <td data-label="Result">
                  {l.outcome === "signed-in" ? "Signed in" : l.outcome === "refused" ? "Refused" : "Failed"}
                  <div className="hint">{l.reason}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
