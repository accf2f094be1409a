"use client";
import type { CheckCard, CheckId, Phase } from "@/lib/mail/client-safe/types";
import { CHECK_NAMES } from "@/lib/mail/client-safe/types";
import styles from "@/app/settings/email/test-email.module.css";

const AUTHORIZE_ROUTE = "/api/oauth/authorize";

const STATUS_LABEL = { ok: "Passed", failed: "Failed", skipped: "Not run" } as const;

/** A phase's share of the timeline as one of 20 width classes (no inline style: the CSP has no 'unsafe-inline'). */
function growClass(share: number): string {
  return styles[`grow${Math.min(20, Math.max(1, Math.round(share * 20)))}`] ?? "";
}

function Timeline({ phases }: { phases: Phase[] }) {
  if (!phases.length) return null;
  const total = Math.max(
    phases.reduce((n, p) => n + p.ms, 0),
    1,
  );
  return (
    <ol className={styles.timeline} aria-label="Phases">
      {phases.map((p, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: phases are an append-only list whose names may repeat
          key={`${p.name}-${i}`}
          className={`${styles.phase} ${growClass(p.ms / total)} ${p.ok ? "" : styles.phaseFailed}`}
          title={p.detail ? `${p.name}: ${p.ms} ms, ${p.detail}` : `${p.name}: ${p.ms} ms`}
          data-testid="phase"
        >
          {p.ok ? "" : "✗ "}
          {p.name} {p.ms} ms
          {p.ok ? null : <span className="visually-hidden"> (failed here)</span>}
        </li>
      ))}
    </ol>
  );
}

/** `scope` keeps ids unique when the same card appears in the history too. */
export function ResultCard({ card, scope = "" }: { card: CheckCard; scope?: string }) {
  const badge =
    card.status === "ok" ? styles.badgeOk : card.status === "failed" ? styles.badgeFailed : styles.badgeSkipped;
  const titleId = `${scope}card-${card.id}-title`;
  return (
    <article
      className={`${styles.card} ${styles[card.status]}`}
      aria-labelledby={titleId}
      data-testid={`${scope}card-${card.id}`}
      data-status={card.status}
    >
      <div className={styles.head}>
        <span className={`${styles.badge} ${badge}`}>{STATUS_LABEL[card.status]}</span>
        <h3 id={titleId}>{card.name}</h3>
        <span className={styles.ms}>{card.ms} ms</span>
      </div>
      <p className={styles.summary} data-testid="summary">
        {card.summary}
      </p>
      <Timeline phases={card.phases} />
      {card.facts ? (
        <dl className={styles.facts}>
          {Object.entries(card.facts).map(([k, v]) => (
            <div key={k} className={styles.factRow}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {card.hint ? (
        <div className={styles.fix} data-testid="hint">
          <strong>How to fix</strong>
          <p>{card.hint}</p>
        </div>
      ) : null}
      {card.links?.length ? (
        <ul className={styles.links}>
          {card.links.map((l) => (
            <li key={l.href}>
              <a href={l.href} {...(l.href.startsWith("http") ? { target: "_blank", rel: "noreferrer" } : {})}>
                {l.href.startsWith("/settings/email#") ? `Go to ${l.label}` : l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {card.reauthorize ? (
        <form method="post" action={AUTHORIZE_ROUTE} className={styles.reauthForm}>
          <input type="hidden" name="role" value={card.reauthorize} />
          <button type="submit" className="btn btn-primary btn-small">
            Re-Authorize {card.reauthorize === "smtp" ? "the SMTP account" : "the IMAP account"}
          </button>
        </form>
      ) : null}
      {card.serverResponse ? (
        <>
          <p className={styles.label}>Server response</p>
          <pre className={styles.response} data-testid="server-response">
            {card.serverResponse}
          </pre>
        </>
      ) : null}
      {card.transcript?.length ? (
        <details>
          <summary className={styles.label}>
            Protocol transcript ({card.transcript.length} lines, credentials hidden)
          </summary>
          <pre className={styles.response}>{card.transcript.join("\n")}</pre>
        </details>
      ) : null}
    </article>
  );
}

export function RunningCard({ id, elapsedMs }: { id: CheckId; elapsedMs: number }) {
  return (
    <article
      className={`${styles.card} ${styles.running}`}
      aria-busy="true"
      data-testid={`card-${id}`}
      data-status="running"
    >
      <div className={styles.head}>
        <span className={`${styles.badge} ${styles.badgeRunning}`}>In progress</span>
        <h3>{CHECK_NAMES[id]}</h3>
        <span className={styles.ms}>{(elapsedMs / 1000).toFixed(1)} s</span>
      </div>
    </article>
  );
}
