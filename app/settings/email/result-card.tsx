"use client";
import type { CheckCard, CheckId, CheckProgress, Phase } from "@/lib/mail/client-safe/types";
import { CHECK_NAMES } from "@/lib/mail/client-safe/types";
import { hintParts } from "@/lib/mail/client-safe/result-view";
import { CopyButton } from "@/app/components/copy-button";
import styles from "@/app/settings/email/test-email.module.css";

const AUTHORIZE_ROUTE = "/api/oauth/authorize";

const STATUS_LABEL = { ok: "Passed", failed: "Failed", skipped: "Not run", cancelled: "Cancelled" } as const;
const BADGE = {
  ok: styles.badgeOk,
  failed: styles.badgeFailed,
  skipped: styles.badgeSkipped,
  cancelled: styles.badgeSkipped,
} as const;

/** Phase widths in steps of 5 % (classes, not inline styles: the CSP allows no 'unsafe-inline'). */
function widthClass(share: number): string | undefined {
  return styles[`w${Math.min(20, Math.max(1, Math.round(share * 20))) * 5}`];
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
          className={`${styles.phase} ${widthClass(p.ms / total) ?? ""} ${p.ok ? "" : styles.phaseFailed}`}
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

/** The fix: prose, and each PowerShell command or admin-center path as a code block with a copy button. */
function Fix({ hint }: { hint: string }) {
  return (
    <div className={styles.fix} data-testid="hint">
      <strong>How to fix</strong>
      {hintParts(hint).map((part, i) =>
        part.kind === "text" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one hint, in order
          <p key={i}>{part.text}</p>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one hint, in order
          <div key={i} className={styles.code} data-testid="fix-code">
            <pre>
              <code data-copy-source={part.text}>{part.text}</code>
            </pre>
            <CopyButton text={part.text} label={`Copy ${part.what}`} />
          </div>
        ),
      )}
    </div>
  );
}

function Details({ card }: { card: CheckCard }) {
  return (
    <>
      <Timeline phases={card.phases} />
      {card.facts ? (
        <dl className={styles.facts}>
          {Object.entries(card.facts).map(([k, v]) => (
            <div key={k} className={styles.fact}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {card.hint ? <Fix hint={card.hint} /> : null}
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
        <form method="post" action={AUTHORIZE_ROUTE} className={styles.reauthorize}>
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
    </>
  );
}

function Head({ card, titleId }: { card: CheckCard; titleId: string }) {
  return (
    <div className={styles.head}>
      <span className={`${styles.badge} ${BADGE[card.status]}`}>{STATUS_LABEL[card.status]}</span>
      <h3 className={styles.title} id={titleId}>
        {card.name}
      </h3>
      <span className={styles.ms}>{card.ms} ms</span>
    </div>
  );
}

/**
 * One check's result. A passed check is collapsed to its one sentence (open it for the phases and
 * the server's reply); anything else shows everything. `scope` keeps ids unique when the same card
 * appears in the history too.
 */
export function ResultCard({ card, scope = "" }: { card: CheckCard; scope?: string }) {
  const titleId = `${scope}card-${card.id}-title`;
  const summary = (
    <span className={styles.summary} data-testid="summary">
      {card.summary}
    </span>
  );
  return (
    <article
      className={`${styles.card} ${styles[card.status]}`}
      aria-labelledby={titleId}
      data-testid={`${scope}card-${card.id}`}
      data-status={card.status}
    >
      {card.ok ? (
        <details className={styles.collapsed}>
          <summary>
            <Head card={card} titleId={titleId} />
            {summary}
          </summary>
          <Details card={card} />
        </details>
      ) : (
        <>
          <Head card={card} titleId={titleId} />
          {summary}
          <Details card={card} />
        </>
      )}
    </article>
  );
}

/** A check still running: its current phase, the time so far (never negative) and the limit it runs under. */
export function RunningCard({
  id,
  elapsedMs,
  progress,
}: {
  id: CheckId;
  elapsedMs: number;
  progress: CheckProgress | undefined;
}) {
  const seconds = (Math.max(0, elapsedMs) / 1000).toFixed(1);
  return (
    <article
      className={`${styles.card} ${styles.running}`}
      aria-busy="true"
      aria-labelledby={`card-${id}-title`}
      data-testid={`card-${id}`}
      data-status="running"
    >
      <div className={styles.head}>
        <span className={`${styles.badge} ${styles.badgeRunning}`}>In progress</span>
        <h3 className={styles.title} id={`card-${id}-title`}>
          {CHECK_NAMES[id]}
        </h3>
        <span className={styles.ms} data-testid="elapsed">
          {seconds} s
        </span>
      </div>
      <span className={styles.summary} data-testid="progress">
        {progress ? (
          <>
            Now: <strong>{progress.phase}</strong> <span className="hint">({progress.timeoutLabel})</span>
          </>
        ) : (
          "Waiting to start…"
        )}
      </span>
    </article>
  );
}
