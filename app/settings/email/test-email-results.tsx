"use client";
import { useEffect, useState } from "react";
import { useTestEmail } from "@/app/settings/email/email-settings-island";
import { ResultCard, RunningCard } from "@/app/settings/email/result-card";
import { Banner } from "@/app/components/banner";
import { CHECK_NAMES, type CheckId, type EmailTestRunView } from "@/lib/mail/client-safe/types";
import { nextStep, orderCards } from "@/lib/mail/client-safe/result-view";
import styles from "@/app/settings/email/test-email.module.css";
import { formatUtc } from "@/lib/format/client-safe/utc";

const RUN_STATUS = { running: "Running…", cancelled: "Cancelled" } as const;

function mark(status: string): string {
  return status === "ok" ? "✓" : status === "failed" ? "✗" : "–";
}

/** The last runs: when, who, result, and each check by its name (open a row for its cards). */
function History({ runs }: { runs: EmailTestRunView[] }) {
  if (runs.length === 0) return <p className="hint">No test has been run yet.</p>;
  return (
    <div className={styles.historyBox}>
      <table className={styles.history} data-testid="test-history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Result</th>
            <th scope="col">Checks</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{formatUtc(r.createdAt)}</td>
              <td>{r.userEmail}</td>
              <td>
                {r.status === "done" ? (r.ok ? "Passed" : "Failed") : RUN_STATUS[r.status]}{" "}
                {r.status === "running" ? null : <span className="hint">({r.durationMs} ms)</span>}
              </td>
              <td>
                {r.cards.length ? (
                  <details>
                    <summary>
                      <ul className={styles.checkList}>
                        {r.cards.map((c) => (
                          <li key={c.id}>
                            <span aria-hidden="true">{mark(c.status)}</span> {CHECK_NAMES[c.id] ?? c.name}
                            <span className="visually-hidden"> ({c.status === "ok" ? "passed" : c.status})</span>
                          </li>
                        ))}
                      </ul>
                    </summary>
                    <div className={`${styles.cards} ${styles.historyCards}`}>
                      {orderCards(r.cards).map((c) => (
                        <ResultCard key={c.id} card={c} scope={`history-${r.id.slice(0, 8)}-`} />
                      ))}
                    </div>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Results of Test Email Configuration: while it runs, one card per check, each final as soon as its
 * check is (the others show their phase and time limit) and Cancel; then the summary, failures
 * first; and the last 20 runs.
 */
export function TestEmailResults({ expected, initialRuns }: { expected: CheckId[]; initialRuns: EmailTestRunView[] }) {
  const state = useTestEmail();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!state.running) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, [state.running]);

  const history = state.history ?? initialRuns;
  const run = state.run;
  const passed = run ? run.cards.filter((c) => c.ok).length : 0;
  const checks = state.checks ?? expected;
  const finished = state.cards.length;

  return (
    <section
      className={`panel ${styles.section}`}
      aria-labelledby="test-email-heading"
      data-testid="test-email-results"
    >
      <h2 id="test-email-heading">Test Email Configuration</h2>
      <p className={`hint ${styles.intro}`}>
        Sends a test message through the saved SMTP settings (to your own address unless you name another next to the
        button), and reads the Approval Reply inbox over IMAP.
      </p>
      <div aria-live="polite" className="visually-hidden">
        {state.running
          ? `Testing the email configuration: ${finished} of ${checks.length} checks finished.`
          : run
            ? run.status === "cancelled"
              ? "Test cancelled."
              : `Test finished: ${passed} of ${run.cards.length} checks passed.`
            : ""}
      </div>
      {state.error ? <Banner kind="err">{state.error}</Banner> : null}
      {state.running ? (
        <>
          <div className={styles.runBar}>
            <span>
              Testing{state.to ? ` (test message to ${state.to})` : ""}… {finished} of {checks.length} checks finished.
            </span>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void state.cancel()}
              disabled={!state.runId || state.cancelling}
            >
              {state.cancelling ? "Cancelling…" : "Cancel the test"}
            </button>
          </div>
          <div className={styles.cards}>
            {checks.map((id) => {
              const card = state.cards.find((c) => c.id === id);
              return card ? (
                <ResultCard key={id} card={card} />
              ) : (
                <RunningCard
                  key={id}
                  id={id}
                  elapsedMs={now - (state.startedAt ?? now)}
                  progress={state.progress[id]}
                />
              );
            })}
          </div>
        </>
      ) : run ? (
        <>
          <div data-testid="run-summary">
            <Banner kind={run.status === "cancelled" ? "warn" : run.ok ? "ok" : "err"}>
              <strong>
                {run.status === "cancelled"
                  ? "Test cancelled."
                  : run.ok
                    ? "All checks passed."
                    : `${passed} of ${run.cards.length} checks passed.`}
              </strong>{" "}
              <span data-testid="run-next">{nextStep(run)}</span>{" "}
              <span className="hint">
                Run {run.id.slice(0, 8)}, {run.durationMs} ms, {formatUtc(run.createdAt)}
              </span>
            </Banner>
          </div>
          <div className={styles.cards}>
            {orderCards(run.cards).map((c) => (
              <ResultCard key={c.id} card={c} />
            ))}
          </div>
        </>
      ) : null}

      <h3 className={styles.historyHeading}>
        {history.length === 0 ? "Earlier runs" : history.length === 1 ? "Last run" : `Last ${history.length} runs`}
      </h3>
      <History runs={history} />
    </section>
  );
}
